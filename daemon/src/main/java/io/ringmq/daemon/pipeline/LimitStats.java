package io.ringmq.daemon.pipeline;

import io.ringmq.core.state.LimitCounts;

/**
 * What queue limits did, and what idempotent publish forgot to make room (producers, message ids), published by the
 * dispatch thread after each batch for the stats reporter to read: a few ordered stores per batch, no allocation.
 */
public final class LimitStats
{
    private volatile long expired;
    private volatile long overflowed;
    private volatile long dropped;
    private volatile long refused;
    private volatile long evictedProducers;
    private volatile long evictedMessageIds;
    private volatile long repliesDropped;

    void publish(
        final LimitCounts counts, final long evictedProducers, final long evictedMessageIds, final long repliesDropped)
    {
        this.repliesDropped = repliesDropped;
        this.evictedProducers = evictedProducers;
        this.evictedMessageIds = evictedMessageIds;
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

    /** Producers forgotten because ringmq.dedup.max.producers were remembered (least recently used first). */
    public long evictedProducers()
    {
        return evictedProducers;
    }

    /** Message ids forgotten because ringmq.dedup.max.ids were remembered (oldest first). */
    public long evictedMessageIds()
    {
        return evictedMessageIds;
    }

    /** Replies dropped because the requester's session was gone. */
    public long repliesDropped()
    {
        return repliesDropped;
    }

    public String toString()
    {
        return "limits: expired " + expired + ", overflowed " + overflowed + " (dropped " + dropped + "), refused " +
            refused + "; dedup forgot " + evictedProducers + " producers, " + evictedMessageIds + " ids to make room; replies dropped " +
            repliesDropped;
    }
}
