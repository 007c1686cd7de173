package io.ringmq.daemon.counters;

import io.aeron.Counter;
import io.ringmq.core.state.QueueActivity;
import io.ringmq.core.state.QueueFigures;
import org.agrona.CloseHelper;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The counters of one queue and of its groups, written from the state machine's figures on the dispatch thread. A
 * group's counters appear with the group; groups are matched by position and name, so one that goes (or a change of
 * order) frees the counters from there on and allocates them again.
 */
final class QueueCounterSet implements AutoCloseable
{
    final String name;
    private final CounterAllocator allocator;
    private final Counter[] counters = new Counter[QUEUE_COUNTERS.length];
    private final ArrayList<GroupCounterSet> groups = new ArrayList<>();

    private static final RingmqCounter[] QUEUE_COUNTERS = {
        RingmqCounter.QUEUE_DEPTH, RingmqCounter.QUEUE_BYTES, RingmqCounter.QUEUE_IN_FLIGHT,
        RingmqCounter.QUEUE_PUBLISHED, RingmqCounter.QUEUE_DELIVERED, RingmqCounter.QUEUE_ACKED,
        RingmqCounter.QUEUE_NACKED, RingmqCounter.QUEUE_REDELIVERED, RingmqCounter.QUEUE_EXPIRED,
        RingmqCounter.QUEUE_DEAD_LETTERED, RingmqCounter.QUEUE_OLDEST_ENQUEUED};

    private QueueCounterSet(final CounterAllocator allocator, final String queue)
    {
        this.name = queue;
        this.allocator = allocator;
    }

    /** @return the queue's counters, or null if the media driver refused one (none are kept then). */
    static QueueCounterSet allocate(final CounterAllocator allocator, final String queue)
    {
        final QueueCounterSet set = new QueueCounterSet(allocator, queue);
        final int owner = allocator.nextOwnerId();
        for (int i = 0; i < QUEUE_COUNTERS.length; i++)
        {
            set.counters[i] = allocator.add(QUEUE_COUNTERS[i], owner, queue, "");
            if (null == set.counters[i])
            {
                set.close();
                return null;
            }
        }
        return set;
    }

    /** Copies the queue's figures (the view points at this queue) into its counters. Allocates nothing steady. */
    void copy(final QueueFigures figures)
    {
        final QueueActivity activity = figures.activity();
        counters[0].setRelease(figures.depth());
        counters[1].setRelease(figures.bytes());
        counters[2].setRelease(figures.inFlight());
        counters[3].setRelease(figures.published());
        counters[4].setRelease(activity.delivered());
        counters[5].setRelease(activity.acked());
        counters[6].setRelease(activity.nacked());
        counters[7].setRelease(activity.redelivered());
        counters[8].setRelease(figures.expired());
        counters[9].setRelease(activity.deadLettered());
        final long oldestNs = figures.oldestEnqueuedNs();
        counters[10].setRelease(0 == oldestNs ? 0 : TimeUnit.NANOSECONDS.toMillis(oldestNs));

        final int groupCount = figures.groupCount();
        for (int i = 0; i < groupCount; i++)
        {
            if (i < groups.size() && !groups.get(i).name.equals(figures.groupName(i)))
            {
                closeGroupsFrom(i);
            }
            if (i == groups.size())
            {
                final GroupCounterSet group = GroupCounterSet.allocate(allocator, name, figures.groupName(i));
                if (null == group)
                {
                    return; // the driver is out of counters: the groups from here on go without
                }
                groups.add(group);
            }
            groups.get(i).copy(figures, i);
        }
        closeGroupsFrom(groupCount);
    }

    private void closeGroupsFrom(final int index)
    {
        while (groups.size() > index)
        {
            groups.remove(groups.size() - 1).close();
        }
    }

    public void close()
    {
        closeGroupsFrom(0);
        CloseHelper.closeAll(counters);
    }
}
