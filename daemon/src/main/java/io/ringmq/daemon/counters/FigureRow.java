package io.ringmq.daemon.counters;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One queue's or one group's figures as the dispatch thread last copied them from the state machine, for the
 * sampler thread to put in counters: the dispatch thread never calls the media driver (a counter added waits a
 * round trip of a millisecond or more), it only makes ordered stores here.
 * <p>
 * One writer (the dispatch thread), one reader (the sampler thread).
 */
final class FigureRow
{
    final String queue;
    /** Empty on a queue's row. */
    final String group;
    final RingmqCounter[] columns;
    private final AtomicLongArray values;
    private volatile boolean gone;

    FigureRow(final String queue, final String group, final RingmqCounter[] columns)
    {
        this.queue = queue;
        this.group = group;
        this.columns = columns;
        this.values = new AtomicLongArray(columns.length);
    }

    void set(final int column, final long value)
    {
        values.lazySet(column, value);
    }

    long get(final int column)
    {
        return values.get(column);
    }

    /** The queue or group is gone: the sampler frees its counters. */
    void markGone()
    {
        gone = true;
    }

    boolean isGone()
    {
        return gone;
    }
}
