package io.ringmq.core.state;

import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.core.protocol.HeaderFilter;
import org.agrona.collections.LongArrayQueue;

import java.util.ArrayList;

/**
 * A group's view of a queue: its own position, its in-flight deliveries and its redeliveries. Every group of a
 * queue sees every message (fan-out), except a dead letter redriven for another group; the consumers of one group
 * compete for them.
 */
final class ConsumerGroup
{
    static final long NO_CONSUMER = 0;
    static final long NO_TIMER = Long.MIN_VALUE;

    /** Unique within the state machine, in creation order. */
    final long id;
    final String name;
    final Queue queue;
    final ArrayList<Consumer> consumers = new ArrayList<>();
    /** DEFAULT: the queue's strategy applies. */
    DispatchStrategy strategy = DispatchStrategy.DEFAULT;
    /** Where this group's dead letters go: {@code <queue>.dlq} unless declared otherwise. */
    String deadLetterQueue;
    /**
     * Per priority, the next position in its queue's lane ({@link PriorityLanes}) this group has never been given: a
     * message of that priority at or past it is one the group has not had yet.
     */
    final long[] lanePositions = new long[PriorityLanes.COUNT];
    /**
     * Per priority, sequences given back (nack, timeout, consumer gone) ready to be delivered again, first come first
     * served within the priority, before the priority's messages never delivered.
     */
    private final LongArrayQueue[] redeliveries = new LongArrayQueue[PriorityLanes.COUNT];
    /** Sequence to the consumer it is in flight to. */
    final SequenceMap inFlight = new SequenceMap(NO_CONSUMER);
    /** Sequence to the number of times it has been delivered, while this group has not settled it. */
    final SequenceMap attempts = new SequenceMap(0);
    /**
     * Sequence to the id of its timer: a delivery in flight waits for its visibility deadline, a message given back
     * with a delay waits to become ready again. One message is never both.
     */
    final SequenceMap deliveryTimers = new SequenceMap(NO_TIMER);
    /**
     * No message below this sequence is for the group (version 9): where it started or last sought to. A message
     * below it that is still held (another group needs it, or a delayed one not yet released) is stepped over.
     */
    long floorSequence = 1;
    /**
     * The header filter it was declared with, or null: a message it refuses is never the group's (see
     * {@link StoredMessage#isFor}); it was settled as filtered when it entered the queue, or when the group was made.
     */
    HeaderFilter filter;
    /**
     * Messages the filter refused: settled for this group without a delivery, counted once as each entered the queue
     * or, at or past the group's start, when the group was declared. A seek moves the group over messages already
     * counted (or below its start), so it counts nothing and delivers none the filter refuses.
     */
    long filtered;
    /**
     * Command time from which the group has had no consumer: when it was made, or when its last consumer left. Means
     * nothing while a consumer is attached. {@link GroupExpiry} deletes the group that long after it, if configured.
     */
    long idleSinceNs;
    /** Set once deleted (with its queue, or alone): a reference still held is to a group that no longer exists. */
    boolean deleted;
    /** Set while the group waits in the state machine's list of groups to deliver to after timers fired. */
    boolean deliveryPending;
    private int nextConsumer;

    /** A new group starts at the oldest message its queue holds (a position before it is stepped over). */
    ConsumerGroup(final long id, final String name, final Queue queue)
    {
        this.id = id;
        this.name = name;
        this.queue = queue;
        this.deadLetterQueue = queue.name + QueueStateMachine.DLQ_SUFFIX;
        for (int priority = PriorityLanes.LOWEST; priority <= PriorityLanes.HIGHEST; priority++)
        {
            lanePositions[priority] = PriorityLanes.FIRST_POSITION;
            redeliveries[priority] = new LongArrayQueue(Long.MIN_VALUE);
        }
    }

    /** Whether the group's filter, if it has one, lets the message's headers through. Allocation-free. */
    boolean accepts(final StoredMessage message)
    {
        return null == filter || filter.matches(message.headers(), 0, message.headersLength());
    }

    /** The group's filter expression, empty for none. */
    String filterExpression()
    {
        return null == filter ? "" : filter.expression();
    }

    /** The strategy this group dispatches with: its own if declared, else its queue's. */
    DispatchStrategy effectiveStrategy()
    {
        return DispatchStrategy.DEFAULT != strategy ? strategy : queue.policy.strategy();
    }

    /**
     * The consumer with credit that gets the next delivery: the next in turn (round-robin), or the one with the
     * fewest deliveries in flight, ties going to the next in turn (least-outstanding: a slow consumer gets less).
     *
     * @return the consumer, or null if none has credit.
     */
    Consumer nextConsumerWithCapacity(final DispatchStrategy strategy)
    {
        final int size = consumers.size();
        int chosen = -1;
        for (int i = 0; i < size; i++)
        {
            final int index = (nextConsumer + i) % size;
            final Consumer consumer = consumers.get(index);
            if (consumer.hasCapacity())
            {
                if (DispatchStrategy.LEAST_OUTSTANDING != strategy)
                {
                    chosen = index;
                    break;
                }
                if (-1 == chosen || consumer.inFlight < consumers.get(chosen).inFlight)
                {
                    chosen = index;
                }
            }
        }
        if (-1 == chosen)
        {
            return null;
        }
        nextConsumer = (chosen + 1) % size;
        return consumers.get(chosen);
    }

    /**
     * Whether a message is ready for this group: a redelivery, or a never-delivered message still held and meant for
     * it. Steps each lane's position over messages that left before this group existed (a new group starts at the
     * oldest message held), or since, and over dead letters redriven for another group.
     */
    boolean hasReady()
    {
        return readyPriority() >= PriorityLanes.LOWEST;
    }

    /**
     * The next sequence to deliver: of the highest priority ready, a redelivery first, else the oldest never
     * delivered; call only after {@link #hasReady()} returned true.
     */
    long pollReadySequence()
    {
        final int priority = readyPriority();
        final LongArrayQueue given = redeliveries[priority];
        if (!given.isEmpty())
        {
            return given.pollLong();
        }
        return queue.lanes.sequenceAt(priority, lanePositions[priority]++);
    }

    /** The highest priority with a message ready for this group, or -1: ten lane heads looked at, nothing scanned. */
    private int readyPriority()
    {
        for (int priority = PriorityLanes.HIGHEST; priority >= PriorityLanes.LOWEST; priority--)
        {
            if (!redeliveries[priority].isEmpty() || stepToReady(priority))
            {
                return priority;
            }
        }
        return -1;
    }

    /** Moves the lane's position to the next message held for this group; whether there is one. */
    private boolean stepToReady(final int priority)
    {
        final PriorityLanes lanes = queue.lanes;
        final long end = lanes.end(priority);
        long position = lanePositions[priority];
        if (position < end && !holdsFor(lanes.sequenceAt(priority, position)))
        {
            position = Math.max(position, lanes.first(priority));
            while (position < end && !holdsFor(lanes.sequenceAt(priority, position)))
            {
                position++;
            }
            lanePositions[priority] = position;
        }
        return position < end;
    }

    private boolean holdsFor(final long sequence)
    {
        final StoredMessage message = queue.messages.get(sequence);
        return null != message && sequence >= floorSequence && message.isFor(this);
    }

    /** Whether this group has not been given the message yet (it was never delivered to this group). */
    boolean neverGiven(final StoredMessage message)
    {
        return message.lanePosition >= lanePositions[message.priority] && message.sequence >= floorSequence &&
            message.isFor(this);
    }

    /** Whether the group still has to settle the message: never given it, or given and not settled yet. */
    boolean needs(final StoredMessage message)
    {
        return neverGiven(message) || attempts.containsKey(message.sequence);
    }

    /**
     * Starts over from {@code floor} (a seek): every message held for it from there on is one it has not been given,
     * none of its deliveries is in flight and nothing waits for redelivery. The caller ends deliveries and timers.
     */
    void restartAt(final long floor)
    {
        floorSequence = floor;
        for (int priority = PriorityLanes.LOWEST; priority <= PriorityLanes.HIGHEST; priority++)
        {
            lanePositions[priority] = queue.lanes.first(priority);
            redeliveries[priority].clear();
        }
        for (final long sequence : inFlight.keys())
        {
            inFlight.remove(sequence);
        }
        for (final long sequence : attempts.keys())
        {
            attempts.remove(sequence);
        }
    }

    /** The group will never be given any message its queue holds now (a purge). */
    void skipEverythingHeld()
    {
        for (int priority = PriorityLanes.LOWEST; priority <= PriorityLanes.HIGHEST; priority++)
        {
            lanePositions[priority] = queue.lanes.end(priority);
        }
    }

    /** A message given back unsettled is ready again, behind the others of its priority given back before it. */
    void offerRedelivery(final long sequence)
    {
        redeliveries[queue.messages.get(sequence).priority].offerLong(sequence);
    }

    /** Every redelivery waiting, highest priority first, in order within each (allocates: snapshots, describing). */
    long[] redeliveries()
    {
        int count = 0;
        for (final LongArrayQueue lane : redeliveries)
        {
            count += lane.size();
        }
        final long[] sequences = new long[count];
        int index = 0;
        for (int priority = PriorityLanes.HIGHEST; priority >= PriorityLanes.LOWEST; priority--)
        {
            final LongArrayQueue lane = redeliveries[priority];
            for (int i = 0, size = lane.size(); i < size; i++)
            {
                final long sequence = lane.pollLong();
                sequences[index++] = sequence;
                lane.offerLong(sequence);
            }
        }
        return sequences;
    }

    /** Index in {@link #consumers} where the next round-robin search starts (state, for describing it). */
    int nextConsumerIndex()
    {
        return nextConsumer;
    }

    void restoreNextConsumerIndex(final int index)
    {
        nextConsumer = index;
    }

    /** Takes a dropped message out of the redelivery FIFO, keeping the others in order (admin path only). */
    void removeRedelivery(final long sequence)
    {
        for (final LongArrayQueue lane : redeliveries)
        {
            for (int i = 0, size = lane.size(); i < size; i++)
            {
                final long queued = lane.pollLong();
                if (queued != sequence)
                {
                    lane.offerLong(queued);
                }
            }
        }
    }

    void removeConsumer(final Consumer consumer)
    {
        consumers.remove(consumer);
        nextConsumer = 0;
    }
}
