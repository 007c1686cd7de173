package io.ringmq.daemon.counters;

import io.aeron.Counter;
import org.agrona.CloseHelper;

/** The counters of one {@link FigureRow}, owned by the sampler thread: it adds them, fills them and frees them. */
final class RowCounters implements AutoCloseable
{
    final FigureRow row;
    /** A null entry: the driver refused it. */
    private final Counter[] counters;

    RowCounters(final FigureRow row, final CounterAllocator allocator)
    {
        this.row = row;
        this.counters = new Counter[row.columns.length];
        final int owner = allocator.nextOwnerId();
        for (int i = 0; i < counters.length; i++)
        {
            counters[i] = allocator.add(row.columns[i], owner, row.queue, row.group);
        }
    }

    void copy()
    {
        for (int i = 0; i < counters.length; i++)
        {
            if (null != counters[i])
            {
                counters[i].setRelease(row.get(i));
            }
        }
    }

    /** Frees the counters (each waits a round trip to the driver): for a row that is gone. */
    public void close()
    {
        CloseHelper.closeAll(counters);
    }
}
