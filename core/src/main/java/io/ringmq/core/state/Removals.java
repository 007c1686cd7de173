package io.ringmq.core.state;

import io.ringmq.codecs.ErrorCode;

import java.util.ArrayList;
import java.util.List;

/**
 * Deleting a queue or one of its groups: what an operator does about a mistyped queue name that lives for ever, or
 * a group a one-off consumer left behind, which pins every later message of its queue. Journaled like any admin
 * command, so a replay deletes at the same point. Rare and allowed to allocate.
 * <p>
 * A delete is refused (HAS_CONSUMERS) while consumers are attached, unless forced; forced, they are detached as an
 * Unsubscribe would, except that their deliveries end with the group (acks for them become UNKNOWN_CONSUMER). A
 * deleted queue's remembered message ids go with it.
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class Removals
{
    private final SharedState state;
    private final Sessions sessions;
    private final MessageStore store;

    Removals(final SharedState state, final Sessions sessions, final MessageStore store)
    {
        this.state = state;
        this.sessions = sessions;
        this.store = store;
    }

    /**
     * Deletes the queue: its messages, in flight or not, its groups and their consumers. Its dead-letter queue is a
     * queue of its own and stays. The name is free again: a later publish or subscribe creates a new, empty queue.
     *
     * @return the messages dropped, or -1 after answering an error.
     */
    long deleteQueue(final long sessionId, final long correlationId, final Queue queue, final boolean force)
    {
        if (!force && refusedForConsumers(sessionId, correlationId, queue.groups))
        {
            return -1;
        }
        final long[] sequences = queue.messages.sequences();
        for (final long sequence : sequences)
        {
            store.drop(queue, sequence);
        }
        for (int i = queue.groups.size() - 1; i >= 0; i--)
        {
            detachConsumers(queue.groups.get(i));
            queue.groups.get(i).deleted = true;
        }
        queue.groups.clear();
        state.queues.remove(queue);
        state.messageIds.forgetQueue(queue.name);
        state.agedQueues.rebuild();
        return sequences.length;
    }

    /**
     * Deletes one group: its consumers, its deliveries and what it still had to settle. A message no other group of
     * the queue waits for leaves the queue (to no dead-letter queue: nobody failed it).
     *
     * @return the messages that left the queue, or -1 after answering an error.
     */
    long deleteGroup(
        final long sessionId, final long correlationId, final Queue queue, final String groupName, final boolean force)
    {
        final ConsumerGroup group = queue.group(groupName);
        if (null == group)
        {
            state.sink.onError(sessionId, correlationId, ErrorCode.UNKNOWN_GROUP,
                "queue " + queue.name + " has no group " + groupName);
            return -1;
        }
        if (!force && refusedForConsumers(sessionId, correlationId, List.of(group)))
        {
            return -1;
        }
        long left = 0;
        for (final long sequence : queue.messages.sequences())
        {
            final StoredMessage message = queue.messages.get(sequence);
            if (!group.neverGiven(message) && !group.attempts.containsKey(sequence))
            {
                continue; // settled by this group, or never for it
            }
            state.deliveryTimers.cancel(group, sequence);
            group.attempts.remove(sequence);
            group.inFlight.remove(sequence);
            if (--message.unsettledGroups == 0)
            {
                store.drop(queue, sequence);
                left++;
            }
        }
        detachConsumers(group);
        group.deleted = true;
        queue.groups.remove(group);
        state.queues.touch(queue);
        return left;
    }

    private boolean refusedForConsumers(
        final long sessionId, final long correlationId, final List<ConsumerGroup> groups)
    {
        int attached = 0;
        for (final ConsumerGroup group : groups)
        {
            attached += group.consumers.size();
        }
        if (0 == attached)
        {
            return false;
        }
        state.sink.onError(sessionId, correlationId, ErrorCode.HAS_CONSUMERS,
            attached + " consumer(s) attached: detach them first, or force the delete");
        return true;
    }

    private void detachConsumers(final ConsumerGroup group)
    {
        for (final Consumer consumer : new ArrayList<>(group.consumers))
        {
            state.consumers.remove(consumer.id);
            WildcardSubscriptions.detached(consumer); // its pattern subscription stays, for queues created later
            final Session session = sessions.byId.get(consumer.sessionId);
            if (null != session)
            {
                session.consumers.remove(consumer);
            }
            group.removeConsumer(consumer);
        }
        state.queues.touch(group.queue);
    }
}
