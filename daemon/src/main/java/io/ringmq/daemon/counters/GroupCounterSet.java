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

    GroupCounterSet(final CounterAllocator allocator, final String queue, final String group)
    {
        this.name = group;
        final int owner = allocator.nextOwnerId();
        lag = allocator.add(RingmqCounter.GROUP_LAG, owner, queue, group);
        consumers = allocator.add(RingmqCounter.GROUP_CONSUMERS, owner, queue, group);
        inFlight = allocator.add(RingmqCounter.GROUP_IN_FLIGHT, owner, queue, group);
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
