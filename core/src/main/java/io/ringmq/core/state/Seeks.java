package io.ringmq.core.state;

import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.StartPoint;
import org.agrona.DirectBuffer;

/**
 * Moves a consumer group to a place in its queue (schema version 9): a sequence, a time, the oldest message held or
 * past the newest. From there on, every message the queue holds for the group is one it has not been given, kept
 * consumed ones included; below it, none is.
 * <p>
 * A seek ends the group's deliveries in flight (an ack, nack or extend of one is refused as stale, its consumer gets
 * its credit back) and its redeliveries waiting; a message at or past the place is delivered again as attempt 1. A
 * message below the place that the group had not settled is settled by the seek: if no other group needs it, it is
 * consumed (kept if the queue retains, else it leaves). Deterministic: the place is resolved from the state and the
 * command alone (a time compares with each message's time of entering the queue, which is command time).
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class Seeks
{
    private final SharedState state;
    private final Retention retention;
    private final Dispatcher dispatcher;

    Seeks(final SharedState state, final Retention retention, final Dispatcher dispatcher)
    {
        this.state = state;
        this.retention = retention;
        this.dispatcher = dispatcher;
    }

    /** A Seek command: answered by AdminDone (count = messages the group now has to deliver) or an error. */
    void seek(
        final long sessionId,
        final long correlationId,
        final DirectBuffer queueName,
        final String groupName,
        final StartPoint to,
        final long value)
    {
        final OutputSink sink = state.sink;
        final Queue queue = state.queues.get(queueName, 0, queueName.capacity());
        if (null == queue)
        {
            sink.onError(sessionId, correlationId, ErrorCode.UNKNOWN_QUEUE,
                "no queue " + queueName.getStringWithoutLengthAscii(0, Math.min(queueName.capacity(), 300)));
            return;
        }
        final ConsumerGroup group = queue.group(groupName);
        if (null == group)
        {
            sink.onError(sessionId, correlationId, ErrorCode.UNKNOWN_GROUP,
                "queue " + queue.name + " has no group " + groupName);
            return;
        }
        final String problem = problem(to, value);
        if (null != problem)
        {
            sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT, problem);
            return;
        }
        final long needed = moveTo(group, floorOf(queue, to, value));
        sink.onAdminDone(sessionId, correlationId, needed);
        dispatcher.deliverReady(group);
    }

    /** @return null if the place can be sought to, else why not. */
    static String problem(final StartPoint to, final long value)
    {
        if (null == to || StartPoint.NULL_VAL == to)
        {
            return "start is not one of oldest-unconsumed, oldest, newest, seq:N, time:T";
        }
        if (StartPoint.SEQUENCE == to && value < 1)
        {
            return "sequence " + value + " must be 1 or more";
        }
        if (StartPoint.TIME == to && value < 0)
        {
            return "time " + value + " must be 0 (the epoch) or later, in ms";
        }
        return null;
    }

    /** The lowest sequence a group at this place may be given. */
    static long floorOf(final Queue queue, final StartPoint to, final long value)
    {
        return switch (to)
        {
            case OLDEST -> queue.lowestRetainedSequence();
            case NEWEST -> queue.nextSequence;
            case SEQUENCE -> Math.min(value, queue.nextSequence); // past the newest: the next published
            case TIME -> firstStoredAtOrAfter(queue, value);
            default -> oldestUnconsumed(queue);
        };
    }

    /**
     * The oldest message no group has consumed yet; a new group started so gets what a new group got before
     * retention existed (every message held), and no kept one older than that.
     */
    private static long oldestUnconsumed(final Queue queue)
    {
        for (long sequence = queue.lowestRetainedSequence(); sequence < queue.nextSequence; sequence++)
        {
            final StoredMessage message = queue.messages.get(sequence);
            if (null != message && !message.isKept())
            {
                return sequence;
            }
        }
        return queue.nextSequence;
    }

    /** Messages enter a queue in command-time order, so the first one at or after the time starts the rest. */
    private static long firstStoredAtOrAfter(final Queue queue, final long epochMs)
    {
        if (epochMs > Long.MAX_VALUE / 1_000_000L)
        {
            return queue.nextSequence;
        }
        final long atNs = epochMs * 1_000_000L;
        for (long sequence = queue.lowestRetainedSequence(); sequence < queue.nextSequence; sequence++)
        {
            final StoredMessage message = queue.messages.get(sequence);
            if (null != message && message.enqueuedNs >= atNs)
            {
                return sequence;
            }
        }
        return queue.nextSequence;
    }

    /**
     * Moves the group to {@code floor}, keeping each message's count of groups that need it right.
     *
     * @return the messages the group now has to deliver.
     */
    long moveTo(final ConsumerGroup group, final long floor)
    {
        final Queue queue = group.queue;
        final long[] sequences = queue.messages.sequences();
        final boolean[] neededBefore = new boolean[sequences.length];
        for (int i = 0; i < sequences.length; i++)
        {
            neededBefore[i] = group.needs(queue.messages.get(sequences[i]));
        }
        group.inFlight.forEach((sequence, consumerId) ->
        {
            final Consumer consumer = state.consumers.get(consumerId);
            if (null != consumer)
            {
                consumer.deliveryEnded();
            }
        });
        for (final long sequence : group.deliveryTimers.keys())
        {
            state.deliveryTimers.cancel(group, sequence);
        }
        group.restartAt(floor);
        state.queues.figuresChanged(group.queue);

        // Needed again first, then no longer needed: letting messages go may release older kept ones, never one
        // this seek takes back.
        long needed = 0;
        for (int i = 0; i < sequences.length; i++)
        {
            final StoredMessage message = queue.messages.get(sequences[i]);
            if (group.needs(message))
            {
                needed++;
                if (!neededBefore[i])
                {
                    if (message.isKept())
                    {
                        retention.takeBack(queue, message);
                    }
                    message.unsettledGroups++;
                }
            }
        }
        for (int i = 0; i < sequences.length; i++)
        {
            final StoredMessage message = queue.messages.get(sequences[i]);
            if (null != message && neededBefore[i] && !group.needs(message) && 0 == --message.unsettledGroups)
            {
                retention.consumed(queue, message);
            }
        }
        return needed;
    }
}
