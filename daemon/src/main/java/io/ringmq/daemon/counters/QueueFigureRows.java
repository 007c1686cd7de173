package io.ringmq.daemon.counters;

import io.ringmq.core.state.QueueActivity;
import io.ringmq.core.state.QueueFigures;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The rows of one queue and of its groups, written from the state machine's figures on the dispatch thread. Groups
 * are matched by position and name, so one that goes (or a change of order) marks the rows from there on gone and
 * makes new ones; each new row goes to {@code added}, for the sampler thread to give counters.
 */
final class QueueFigureRows
{
    static final RingmqCounter[] QUEUE_COLUMNS = {
        RingmqCounter.QUEUE_DEPTH, RingmqCounter.QUEUE_BYTES, RingmqCounter.QUEUE_IN_FLIGHT,
        RingmqCounter.QUEUE_PUBLISHED, RingmqCounter.QUEUE_DELIVERED, RingmqCounter.QUEUE_ACKED,
        RingmqCounter.QUEUE_NACKED, RingmqCounter.QUEUE_REDELIVERED, RingmqCounter.QUEUE_EXPIRED,
        RingmqCounter.QUEUE_DEAD_LETTERED, RingmqCounter.QUEUE_OLDEST_ENQUEUED};
    static final RingmqCounter[] GROUP_COLUMNS = {
        RingmqCounter.GROUP_LAG, RingmqCounter.GROUP_CONSUMERS, RingmqCounter.GROUP_IN_FLIGHT};

    final String name;
    /** The last full copy that found the queue ({@link StateCounters}): rows it did not find are gone. */
    long copiedIn;
    private final FigureRow row;
    private final ArrayList<FigureRow> groups = new ArrayList<>();
    private final Consumer<FigureRow> added;

    QueueFigureRows(final String queue, final Consumer<FigureRow> added)
    {
        this.name = queue;
        this.added = added;
        row = new FigureRow(queue, "", QUEUE_COLUMNS);
        added.accept(row);
    }

    /** Copies the queue's figures (the view points at this queue). Allocates nothing while no group appears. */
    void copy(final QueueFigures figures)
    {
        final QueueActivity activity = figures.activity();
        row.set(0, figures.depth());
        row.set(1, figures.bytes());
        row.set(2, figures.inFlight());
        row.set(3, figures.published());
        row.set(4, activity.delivered());
        row.set(5, activity.acked());
        row.set(6, activity.nacked());
        row.set(7, activity.redelivered());
        row.set(8, figures.expired());
        row.set(9, activity.deadLettered());
        final long oldestNs = figures.oldestEnqueuedNs();
        row.set(10, 0 == oldestNs ? 0 : TimeUnit.NANOSECONDS.toMillis(oldestNs));

        final int groupCount = figures.groupCount();
        for (int i = 0; i < groupCount; i++)
        {
            if (i < groups.size() && !groups.get(i).group.equals(figures.groupName(i)))
            {
                goneFrom(i);
            }
            if (i == groups.size())
            {
                final FigureRow group = new FigureRow(name, figures.groupName(i), GROUP_COLUMNS);
                groups.add(group);
                added.accept(group);
            }
            final FigureRow group = groups.get(i);
            group.set(0, figures.groupLag(i));
            group.set(1, figures.groupConsumers(i));
            group.set(2, figures.groupInFlight(i));
        }
        goneFrom(groupCount);
    }

    /** The queue is gone: its rows and its groups'. */
    void markGone()
    {
        goneFrom(0);
        row.markGone();
    }

    private void goneFrom(final int index)
    {
        while (groups.size() > index)
        {
            groups.remove(groups.size() - 1).markGone();
        }
    }
}
