package io.ringmq.core.state;

import io.ringmq.codecs.DeadLetterReason;
import io.ringmq.codecs.LimitAction;
import io.ringmq.core.protocol.Names;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;

/**
 * Keeps queues within their limits of age and size: messages that came of age or are pushed out by newer ones leave,
 * dead-lettered or dropped, and messages that do not fit are refused; each is counted. Dead letters are appended here
 * too, because a dead-letter queue has limits of its own.
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class LimitEnforcer
{
    private final SharedState state;
    private final QueueIndex queues;
    private final Long2ObjectHashMap<Consumer> consumers;
    private final MessagePool messagePool;
    private final AgedQueues agedQueues;
    private final LimitCounts limitCounts;
    private final MessageStore store;
    private final Dispatcher dispatcher;
    private final Retention retention;

    LimitEnforcer(
        final SharedState state, final MessageStore store, final Dispatcher dispatcher, final Retention retention)
    {
        this.retention = retention;
        this.state = state;
        this.queues = state.queues;
        this.consumers = state.consumers;
        this.messagePool = state.messagePool;
        this.agedQueues = state.agedQueues;
        this.limitCounts = state.limitCounts;
        this.store = store;
        this.dispatcher = dispatcher;
    }

    /** After rules or defaults changed: every queue's settings, and so its limits, are resolved again. */
    void resolvePolicies()
    {
        queues.resolvePolicies();
        agedQueues.rebuild();
    }

    /**
     * Makes room for a message of {@code length} bytes under the queue's size limits: the oldest messages are pushed
     * out (dead-lettered or dropped, and counted) until it fits, or, with overflow REJECT_PUBLISH or a message larger
     * than the byte limit, it is refused and counted.
     *
     * @return whether the message may be appended.
     */
    boolean makeRoom(final Queue queue, final int length)
    {
        final QueueLimits limits = queue.policy.limits();
        final RetainedMessages messages = queue.messages;
        if (limits.admits(messages.size(), messages.bytes(), length))
        {
            return true;
        }
        final LimitAction action = limits.overflowAction();
        if (LimitAction.REJECT_PUBLISH == action || !limits.fitsAlone(length))
        {
            queue.refused++;
            limitCounts.refused++;
            return false;
        }
        while (!limits.admits(messages.size(), messages.bytes(), length))
        {
            removeByLimit(queue, messages.oldest(), DeadLetterReason.OVERFLOW, action);
            queue.overflowed++;
            limitCounts.overflowed++;
        }
        return true;
    }

    /**
     * Messages that have been in an aged queue for its maximum age leave it, oldest first: expiry is checked when
     * time arrives, like deadlines, and deliveries it makes possible wait until time has finished advancing.
     */
    void expireAgedMessages()
    {
        final long nowNs = state.nowNs;
        state.timeAdvancing = true;
        for (int i = 0; i < agedQueues.count(); i++)
        {
            final Queue queue = agedQueues.get(i);
            StoredMessage oldest;
            while (null != (oldest = queue.messages.oldest()) &&
                AgedQueues.deadlineNs(queue, oldest.enqueuedNs) <= nowNs)
            {
                removeByLimit(queue, oldest, DeadLetterReason.EXPIRED, queue.policy.limits().expiredAction());
                queue.expired++;
                limitCounts.expired++;
            }
        }
        state.timeAdvancing = false;
        agedQueues.recompute();
    }

    /**
     * Messages whose own time to live has passed leave their queues as a queue's maximum age makes them leave: by the
     * queue's expired action (dead-lettered or dropped), counted as expired; earliest first, in the order
     * {@link MessageDeadlines} states. Checked when time arrives, after the maximum ages.
     */
    void expireMessagesPastTtl()
    {
        final MessageDeadlines expiring = state.expiringMessages;
        final long nowNs = state.nowNs;
        state.timeAdvancing = true;
        while (expiring.isDue(nowNs))
        {
            final Queue queue = expiring.earliestQueue();
            removeByLimit(queue, expiring.earliest(), DeadLetterReason.EXPIRED, queue.policy.limits().expiredAction());
            queue.expired++;
            limitCounts.expired++;
        }
        state.timeAdvancing = false;
    }

    /**
     * A limit takes a message out of its queue, from every group it is for that has not settled it: a delivery in
     * flight ends (its ack becomes stale) and, with DEAD_LETTER, each such group's dead-letter queue gets a copy. A
     * message that is already a dead letter is dropped rather than dead-lettered again, so limits on dead-letter
     * queues never cascade. A queue without groups dead-letters to {@code <queue>.dlq}.
     * <p>
     * The message leaves the queue and every group's bookkeeping before any copy is made: making room in a full
     * dead-letter queue can push a message back into this very queue (groups naming each other's queues as their
     * DLQs), which must then find this one gone, not push it out again. Allocates only to dead-letter.
     */
    private void removeByLimit(
        final Queue queue, final StoredMessage message, final DeadLetterReason reason, final LimitAction action)
    {
        final long sequence = message.sequence;
        if (message.isKept())
        {
            // Consumed, kept for a seek back: no group needs it, so it leaves without a copy.
            messagePool.release(store.takeOut(queue, sequence));
            queue.dropped++;
            limitCounts.dropped++;
            return;
        }
        final boolean deadLetter = LimitAction.DEAD_LETTER == action && !message.isDeadLetter();
        final ArrayList<ConsumerGroup> groups = queue.groups;
        final int[] attemptsByGroup = deadLetter ? new int[groups.size()] : null;
        store.takeOut(queue, sequence);
        for (int i = 0, size = groups.size(); i < size; i++)
        {
            final ConsumerGroup group = groups.get(i);
            final boolean needed =
                group.neverGiven(message) || group.attempts.containsKey(sequence);
            if (null != attemptsByGroup)
            {
                attemptsByGroup[i] = needed ? (int)group.attempts.get(sequence) : -1;
            }
            if (!needed)
            {
                continue; // settled by this group
            }
            final Consumer consumer = consumers.get(group.inFlight.remove(sequence));
            if (null != consumer)
            {
                consumer.deliveryEnded();
            }
            if (state.timeAdvancing)
            {
                dispatcher.deliverLater(group);
            }
        }
        store.forgetInGroups(queue, sequence);

        if (deadLetter)
        {
            if (groups.isEmpty())
            {
                deadLetterTo(queue.name + QueueStateMachine.DLQ_SUFFIX, queue, message, reason, 0, "");
            }
            for (int i = 0; i < attemptsByGroup.length; i++)
            {
                if (attemptsByGroup[i] >= 0)
                {
                    final ConsumerGroup group = groups.get(i);
                    deadLetterTo(group.deadLetterQueue, queue, message, reason, attemptsByGroup[i], group.name);
                }
            }
        }
        else
        {
            queue.dropped++;
            limitCounts.dropped++;
        }
        messagePool.release(message);
    }

    /**
     * Appends a copy of the message to a dead-letter queue, unless that queue is full and refuses more (overflow
     * REJECT_PUBLISH), which counts it there as refused, or its name breaks the {@link Names} rule (a default
     * {@code .dlq} added to a name of more than {@link Names#MAX_LENGTH}), which drops it, counted in the source.
     * <p>
     * When the dead-letter queue must make room first, what it pushes out may cascade into other queues, and a
     * message still held by another group of the source queue may be pushed out too and its storage reused: the
     * letter is then made from a copy taken before (allocates; only on that path).
     */
    void deadLetterTo(
        final String deadLetterQueue,
        final Queue source,
        final StoredMessage original,
        final DeadLetterReason reason,
        final int attempts,
        final String groupName)
    {
        if (!Names.isValid(deadLetterQueue))
        {
            // The default dead-letter queue of a queue whose name is past Names.MAX_LENGTH already (a dead-letter
            // queue of a long name): nothing could name it, so it is not made and the letter is dropped.
            source.dropped++;
            return;
        }
        source.activity.deadLettered++;
        queues.figuresChanged(source); // a group's copy: the message may stay for the queue's other groups
        final Queue dlq = queues.getOrCreate(deadLetterQueue);
        final int length = original.length();
        StoredMessage from = original;
        if (!dlq.policy.limits().admits(dlq.messages.size(), dlq.messages.bytes(), length))
        {
            from = original.detachedCopy(); // making room may recycle the original: keep what the letter needs of it
        }
        if (!makeRoom(dlq, length))
        {
            return;
        }
        final StoredMessage letter = store.appendCopy(dlq, from);
        letter.markDeadLetter(reason, attempts, source.name, groupName);
        dlq.deadLetters++;
        retention.enteredQueue(dlq, letter);
        if (state.timeAdvancing)
        {
            for (int i = 0, size = dlq.groups.size(); i < size; i++)
            {
                dispatcher.deliverLater(dlq.groups.get(i));
            }
        }
        else
        {
            dispatcher.deliverToAllGroups(dlq);
        }
    }
}
