package io.ringmq.core.state;

import org.agrona.DirectBuffer;

import java.util.ArrayList;

/**
 * Puts messages into queues and takes them out, keeping the message pool, the aged queues and every group's
 * bookkeeping in step with what the queues hold.
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class MessageStore
{
    private final SharedState state;
    private final MessagePool messagePool;
    private final AgedQueues agedQueues;
    private final DeliveryTimers deliveryTimers;

    MessageStore(final SharedState state)
    {
        this.state = state;
        this.messagePool = state.messagePool;
        this.agedQueues = state.agedQueues;
        this.deliveryTimers = state.deliveryTimers;
    }

    /** Stores a message at the queue's next sequence, held for every group the queue has now. */
    StoredMessage append(
        final Queue queue,
        final int priority,
        final DirectBuffer payload,
        final int offset,
        final int length,
        final long publishTimestampNs)
    {
        final StoredMessage message = messagePool.acquire();
        message.set(queue.nextSequence, publishTimestampNs, state.nowNs, payload, offset, length);
        return enqueue(queue, priority, message);
    }

    /**
     * Stores a message a Publish brought, whose journal record is at {@code logSequence}: a queue that keeps what it
     * consumes remembers the record, so the payload may leave memory once the message is kept and be read back then.
     */
    StoredMessage appendPublished(
        final Queue queue,
        final int priority,
        final DirectBuffer payload,
        final int length,
        final long publishTimestampNs,
        final long logSequence)
    {
        final StoredMessage message = messagePool.acquire();
        message.set(queue.nextSequence, publishTimestampNs, state.nowNs, payload, 0, length);
        if (queue.retention.keepsAny())
        {
            message.payloadLogSequence = logSequence;
        }
        return enqueue(queue, priority, message);
    }

    /**
     * Stores a copy of a message (a dead letter, a redriven letter) at the queue's next sequence, with its metadata. An
     * evicted payload is not copied (nothing here holds it): the copy points at the same journal record. A payload in
     * memory is copied, and the copy still names its record only if this queue keeps what it consumes.
     */
    StoredMessage appendCopy(final Queue queue, final StoredMessage original)
    {
        final StoredMessage message = messagePool.acquire();
        final long sequence = queue.nextSequence;
        if (original.payloadInJournal())
        {
            message.set(sequence, original.publishTimestampNs, state.nowNs, original.payload(), 0, 0);
            message.payloadEvictedAt(original.payloadLogSequence, original.length());
        }
        else
        {
            message.set(sequence, original.publishTimestampNs, state.nowNs, original.payload(), 0, original.length());
            if (queue.retention.keepsAny())
            {
                message.payloadLogSequence = original.payloadLogSequence;
            }
        }
        message.copyMetadataFrom(original);
        return enqueue(queue, original.priority, message);
    }

    private StoredMessage enqueue(final Queue queue, final int priority, final StoredMessage message)
    {
        final long sequence = queue.nextSequence++;
        message.unsettledGroups = queue.groups.size();
        message.priority = priority;
        message.lanePosition = queue.lanes.add(priority, sequence);
        queue.messages.append(sequence, message);
        agedQueues.onAppend(queue, state.nowNs);
        state.queues.touch(queue);
        return message;
    }

    /** A message just stored is for one group only: the queue's other groups, and groups created later, never see it. */
    StoredMessage forGroupOnly(final ConsumerGroup group, final StoredMessage message)
    {
        message.onlyForGroupId = group.id;
        message.unsettledGroups = 1;
        return message;
    }

    /**
     * A message just appended and given its headers: each group whose filter refuses it settles it at once, counted
     * as filtered (a queue without groups keeps it for the first one, as it keeps any message). Allocation-free; the
     * caller ({@link Retention#enteredQueue}) consumes a message every group refused.
     *
     * @return whether some group still has to settle it, or the queue has no group yet.
     */
    boolean settleFiltered(final Queue queue, final StoredMessage message)
    {
        final ArrayList<ConsumerGroup> groups = queue.groups;
        final int size = groups.size();
        if (StoredMessage.EVERY_GROUP != message.onlyForGroupId)
        {
            return true;
        }
        for (int i = 0; i < size; i++)
        {
            final ConsumerGroup group = groups.get(i);
            if (!group.accepts(message))
            {
                group.filtered++;
                message.unsettledGroups--;
            }
        }
        return 0 == size || 0 != message.unsettledGroups;
    }

    /**
     * Holds a message just appended back until {@code untilNs} (a delayed publish): no group sees it before then. Its
     * lane position is given up (a hole the groups step over); it takes a new one, behind what is available by then,
     * when it is released.
     */
    void hold(final Queue queue, final StoredMessage message, final long untilNs)
    {
        queue.lanes.remove(message.priority, message.lanePosition);
        message.lanePosition = StoredMessage.HELD;
        message.heldUntilNs = untilNs;
        state.heldMessages.add(queue, message);
    }

    /** A held message's time has come: it joins its lane, behind the messages available before it. */
    void release(final Queue queue, final StoredMessage message)
    {
        state.heldMessages.remove(message);
        message.heldUntilNs = StoredMessage.NOT_HELD;
        message.lanePosition = queue.lanes.add(message.priority, message.sequence);
    }

    /** The message expires at {@code atNs} (its time to live), wherever it is then. */
    void expireAt(final Queue queue, final StoredMessage message, final long atNs)
    {
        message.expiresAtNs = atNs;
        state.expiringMessages.add(queue, message);
    }

    /** Takes a retained message out of its queue (not back to the pool: the caller may still read it). */
    StoredMessage takeOut(final Queue queue, final long sequence)
    {
        final StoredMessage message = queue.messages.remove(sequence);
        if (null != message)
        {
            if (StoredMessage.HELD != message.lanePosition)
            {
                queue.lanes.remove(message.priority, message.lanePosition);
            }
            state.heldMessages.remove(message);
            state.expiringMessages.remove(message);
            if (message.isKept())
            {
                queue.consumed.forget(message);
            }
            if (message.isDeadLetter())
            {
                queue.deadLetters--;
            }
            state.queues.touch(queue);
        }
        if (queue.messages.isEmpty())
        {
            agedQueues.onEmptied(queue);
        }
        return message;
    }

    /** Removes a message from the queue and from every group's bookkeeping. */
    void drop(final Queue queue, final long sequence)
    {
        forgetInGroups(queue, sequence);
        messagePool.release(takeOut(queue, sequence));
    }

    /** Every group of the queue forgets the message: its timer, its attempts, its place in the redelivery FIFO. */
    void forgetInGroups(final Queue queue, final long sequence)
    {
        final ArrayList<ConsumerGroup> groups = queue.groups;
        for (int i = 0, size = groups.size(); i < size; i++)
        {
            final ConsumerGroup group = groups.get(i);
            // Delivered before, not in flight and not waiting on a timer: it waits in the redelivery FIFO.
            final boolean waitsForRedelivery = group.attempts.containsKey(sequence) &&
                !group.inFlight.containsKey(sequence) && !group.deliveryTimers.containsKey(sequence);
            deliveryTimers.cancel(group, sequence);
            group.attempts.remove(sequence);
            if (waitsForRedelivery)
            {
                group.removeRedelivery(sequence);
            }
        }
    }
}
