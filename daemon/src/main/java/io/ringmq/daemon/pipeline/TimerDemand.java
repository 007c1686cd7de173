package io.ringmq.daemon.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many timers the state machine has pending, published by the dispatch thread and read by the ingress, which
 * journals ticks only while there are any: time reaches the state machine as commands, so an idle daemon with
 * nothing to time out writes nothing.
 */
public final class TimerDemand
{
    private final AtomicLong pendingTimers = new AtomicLong();

    void publish(final long pending)
    {
        pendingTimers.lazySet(pending);
    }

    boolean hasPendingTimers()
    {
        return pendingTimers.get() > 0;
    }
}
