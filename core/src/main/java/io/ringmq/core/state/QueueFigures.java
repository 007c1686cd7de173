package io.ringmq.core.state;

import io.ringmq.codecs.DispatchStrategy;

/**
 * A read-only view of one queue's figures and its groups', for metrics: a flyweight the caller keeps and points at
 * each queue in turn ({@link QueueStateMachine#queueFigures(int, QueueFigures)}), so reading every queue allocates
 * nothing.
 * <p>
 * Not thread-safe: read it on the thread that applies commands, before the next command.
 */
public final class QueueFigures
{
    private Queue queue;

    QueueFigures wrap(final Queue queue)
    {
        this.queue = queue;
        return this;
    }

    public String name()
    {
        return queue.name;
    }

    /** Whether the queue was deleted (its figures are its last; a queue made later with its name is another). */
    public boolean deleted()
    {
        return queue.removed;
    }

    /** Messages held, in flight included. */
    public long depth()
    {
        return queue.messages.size();
    }

    /** Version 9, delivery control: the queue's default delay for a publish with no timing of its own; 0 = none. */
    public long defaultDelayMs()
    {
        return queue.defaultDelayMs;
    }

    /** Payload bytes held. */
    public long bytes()
    {
        return queue.messages.bytes();
    }

    /** Messages the queue ever took (its last sequence): publishes, dead letters and redrives, since the state began. */
    public long published()
    {
        return queue.nextSequence - 1;
    }

    /** Messages that left by the queue's maximum age, since the state began. */
    public long expired()
    {
        return queue.expired;
    }

    /** What consumers did with this queue's messages since this machine was made. */
    public QueueActivity activity()
    {
        return queue.activity;
    }

    /** The command time at which the oldest message held entered this queue; 0 when it holds none. */
    public long oldestEnqueuedNs()
    {
        return queue.messages.isEmpty() ? 0 : queue.messages.get(queue.messages.firstSequence()).enqueuedNs;
    }

    /** Deliveries in flight, over every group. */
    public long inFlight()
    {
        long inFlight = 0;
        for (int i = 0, size = queue.groups.size(); i < size; i++)
        {
            inFlight += queue.groups.get(i).inFlight.size();
        }
        return inFlight;
    }

    /** Consumers attached, over every group. */
    public int consumers()
    {
        int consumers = 0;
        for (int i = 0, size = queue.groups.size(); i < size; i++)
        {
            consumers += queue.groups.get(i).consumers.size();
        }
        return consumers;
    }

    /** The settings the queue delivers by (its declaration, then rules, then the daemon's defaults). */
    public QueuePolicy policy()
    {
        return queue.policy;
    }

    public int groupCount()
    {
        return queue.groups.size();
    }

    public String groupName(final int index)
    {
        return queue.groups.get(index).name;
    }

    public int groupConsumers(final int index)
    {
        return queue.groups.get(index).consumers.size();
    }

    /** The strategy the group dispatches with: its own if declared, else its queue's. */
    public DispatchStrategy groupStrategy(final int index)
    {
        return queue.groups.get(index).effectiveStrategy();
    }

    /** Where the group's failed messages go. */
    public String groupDeadLetterQueue(final int index)
    {
        return queue.groups.get(index).deadLetterQueue;
    }

    /** Version 9, delivery control: the group's header filter, empty for none. */
    public String groupFilter(final int index)
    {
        return queue.groups.get(index).filterExpression();
    }

    /** Version 9, delivery control: messages the group's filter refused, settled for it without a delivery. */
    public long groupFiltered(final int index)
    {
        return queue.groups.get(index).filtered;
    }

    public int groupInFlight(final int index)
    {
        return queue.groups.get(index).inFlight.size();
    }

    /**
     * Lane positions {@link #groupLag} looks at per priority lane: past them it counts the rest of the lane as
     * messages not given yet (an upper bound). Bounds what one read costs (a figures copy reads every changed group)
     * while the lag is exact for a backlog under it in every lane.
     */
    static final int LAG_EXACT_POSITIONS = 1024;

    /**
     * Messages the group has still to settle: those it was never given plus those given and not yet settled (in
     * flight, waiting for redelivery or a delay). Never given counts, in each priority lane from the group's
     * position, the messages still held that are for the group: not those below its start (a group declared with
     * {@code newest} or {@code seq:N}, or sought), not those its filter refused (settled for it as filtered when they
     * came in), not holes (messages a limit, expiry or purge removed, or a delayed message's place at publish). It
     * looks at {@link #LAG_EXACT_POSITIONS} positions per lane at most and counts the rest of a longer lane whole: an
     * upper bound only past that backlog. A group with no filter that starts at the queue's first message (the common
     * case) is not walked: it counts every position past its own, holes included, an upper bound while a lane holds
     * holes. A read: moves nothing, allocates nothing.
     */
    public long groupLag(final int index)
    {
        final ConsumerGroup group = queue.groups.get(index);
        final PriorityLanes lanes = queue.lanes;
        long notGiven = 0;
        if (null == group.filter && group.floorSequence <= 1)
        {
            // Every message is for it from the first: what is past its position is what it has not had (holes
            // aside). The common case, read after every quiet batch: no walk.
            for (int priority = PriorityLanes.LOWEST; priority <= PriorityLanes.HIGHEST; priority++)
            {
                notGiven += Math.max(0, lanes.end(priority) - group.lanePositions[priority]);
            }
            return notGiven + group.attempts.size();
        }
        for (int priority = PriorityLanes.LOWEST; priority <= PriorityLanes.HIGHEST; priority++)
        {
            final long end = lanes.end(priority);
            long position = Math.max(group.lanePositions[priority], lanes.first(priority));
            final long exactEnd = Math.min(end, position + LAG_EXACT_POSITIONS);
            for (; position < exactEnd; position++)
            {
                final long sequence = lanes.sequenceAt(priority, position);
                final StoredMessage message = 0 == sequence ? null : queue.messages.get(sequence);
                if (null != message && group.neverGiven(message))
                {
                    notGiven++;
                }
            }
            notGiven += Math.max(0, end - position);
        }
        return notGiven + group.attempts.size();
    }

    /** What the queue keeps after every group acked a message: most ms after the last ack (0: no time bound). */
    public long retainMs()
    {
        return queue.retention.retainMs();
    }

    /** Most payload bytes of consumed messages kept (0: no size bound). */
    public long retainBytes()
    {
        return queue.retention.retainBytes();
    }

    /** Consumed messages kept now (part of {@link #depth()}), what a group can seek back to. */
    public long retained()
    {
        return queue.consumed.count();
    }

    /** Payload bytes of the consumed messages kept now (part of {@link #bytes()}). */
    public long retainedBytes()
    {
        return queue.consumed.bytes();
    }
}
