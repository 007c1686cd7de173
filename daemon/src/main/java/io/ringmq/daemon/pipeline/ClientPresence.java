package io.ringmq.daemon.pipeline;

/**
 * Whether any client session is open, as the dispatcher saw it at its last batch. The embedded media driver's idle
 * strategy reads it: with a client connected the driver keeps its short parks, since its one thread has work that
 * clients wait on now and then (position limits, UDP traffic) and long parks put hundreds of microseconds on their
 * tail latency; with none, an idle driver may park longer and cost next to nothing.
 * <p>
 * Written by the dispatch thread only, read from any thread.
 */
public final class ClientPresence
{
    private volatile int sessions;

    /** The dispatcher, at the end of a batch; writes only on a change, so a steady batch costs one volatile read. */
    void sessions(final int sessions)
    {
        if (this.sessions != sessions)
        {
            this.sessions = sessions;
        }
    }

    public boolean none()
    {
        return 0 == sessions;
    }
}
