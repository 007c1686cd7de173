package io.ringmq.core.state;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.ErrorCode;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Operator commands on one queue: browse what it holds, redrive dead letters to where they came from, purge it, and
 * report its stats; delete it or one of its groups ({@link Removals}). Rare and allowed to allocate; none of it is on the per-message path.
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class AdminCommands
{
    private final SharedState state;
    private final QueueIndex queues;
    private final Declarations declarations;
    private final Long2ObjectHashMap<Consumer> consumers;
    private final MessageStore store;
    private final Dispatcher dispatcher;
    private final LimitEnforcer limits;
    private final Removals removals;
    private final Retention retention;

    AdminCommands(
        final SharedState state,
        final Declarations declarations,
        final MessageStore store,
        final Dispatcher dispatcher,
        final LimitEnforcer limits,
        final Removals removals,
        final Retention retention)
    {
        this.retention = retention;
        this.state = state;
        this.queues = state.queues;
        this.declarations = declarations;
        this.consumers = state.consumers;
        this.store = store;
        this.dispatcher = dispatcher;
        this.limits = limits;
        this.removals = removals;
    }

    /**
     * Applies one admin action of a connected session to the queue named by {@code queueName} and answers it.
     *
     * @param count       at most this many messages; 0 for all.
     * @param groupFilter browse and redrive: only letters from this group ("" = all); delete group: the group.
     * @param force       delete queue or group: even with consumers attached.
     */
    void apply(
        final long sessionId,
        final long correlationId,
        final AdminAction action,
        final long count,
        final DirectBuffer queueName,
        final String groupFilter,
        final boolean force)
    {
        final OutputSink sink = state.sink;
        final Queue queue = declarations.existingOrRefused(sessionId, correlationId, queueName); // never creates one
        if (null == queue)
        {
            return;
        }
        if (count < 0)
        {
            sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT,
                "count=" + count + " is invalid: must be 0 (all) or more");
            return;
        }
        final long limit = 0 == count ? Long.MAX_VALUE : count;
        final long done = switch (action)
        {
            case BROWSE -> browse(sessionId, correlationId, queue, groupFilter, limit);
            case REDRIVE -> redrive(queue, groupFilter, limit);
            case PURGE -> purge(queue);
            case STATS -> stats(sessionId, correlationId, queue);
            case DELETE_QUEUE -> removals.deleteQueue(sessionId, correlationId, queue, force);
            case DELETE_GROUP -> removals.deleteGroup(sessionId, correlationId, queue, groupFilter, force);
            default -> -1;
        };
        if (done < 0)
        {
            if (AdminAction.DELETE_QUEUE != action && AdminAction.DELETE_GROUP != action) // those answered already
            {
                sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT, "unknown admin action " + action);
            }
            return;
        }
        sink.onAdminDone(sessionId, correlationId, done);
    }

    /** Shows up to {@code limit} messages the queue holds, oldest first. @return the number shown. */
    long browse(
        final long sessionId, final long correlationId, final Queue queue, final String groupFilter, final long limit)
    {
        long shown = 0;
        for (final long sequence : retainedSequences(queue))
        {
            final StoredMessage message = queue.messages.get(sequence);
            if (shown < limit && fromGroup(message, groupFilter))
            {
                state.sink.onBrowsed(sessionId, correlationId, message);
                shown++;
            }
        }
        return shown;
    }

    /**
     * Moves dead letters not in flight to any group of the dead-letter queue back to the queues they came from,
     * oldest first, as new messages there (first attempt again) for the group that dead-lettered each: the queue's
     * other groups had settled the message or have their own letter of it. A letter no group dead-lettered (its
     * queue had none) goes back for every group, as a publish would. A letter whose group is not in its queue stays
     * a letter rather than reach groups that never had it (groups are never removed today: a guard, not a path).
     */
    private long redrive(final Queue dlq, final String groupFilter, final long limit)
    {
        long moved = 0;
        for (final long sequence : retainedSequences(dlq))
        {
            final StoredMessage letter = dlq.messages.get(sequence);
            if (moved >= limit || null == letter || null == letter.sourceQueue || !fromGroup(letter, groupFilter) ||
                isInFlight(dlq, sequence))
            {
                continue; // a null letter was pushed out of a full dead-letter queue by this redrive
            }
            final boolean forEveryGroup = !state.followsVersion5Rules || !letter.hasSourceGroup();
            final Queue source =
                forEveryGroup ? queues.getOrCreate(letter.sourceQueue) : queues.get(letter.sourceQueue);
            final ConsumerGroup target = forEveryGroup || null == source ? null : source.group(letter.sourceGroup);
            if ((!forEveryGroup && null == target) || !limits.makeRoom(source, letter.length()))
            {
                continue; // stays a dead letter: its group is gone, or the source is full and refuses more
            }
            if (null == dlq.messages.get(sequence) || isInFlight(dlq, sequence))
            {
                // Making room dead-lettered the source's oldest into this DLQ, which pushed this letter out of it or
                // delivered it: it is no longer a letter to move.
                continue;
            }
            if (forEveryGroup)
            {
                final StoredMessage redriven = store.appendCopy(source, letter);
                retention.enteredQueue(source, redriven);
                store.drop(dlq, sequence);
                dispatcher.deliverToAllGroups(source);
            }
            else
            {
                store.forGroupOnly(target, store.appendCopy(source, letter));
                store.drop(dlq, sequence);
                dispatcher.deliverReady(target);
            }
            moved++;
        }
        return moved;
    }

    /** One QueueStats answer (allocates: admin only). @return 1, the queue it described. */
    private long stats(final long sessionId, final long correlationId, final Queue queue)
    {
        long inFlight = 0;
        int consumerCount = 0;
        for (final ConsumerGroup group : queue.groups)
        {
            inFlight += group.inFlight.size();
            consumerCount += group.consumers.size();
        }
        state.sink.onQueueStats(
            sessionId, correlationId, counters(queue), inFlight, queue.groups.size(), consumerCount);
        return 1;
    }

    /** Drops every message the queue holds; deliveries in flight end (their acks become stale). */
    private long purge(final Queue queue)
    {
        final long[] sequences = retainedSequences(queue);
        for (final ConsumerGroup group : queue.groups)
        {
            for (final long sequence : sequences)
            {
                final Consumer consumer = consumers.get(group.inFlight.remove(sequence));
                if (null != consumer)
                {
                    consumer.deliveryEnded();
                }
            }
            group.skipEverythingHeld();
            state.queues.figuresChanged(queue);
        }
        for (final long sequence : sequences)
        {
            store.drop(queue, sequence);
        }
        for (final ConsumerGroup group : queue.groups)
        {
            dispatcher.deliverReady(group); // its consumers may have capacity for messages published after the purge
        }
        return sequences.length;
    }

    /** What the queue holds and what its limits did, copied out. */
    static QueueCounters counters(final Queue queue)
    {
        return new QueueCounters(queue.messages.size(), queue.messages.bytes(), queue.expired, queue.overflowed,
            queue.dropped, queue.refused);
    }

    private static boolean isInFlight(final Queue queue, final long sequence)
    {
        for (final ConsumerGroup group : queue.groups)
        {
            if (group.inFlight.containsKey(sequence))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean fromGroup(final StoredMessage message, final String groupFilter)
    {
        return groupFilter.isEmpty() || groupFilter.equals(message.sourceGroup);
    }

    /** The queue's retained sequences in order (allocates: admin commands only). */
    private static long[] retainedSequences(final Queue queue)
    {
        return queue.messages.sequences();
    }
}
