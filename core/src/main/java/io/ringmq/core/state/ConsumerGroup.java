package io.ringmq.core.state;

import io.ringmq.codecs.DispatchStrategy;
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
    /** Next sequence this group has never been given. */
    long cursor;
    /** Sequences given back (nack, timeout, consumer gone) ready to be delivered again, first come first served. */
    final LongArrayQueue redeliveries = new LongArrayQueue(Long.MIN_VALUE);
    /** Sequence to the consumer it is in flight to. */
    final SequenceMap inFlight = new SequenceMap(NO_CONSUMER);
    /** Sequence to the number of times it has been delivered, while this group has not settled it. */
    final SequenceMap attempts = new SequenceMap(0);
    /**
     * Sequence to the id of its timer: a delivery in flight waits for its visibility deadline, a message given back
     * with a delay waits to become ready again. One message is never both.
     */
    final SequenceMap deliveryTimers = new SequenceMap(NO_TIMER);
    /** Set while the group waits in the state machine's list of groups to deliver to after timers fired. */
    boolean deliveryPending;
    private int nextConsumer;

    ConsumerGroup(final long id, final String name, final Queue queue, final long cursor)
    {
        this.id = id;
        this.name = name;
        this.queue = queue;
        this.cursor = cursor;
        this.deadLetterQueue = queue.name + QueueStateMachine.DLQ_SUFFIX;
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
     * it. Steps the cursor over sequences freed before this group existed (a new group starts at the oldest message
     * held) and over dead letters redriven for another group.
     */
    boolean hasReady()
    {
        if (!redeliveries.isEmpty())
        {
            return true;
        }
        if (cursor < queue.nextSequence && !holdsFor(cursor))
        {
            cursor = Math.max(cursor, queue.lowestRetainedSequence());
            while (cursor < queue.nextSequence && !holdsFor(cursor))
            {
                cursor++;
            }
        }
        return cursor < queue.nextSequence;
    }

    private boolean holdsFor(final long sequence)
    {
        final StoredMessage message = queue.messages.get(sequence);
        return null != message && message.isFor(this);
    }

    /**
     * The next sequence to deliver, redeliveries first; call only after {@link #hasReady()} returned true.
     */
    long pollReadySequence()
    {
        return redeliveries.isEmpty() ? cursor++ : redeliveries.pollLong();
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
        for (int i = 0, size = redeliveries.size(); i < size; i++)
        {
            final long queued = redeliveries.pollLong();
            if (queued != sequence)
            {
                redeliveries.offerLong(queued);
            }
        }
    }

    void removeConsumer(final Consumer consumer)
    {
        consumers.remove(consumer);
        nextConsumer = 0;
    }
}
