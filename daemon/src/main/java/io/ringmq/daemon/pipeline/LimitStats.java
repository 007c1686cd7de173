package io.ringmq.daemon.pipeline;

import io.ringmq.core.state.LimitCounts;

/**
 * What queue limits did, published by the dispatch thread after each batch for the stats reporter to read: a few
 * ordered stores per batch, no allocation.
 */
public final class LimitStats
{
    private volatile long expired;
    private volatile long overflowed;
    private volatile long dropped;
    private volatile long refused;

    void publish(final LimitCounts counts)
    {
        expired = counts.expired();
        overflowed = counts.overflowed();
        dropped = counts.dropped();
        refused = counts.refused();
    }

    public long expired()
    {
        return expired;
    }

    public long overflowed()
    {
        return overflowed;
    }

    public long dropped()
    {
        return dropped;
    }

    public long refused()
    {
        return refused;
    }

    public String toString()
    {
        return "limits: expired " + expired + ", overflowed " + overflowed + " (dropped " + dropped + "), refused " +
            refused;
    }
}
