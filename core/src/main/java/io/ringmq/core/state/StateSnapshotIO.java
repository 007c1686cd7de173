package io.ringmq.core.state;

import io.ringmq.core.protocol.MessageIds;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.List;

/**
 * A whole {@link QueueStateMachine} as a snapshot and back: the machine's counters, its policies and sessions, then
 * each queue as {@link StateSnapshot} writes it. Sessions are read before the queues but joined to their consumers
 * after, as the consumers come with their groups.
 * <p>
 * Allocates: for snapshots and recovery only, never on the command path.
 */
final class StateSnapshotIO
{
    private StateSnapshotIO()
    {
    }

    /**
     * Writes the whole state at {@code offset}; an expandable buffer grows as needed.
     *
     * @return the number of bytes written.
     */
    static int write(
        final MutableDirectBuffer buffer,
        final int offset,
        final SharedState state,
        final Sessions sessions,
        final Declarations declarations)
    {
        final StateSnapshot.Writer out = new StateSnapshot.Writer(buffer, offset);
        write(out, state, sessions, declarations);
        return (int)out.bytesWritten();
    }

    /**
     * Streams the whole state through {@code chunk} to {@code sink}, a chunk at a time: the same bytes as
     * {@link #write(MutableDirectBuffer, int, SharedState, Sessions, Declarations)}, in the chunk's memory.
     *
     * @return the number of bytes written.
     */
    static long write(
        final MutableDirectBuffer chunk,
        final SnapshotChunkSink sink,
        final SharedState state,
        final Sessions sessions,
        final Declarations declarations)
    {
        final StateSnapshot.Writer out = new StateSnapshot.Writer(chunk, sink);
        write(out, state, sessions, declarations);
        out.flush();
        return out.bytesWritten();
    }

    private static void write(
        final StateSnapshot.Writer out,
        final SharedState state,
        final Sessions sessions,
        final Declarations declarations)
    {
        out.putInt(StateSnapshot.MAGIC);
        out.putInt(StateSnapshot.FORMAT_VERSION);
        out.putLong(state.lastLogSequence);
        out.putLong(state.nowNs);
        out.putLong(sessions.nextSessionId);
        out.putLong(sessions.nextConsumerId);
        out.putLong(declarations.nextGroupId());
        out.putBoolean(state.deliveryTimers.isStarted());
        final QueuePolicies policies = state.policies;
        out.putPolicy(policies.defaults());
        out.putBoolean(policies.mergesRules());
        out.putBoolean(state.followsVersion5Rules);
        out.putClientLimits(state.clientLimits);
        out.putInt(policies.rules().size());
        for (final QueuePolicies.Rule rule : policies.rules())
        {
            out.putString(rule.pattern());
            out.putPolicy(rule.policy());
        }
        StateSnapshot.writeSessions(out, sessions.byId);
        out.putInt(state.queues.queues().size());
        for (final Queue queue : state.queues.queues())
        {
            StateSnapshot.writeQueue(out, queue, state.deliveryTimers);
        }
        StateSnapshot.writeDedup(out, state);
        out.putLong(state.epoch);
        out.putLong(state.epochFirstLogSequence);
        DeliveryControlSnapshot.write(out, state.queues.queues());
        GroupIdleSnapshot.write(out, state.queues.queues());
        ExpirySnapshot.write(out, state);
        PatternSubscriptionSnapshot.write(out, sessions);
    }

    /** About how many bytes {@link #write} will write now, a little over rather than under; counts only. */
    static long sizeEstimate(final SharedState state, final Sessions sessions)
    {
        long bytes = 64 * 1024;
        for (final Queue queue : state.queues.queues())
        {
            // Headers are not counted (a queue's bytes are its payloads): an estimate under grows the buffer.
            bytes += 256 + queue.messages.bytes() + (long)queue.messages.size() * StateSnapshot.MESSAGE_OVERHEAD_BYTES;
            for (final ConsumerGroup group : queue.groups)
            {
                bytes += 256 + 64L * group.consumers.size() + 16L * (group.inFlight.size() + group.attempts.size() +
                    group.deliveryTimers.size() + group.redeliveries().length);
            }
        }
        bytes += 32L * state.producerWindows.size() * (1 + ProducerWindows.SEQUENCES_PER_PRODUCER) +
            (64L + MessageIds.MAX_LENGTH) * state.messageIds.size();
        return bytes + 64L * sessions.byId.size();
    }

    /**
     * Reads a snapshot into the parts of a machine just created.
     *
     * @throws IllegalStateException if the bytes are not a whole snapshot of a readable format.
     */
    static void read(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final SharedState state,
        final Sessions sessions,
        final Declarations declarations)
    {
        final StateSnapshot.Reader in = new StateSnapshot.Reader(buffer, offset, length);
        if (in.getInt() != StateSnapshot.MAGIC)
        {
            throw new IllegalStateException("not a ringmq state snapshot (bad magic)");
        }
        final int format = in.getInt();
        if (format < StateSnapshot.OLDEST_READABLE_FORMAT || format > StateSnapshot.FORMAT_VERSION)
        {
            throw new IllegalStateException("snapshot format " + format + " is not supported (this daemon reads " +
                StateSnapshot.OLDEST_READABLE_FORMAT + " to " + StateSnapshot.FORMAT_VERSION + ")");
        }
        in.format(format);
        state.lastLogSequence = in.getLong();
        state.nowNs = in.getLong();
        sessions.nextSessionId = in.getLong();
        sessions.nextConsumerId = in.getLong();
        declarations.nextGroupId(in.getLong());
        if (in.getBoolean())
        {
            state.deliveryTimers.restoreStart(state.nowNs);
        }
        final QueuePolicies policies = state.policies;
        final QueuePolicy defaults = in.getPolicy();
        policies.reset(defaults, in.hasRuleResolution() && in.getBoolean());
        state.followsVersion5Rules = in.hasVersion5Rules() && in.getBoolean();
        state.clientLimits = in.getClientLimits();
        for (int i = 0, count = in.getCount(); i < count; i++)
        {
            policies.addRule(in.getString(), in.getPolicy());
        }
        final List<StateSnapshot.SessionRecord> sessionRecords = StateSnapshot.readSessions(in);
        for (int i = 0, count = in.getCount(); i < count; i++)
        {
            StateSnapshot.readQueue(in, state.queues, policies, state.consumers, state.deliveryTimers,
                state.messagePool, state.heldMessages, state.expiringMessages);
        }
        StateSnapshot.readDedup(in, state);
        if (in.hasEpoch())
        {
            state.epoch = in.getLong();
            state.epochFirstLogSequence = in.getLong();
        }
        if (in.format() >= DeliveryControlSnapshot.SINCE_FORMAT)
        {
            DeliveryControlSnapshot.read(in, state.queues.queues());
        }
        GroupIdleSnapshot.read(in, state.queues.queues(), state.nowNs);
        ExpirySnapshot.read(in, state);
        for (final StateSnapshot.SessionRecord record : sessionRecords)
        {
            sessions.byId.put(record.id(), joinConsumers(record, state));
        }
        PatternSubscriptionSnapshot.read(in, sessions, state);
        state.queues.forgetCreated(); // made from the snapshot, not by a command: pattern subscriptions had them
        if (!in.atEnd())
        {
            throw new IllegalStateException("snapshot corrupt: bytes left after the last queue");
        }
        state.agedQueues.rebuild();
        state.agedQueues.recompute();
        for (final Queue queue : state.queues.queues())
        {
            state.limitCounts.add(queue);
        }
    }

    private static Session joinConsumers(final StateSnapshot.SessionRecord record, final SharedState state)
    {
        final Session session = new Session(record.id(), record.transportSessionId());
        for (int i = 0; i < record.consumerIds().size(); i++)
        {
            final Consumer consumer = state.consumers.get(record.consumerIds().getLong(i));
            if (null == consumer)
            {
                throw new IllegalStateException("snapshot corrupt: session " + record.id() +
                    " names consumer " + record.consumerIds().getLong(i) + ", which no group has");
            }
            session.consumers.add(consumer);
        }
        return session;
    }
}
