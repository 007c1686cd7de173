package io.ringmq.core.state;

/**
 * What queue limits did, summed over every queue since the state began (see {@link QueueCounters} for one queue's).
 * Read on the thread that owns the state machine; copy them out to report elsewhere.
 */
public final class LimitCounts
{
    long expired;
    long overflowed;
    long dropped;
    long refused;

    /** Messages that left by a maximum age. */
    public long expired()
    {
        return expired;
    }

    /** Messages pushed out by newer ones at a size limit. */
    public long overflowed()
    {
        return overflowed;
    }

    /** Of the expired and overflowed, those that went to no dead-letter queue. */
    public long dropped()
    {
        return dropped;
    }

    /** Messages refused at a size limit. */
    public long refused()
    {
        return refused;
    }

    void add(final Queue queue)
    {
        expired += queue.expired;
        overflowed += queue.overflowed;
        dropped += queue.dropped;
        refused += queue.refused;
    }
}
