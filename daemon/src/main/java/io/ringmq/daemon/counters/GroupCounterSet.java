package io.ringmq.daemon.counters;

import io.aeron.Counter;
import io.ringmq.core.state.QueueFigures;
import org.agrona.CloseHelper;

/** The counters of one consumer group, written from the state machine's figures on the dispatch thread. */
final class GroupCounterSet implements AutoCloseable
{
    final String name;
    private final Counter lag;
    private final Counter consumers;
    private final Counter inFlight;

    private GroupCounterSet(final String name, final Counter lag, final Counter consumers, final Counter inFlight)
    {
        this.name = name;
        this.lag = lag;
        this.consumers = consumers;
        this.inFlight = inFlight;
    }

    /** @return the group's counters, or null if the media driver refused one (none are kept then). */
    static GroupCounterSet allocate(final CounterAllocator allocator, final String queue, final String group)
    {
        final int owner = allocator.nextOwnerId();
        final Counter lag = allocator.add(RingmqCounter.GROUP_LAG, owner, queue, group);
        final Counter consumers = null == lag ? null : allocator.add(RingmqCounter.GROUP_CONSUMERS, owner, queue, group);
        final Counter inFlight =
            null == consumers ? null : allocator.add(RingmqCounter.GROUP_IN_FLIGHT, owner, queue, group);
        if (null == inFlight)
        {
            CloseHelper.closeAll(lag, consumers);
            return null;
        }
        return new GroupCounterSet(group, lag, consumers, inFlight);
    }

    void copy(final QueueFigures figures, final int index)
    {
        lag.setRelease(figures.groupLag(index));
        consumers.setRelease(figures.groupConsumers(index));
        inFlight.setRelease(figures.groupInFlight(index));
    }

    public void close()
    {
        CloseHelper.closeAll(lag, consumers, inFlight);
    }
}
