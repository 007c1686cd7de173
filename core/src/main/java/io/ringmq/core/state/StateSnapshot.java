package io.ringmq.core.state;

import io.ringmq.codecs.BackoffKind;
import io.ringmq.codecs.DeadLetterReason;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.LimitAction;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * The state machine's whole state as bytes, and back: what a snapshot file holds (the daemon adds the checksum and
 * the journal position). Everything that decides a future output is written, in a fixed order (queues in creation
 * order, maps by ascending key), so equal states give equal bytes; derived things (each queue's effective settings,
 * timer wheel slots, pooled message buffers) are rebuilt on reading.
 * <p>
 * Allocates: for snapshots and recovery only, never on the command path.
 */
final class StateSnapshot
{
    static final int MAGIC = 0x52_51_53_53; // "RQSS"
    /**
     * Format 3 added queue limits, their counters and each message's time of entering its queue; format 4, whether
     * the run merges matching queue rules; format 5, whether the run follows schema version 5 rules (it redrives a
     * dead letter to its own group and refuses dead-letter cycles) and the one group each message is for (a redriven
     * letter), if not every group; format 6, the run's bounds on sessions, queues and consumers per session
     * ({@link ClientLimits}); format 7, each message's producer id and sequence, headers, message id and request (its
     * id and where its reply goes), what the run remembers to recognise a publish applied already
     * ({@link DedupLimits}, {@link ProducerWindows}, {@link MessageIdWindow}) and the replies dropped; format 8, each
     * message's priority and lane position, when it is held until and expires at, each queue's lane ends and each
     * group's lane positions ({@link PriorityLanes}) where a group's one cursor was (before: every message of the
     * default priority, at the lane position equal to its sequence), and the pair's epoch and its first log sequence
     * (at the end; an older snapshot is of epoch 1, from log sequence 1); format 9 (issue 16, two blocks): retain and
     * seek's at the end of each queue, the queue's retention, its kept consumed messages (sequence, ticket, when kept;
     * oldest consumed first) and its next ticket, and each group's floor sequence (before: nothing kept, every floor
     * 1); delivery control's after the epoch, each queue's default delay and each group's header filter and filtered
     * count ({@link DeliveryControlSnapshot}; before: no default delay, no filter, nothing filtered); format 10 (issue 17),
     * when each group last had no consumer from, at the end ({@link GroupIdleSnapshot}; before: from the snapshot's time);
     * format 11 (issues 16 and 17), at the end of each message, the log sequence of the journal record holding its
     * payload and, for a payload evicted from memory, its length (its payload bytes are then written empty; before:
     * every payload in memory, none read back); after the group idle times, the run's expiry settings and each
     * queue's idle-since time ({@link ExpirySnapshot}; before: no expiry, idle queues idle from the snapshot's time),
     * then the pattern subscriptions, at the end ({@link PatternSubscriptionSnapshot}; before: none).
     */
    static final int FORMAT_VERSION = 11;
    /** The oldest format this daemon still reads (what it lacks reads as: no limits, counters 0). */
    static final int OLDEST_READABLE_FORMAT = 2;
    private static final int NULL_STRING = -1;
    /** Format 11, a message's evicted length when its payload is in memory (written with the message). */
    private static final int PAYLOAD_IN_MEMORY = -1;
    /**
     * What a retained message takes besides its payload (fixed fields, source names of a dead letter, lengths,
     * producer, a short message id; headers not counted).
     */
    static final int MESSAGE_OVERHEAD_BYTES = 128;

    private StateSnapshot()
    {
    }

    /**
     * Appends to a buffer; positions are tracked here. Either the buffer holds the whole snapshot (an expandable one
     * grows), or it is a fixed chunk handed to a {@link SnapshotChunkSink} each time it fills: then a snapshot of any
     * size takes the chunk's memory. A put that adds a new kind of field reserves its bytes ({@link #reserve}) or is
     * made of the puts here.
     */
    static final class Writer
    {
        private final MutableDirectBuffer buffer;
        /** Null when the buffer holds the whole snapshot. */
        private final SnapshotChunkSink sink;
        private final int offset;
        private int position;
        /** Bytes handed to the sink so far. */
        private long flushed;

        Writer(final MutableDirectBuffer buffer, final int offset)
        {
            this(buffer, offset, null);
        }

        /** Streams through {@code chunk}, which must hold at least a long. */
        Writer(final MutableDirectBuffer chunk, final SnapshotChunkSink sink)
        {
            this(chunk, 0, sink);
            if (chunk.capacity() < Long.BYTES)
            {
                throw new IllegalArgumentException("snapshot chunk of " + chunk.capacity() + " bytes");
            }
        }

        private Writer(final MutableDirectBuffer buffer, final int offset, final SnapshotChunkSink sink)
        {
            this.buffer = buffer;
            this.offset = offset;
            this.position = offset;
            this.sink = sink;
        }

        /** Bytes written since the start (streamed or not). */
        long bytesWritten()
        {
            return flushed + position - offset;
        }

        /** Hands what the chunk holds to the sink; nothing when the buffer holds the whole snapshot. */
        void flush()
        {
            if (null != sink && position > 0)
            {
                sink.onChunk(buffer, position);
                flushed += position;
                position = 0;
            }
        }

        /** Makes room for {@code bytes} (at most a chunk) at {@link #position}. */
        private void reserve(final int bytes)
        {
            if (null != sink && position + bytes > buffer.capacity())
            {
                flush();
            }
        }

        void putInt(final int value)
        {
            reserve(Integer.BYTES);
            buffer.putInt(position, value, LITTLE_ENDIAN);
            position += Integer.BYTES;
        }

        void putLong(final long value)
        {
            reserve(Long.BYTES);
            buffer.putLong(position, value, LITTLE_ENDIAN);
            position += Long.BYTES;
        }

        void putBoolean(final boolean value)
        {
            reserve(1);
            buffer.putByte(position++, (byte)(value ? 1 : 0));
        }

        void putString(final String value)
        {
            if (null == value)
            {
                putInt(NULL_STRING);
                return;
            }
            final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            putInt(bytes.length);
            copyIn(new UnsafeBuffer(bytes), bytes.length);
        }

        void putBytes(final DirectBuffer source, final int length)
        {
            putInt(length);
            copyIn(source, length);
        }

        /** Bytes {@code [0, length)} of {@code source}, a chunk at a time when streaming (a payload may be larger). */
        private void copyIn(final DirectBuffer source, final int length)
        {
            int copied = 0;
            while (copied < length)
            {
                final int room = null == sink ? length - copied : buffer.capacity() - position;
                if (0 == room)
                {
                    flush();
                    continue;
                }
                final int bytes = Math.min(room, length - copied);
                buffer.putBytes(position, source, copied, bytes);
                position += bytes;
                copied += bytes;
            }
        }

        void putClientLimits(final ClientLimits limits)
        {
            putInt(limits.maxSessions());
            putInt(limits.maxQueues());
            putInt(limits.maxConsumersPerSession());
        }

        void putPolicy(final QueuePolicy policy)
        {
            putLong(policy.visibilityTimeoutMs());
            putInt(policy.maxAttempts());
            putInt(policy.backoff().value());
            putLong(policy.initialDelayMs());
            putLong(policy.maxDelayMs());
            putInt(policy.strategy().value());
            final QueueLimits limits = policy.limits();
            putLong(limits.maxAgeMs());
            putLong(limits.maxMessages());
            putLong(limits.maxBytes());
            putInt(limits.expiredAction().value());
            putInt(limits.overflowAction().value());
        }
    }

    /** Reads what {@link Writer} wrote, failing with a clear message on anything out of bounds. */
    static final class Reader
    {
        private final DirectBuffer buffer;
        private final int end;
        private int position;
        private int format = FORMAT_VERSION;

        Reader(final DirectBuffer buffer, final int offset, final int length)
        {
            this.buffer = buffer;
            this.position = offset;
            this.end = offset + length;
        }

        private void need(final int bytes)
        {
            if (bytes < 0 || position + bytes > end)
            {
                throw new IllegalStateException(
                    "snapshot truncated or corrupt: needs " + bytes + " bytes at offset " + position + " of " + end);
            }
        }

        boolean atEnd()
        {
            return position == end;
        }

        int getInt()
        {
            need(Integer.BYTES);
            final int value = buffer.getInt(position, LITTLE_ENDIAN);
            position += Integer.BYTES;
            return value;
        }

        int getCount()
        {
            final int count = getInt();
            if (count < 0 || count > end - position)
            {
                throw new IllegalStateException("snapshot corrupt: count " + count + " at offset " + (position - 4));
            }
            return count;
        }

        long getLong()
        {
            need(Long.BYTES);
            final long value = buffer.getLong(position, LITTLE_ENDIAN);
            position += Long.BYTES;
            return value;
        }

        boolean getBoolean()
        {
            need(1);
            return buffer.getByte(position++) != 0;
        }

        String getString()
        {
            final int length = getInt();
            if (NULL_STRING == length)
            {
                return null;
            }
            need(length);
            final byte[] bytes = new byte[length];
            buffer.getBytes(position, bytes);
            position += length;
            return new String(bytes, StandardCharsets.UTF_8);
        }

        UnsafeBuffer getBytes()
        {
            final int length = getInt();
            need(length);
            final UnsafeBuffer bytes = new UnsafeBuffer(new byte[length]);
            buffer.getBytes(position, bytes, 0, length);
            position += length;
            return bytes;
        }

        /** The format the bytes are in, once the header has been read. */
        void format(final int format)
        {
            this.format = format;
        }

        int format()
        {
            return format;
        }

        boolean hasLimits()
        {
            return format >= 3;
        }

        /** Whether the snapshot says how its run resolved queue rules (before format 4, by the first match). */
        boolean hasRuleResolution()
        {
            return format >= 4;
        }

        /**
         * Whether the snapshot says whether its run follows schema version 5 rules (redrive to the dead-lettering
         * group only, dead-letter cycles refused) and which group each message is for (before format 5: older rules,
         * and every message for every group).
         */
        boolean hasVersion5Rules()
        {
            return format >= 5;
        }

        /** Whether messages carry producer, headers and id, and the snapshot ends with the dedup state (format 7). */
        boolean hasMessageMetadata()
        {
            return format >= 7;
        }

        /** Format 8 on: the epoch and its first log sequence end the snapshot. */
        boolean hasEpoch()
        {
            return format >= 8;
        }

        /** Whether each queue ends with its retention, kept messages and group floors (format 9). */
        boolean hasRetention()
        {
            return format >= 9;
        }

        /** Whether each message names the journal record of its payload and says if it left memory (format 11). */
        boolean hasPayloadLogSequences()
        {
            return format >= 11;
        }

        /** Whether messages have priorities and groups a position per priority lane (format 8). */
        boolean hasPriorities()
        {
            return format >= 8;
        }

        /** The run's bounds on what clients open; before format 6, none. */
        ClientLimits getClientLimits()
        {
            return format >= 6 ? new ClientLimits(getInt(), getInt(), getInt()) : ClientLimits.NONE;
        }

        QueuePolicy getPolicy()
        {
            final QueuePolicy policy = new QueuePolicy(
                getLong(),
                getInt(),
                BackoffKind.get((byte)getInt()),
                getLong(),
                getLong(),
                DispatchStrategy.get((byte)getInt()));
            if (!hasLimits())
            {
                return policy;
            }
            return policy.withLimits(new QueueLimits(
                getLong(), getLong(), getLong(), LimitAction.get((byte)getInt()), LimitAction.get((byte)getInt())));
        }
    }

    static void writeQueue(final Writer out, final Queue queue, final DeliveryTimers timers)
    {
        out.putString(queue.name);
        out.putLong(queue.nextSequence);
        out.putPolicy(queue.declared);
        out.putLong(queue.expired);
        out.putLong(queue.overflowed);
        out.putLong(queue.dropped);
        out.putLong(queue.refused);

        final long[] sequences = queue.messages.sequences();
        out.putInt(sequences.length);
        for (final long sequence : sequences)
        {
            final StoredMessage message = queue.messages.get(sequence);
            out.putLong(message.sequence);
            out.putLong(message.publishTimestampNs);
            out.putLong(message.enqueuedNs);
            out.putInt(message.unsettledGroups);
            out.putLong(message.onlyForGroupId);
            out.putInt(message.deadLetterReason.value());
            out.putInt(message.deadLetterAttempts);
            out.putString(message.sourceQueue);
            out.putString(message.sourceGroup);
            out.putBytes(message.payload(), message.payloadInJournal() ? 0 : message.length());
            out.putLong(message.producerId);
            out.putLong(message.producerSequence);
            out.putBytes(message.headers(), message.headersLength());
            out.putBytes(message.messageId(), message.messageIdLength());
            out.putLong(message.requestId);
            out.putLong(message.replySessionId);
            out.putBytes(message.replyTo(), message.replyToLength());
            out.putInt(message.priority);
            out.putLong(message.lanePosition);
            out.putLong(message.heldUntilNs);
            out.putLong(message.expiresAtNs);
            out.putLong(message.payloadLogSequence);
            out.putInt(message.payloadInJournal() ? message.length() : PAYLOAD_IN_MEMORY);
        }
        for (int priority = PriorityLanes.LOWEST; priority <= PriorityLanes.HIGHEST; priority++)
        {
            out.putLong(queue.lanes.end(priority));
        }

        out.putInt(queue.groups.size());
        for (final ConsumerGroup group : queue.groups)
        {
            out.putLong(group.id);
            out.putString(group.name);
            for (final long position : group.lanePositions)
            {
                out.putLong(position);
            }
            out.putInt(group.nextConsumerIndex());
            out.putInt(group.strategy.value());
            out.putString(group.deadLetterQueue);
            out.putInt(group.consumers.size());
            for (final Consumer consumer : group.consumers)
            {
                out.putLong(consumer.id);
                out.putLong(consumer.sessionId);
                out.putInt(consumer.prefetch);
                out.putLong(consumer.visibilityTimeoutNs);
                out.putInt(consumer.inFlight);
                out.putLong(consumer.credit);
            }
            writeMap(out, group.inFlight);
            writeMap(out, group.attempts);
            final long[] redeliveries = group.redeliveries();
            out.putInt(redeliveries.length);
            for (final long sequence : redeliveries)
            {
                out.putLong(sequence);
            }
            final long[] timed = group.deliveryTimers.keys();
            out.putInt(timed.length);
            for (final long sequence : timed)
            {
                out.putLong(sequence);
                out.putLong(timers.deadline(group, sequence));
            }
        }
        writeRetention(out, queue);
    }

    /** Format 9: what the queue keeps after every group acked, what it keeps now, and where each group starts. */
    private static void writeRetention(final Writer out, final Queue queue)
    {
        out.putLong(queue.retention.retainMs());
        out.putLong(queue.retention.retainBytes());
        out.putLong(queue.consumed.nextTicket());
        final StoredMessage[] kept = queue.consumed.inOrder(queue.messages);
        out.putInt(kept.length);
        for (final StoredMessage message : kept)
        {
            out.putLong(message.sequence);
            out.putLong(message.keptTicket);
            out.putLong(message.keptAtNs);
        }
        for (final ConsumerGroup group : queue.groups)
        {
            out.putLong(group.floorSequence);
        }
    }

    private static void readRetention(final Reader in, final Queue queue)
    {
        queue.retain(new QueueRetention(in.getLong(), in.getLong()));
        queue.consumed.restoreNextTicket(in.getLong());
        for (int i = 0, count = in.getCount(); i < count; i++)
        {
            final StoredMessage message = queue.messages.get(in.getLong());
            queue.consumed.restore(message, in.getLong(), in.getLong());
        }
        for (final ConsumerGroup group : queue.groups)
        {
            group.floorSequence = in.getLong();
        }
    }

    /**
     * Reads one queue written by {@link #writeQueue}, creating it in the index, its groups and consumers, and
     * scheduling its timers.
     */
    static void readQueue(
        final Reader in,
        final QueueIndex queues,
        final QueuePolicies policies,
        final Long2ObjectHashMap<Consumer> consumers,
        final DeliveryTimers timers,
        final MessagePool pool,
        final MessageDeadlines held,
        final MessageDeadlines expiring)
    {
        final Queue queue = queues.create(in.getString());
        queue.nextSequence = in.getLong();
        queue.declared = in.getPolicy();
        queue.policy = policies.resolve(queue.name, queue.declared);
        if (in.hasLimits())
        {
            queue.expired = in.getLong();
            queue.overflowed = in.getLong();
            queue.dropped = in.getLong();
            queue.refused = in.getLong();
        }

        for (int i = 0, count = in.getCount(); i < count; i++)
        {
            final long sequence = in.getLong();
            final long publishNs = in.getLong();
            final long enqueuedNs = in.hasLimits() ? in.getLong() : publishNs;
            final int unsettledGroups = in.getInt();
            final long onlyForGroupId = in.hasVersion5Rules() ? in.getLong() : StoredMessage.EVERY_GROUP;
            final DeadLetterReason reason = DeadLetterReason.get((byte)in.getInt());
            final int attempts = in.getInt();
            final String sourceQueue = in.getString();
            final String sourceGroup = in.getString();
            final UnsafeBuffer payload = in.getBytes();
            final StoredMessage message = pool.acquire();
            message.set(sequence, publishNs, enqueuedNs, payload, 0, payload.capacity());
            if (in.hasMessageMetadata())
            {
                final long producerId = in.getLong();
                final long producerSequence = in.getLong();
                final UnsafeBuffer headers = in.getBytes();
                final UnsafeBuffer messageId = in.getBytes();
                message.setMetadata(producerId, producerSequence, headers, headers.capacity(), messageId,
                    messageId.capacity());
                final long requestId = in.getLong();
                final long replySessionId = in.getLong();
                final UnsafeBuffer replyTo = in.getBytes();
                message.setRequest(requestId, replySessionId, replyTo, replyTo.capacity());
            }
            // Before format 8 every message had the default priority, at the lane position equal to its sequence.
            message.priority = in.hasPriorities() ? in.getInt() : PriorityLanes.DEFAULT_PRIORITY;
            message.lanePosition = in.hasPriorities() ? in.getLong() : sequence;
            final long heldUntilNs = in.hasPriorities() ? in.getLong() : StoredMessage.NOT_HELD;
            final long expiresAtNs = in.hasPriorities() ? in.getLong() : StoredMessage.NEVER;
            if (in.hasPayloadLogSequences())
            {
                final long payloadLogSequence = in.getLong();
                final int evictedLength = in.getInt();
                message.payloadLogSequence = payloadLogSequence;
                if (PAYLOAD_IN_MEMORY != evictedLength)
                {
                    message.payloadEvictedAt(payloadLogSequence, evictedLength);
                }
            }
            message.unsettledGroups = unsettledGroups;
            message.onlyForGroupId = onlyForGroupId;
            if (DeadLetterReason.NONE != reason || null != sourceQueue)
            {
                message.markDeadLetter(reason, attempts, sourceQueue, sourceGroup);
            }
            if (message.isDeadLetter())
            {
                queue.deadLetters++;
            }
            queue.messages.append(sequence, message);
            if (StoredMessage.HELD == message.lanePosition)
            {
                message.heldUntilNs = heldUntilNs;
                held.add(queue, message);
            }
            else
            {
                queue.lanes.restore(message.priority, message.lanePosition, sequence);
            }
            if (StoredMessage.NEVER != expiresAtNs)
            {
                message.expiresAtNs = expiresAtNs;
                expiring.add(queue, message);
            }
        }

        for (int priority = PriorityLanes.LOWEST; priority <= PriorityLanes.HIGHEST; priority++)
        {
            queue.lanes.restoreEnd(priority, in.hasPriorities() ? in.getLong() :
                PriorityLanes.DEFAULT_PRIORITY == priority ? queue.nextSequence : PriorityLanes.FIRST_POSITION);
        }
        for (int g = 0, groupCount = in.getCount(); g < groupCount; g++)
        {
            final ConsumerGroup group = new ConsumerGroup(in.getLong(), in.getString(), queue);
            if (in.hasPriorities())
            {
                for (int priority = PriorityLanes.LOWEST; priority <= PriorityLanes.HIGHEST; priority++)
                {
                    group.lanePositions[priority] = in.getLong();
                }
            }
            else
            {
                group.lanePositions[PriorityLanes.DEFAULT_PRIORITY] = in.getLong(); // its cursor: a sequence
            }
            final int nextConsumerIndex = in.getInt();
            group.strategy = DispatchStrategy.get((byte)in.getInt());
            group.deadLetterQueue = in.getString();
            for (int c = 0, consumerCount = in.getCount(); c < consumerCount; c++)
            {
                final Consumer consumer = new Consumer(in.getLong(), in.getLong(), group, in.getInt(), in.getLong());
                consumer.inFlight = in.getInt();
                consumer.credit = in.getLong();
                group.consumers.add(consumer);
                consumers.put(consumer.id, consumer);
            }
            group.restoreNextConsumerIndex(nextConsumerIndex);
            readMap(in, group.inFlight);
            readMap(in, group.attempts);
            for (int r = 0, count = in.getCount(); r < count; r++)
            {
                group.offerRedelivery(in.getLong());
            }
            for (int t = 0, count = in.getCount(); t < count; t++)
            {
                final long sequence = in.getLong();
                timers.schedule(group, sequence, in.getLong());
            }
            queue.groups.add(group);
        }
        if (in.hasRetention())
        {
            readRetention(in, queue);
        }
    }

    static void writeSessions(final Writer out, final Long2ObjectHashMap<Session> sessions)
    {
        final long[] ids = SortedKeys.of(sessions);
        out.putInt(ids.length);
        for (final long id : ids)
        {
            final Session session = sessions.get(id);
            out.putLong(session.id);
            out.putInt(session.transportSessionId);
            out.putInt(session.consumers.size());
            for (final Consumer consumer : session.consumers)
            {
                out.putLong(consumer.id);
            }
        }
    }

    /** Sessions refer to consumers, which exist once the queues are read: resolve afterwards. */
    record SessionRecord(long id, int transportSessionId, LongArrayList consumerIds)
    {
    }

    static List<SessionRecord> readSessions(final Reader in)
    {
        final List<SessionRecord> records = new ArrayList<>();
        for (int i = 0, count = in.getCount(); i < count; i++)
        {
            final long id = in.getLong();
            final int transport = in.getInt();
            final LongArrayList consumerIds = new LongArrayList();
            for (int c = 0, consumerCount = in.getCount(); c < consumerCount; c++)
            {
                consumerIds.addLong(in.getLong());
            }
            records.add(new SessionRecord(id, transport, consumerIds));
        }
        return records;
    }

    /** What the run remembers to recognise publishes applied already; written after the queues. */
    static void writeDedup(final Writer out, final SharedState state)
    {
        final DedupLimits limits = state.dedupLimits;
        out.putLong(limits.windowMs());
        out.putInt(limits.maxProducers());
        out.putLong(limits.idWindowMs());
        out.putInt(limits.maxIds());
        out.putLong(state.producerWindows.evicted());
        out.putInt(state.producerWindows.size());
        state.producerWindows.forEachOldestFirst((window) ->
        {
            out.putLong(window.producerId);
            out.putLong(window.lastUsedNs);
            out.putInt(window.count);
            for (int i = 0; i < window.count; i++)
            {
                out.putLong(window.sequenceAt(i));
                out.putLong(window.queueSequenceAt(i));
            }
        });
        out.putLong(state.repliesDropped);
        out.putLong(state.messageIds.evicted());
        out.putInt(state.messageIds.size());
        state.messageIds.forEachOldestFirst((entry) ->
        {
            out.putString(entry.queue);
            out.putBytes(entry.id, entry.idLength);
            out.putLong(entry.queueSequence);
            out.putLong(entry.publishedNs);
        });
    }

    /** Reads what {@link #writeDedup} wrote (format 7); an older snapshot remembers nothing. */
    static void readDedup(final Reader in, final SharedState state)
    {
        if (!in.hasMessageMetadata())
        {
            return;
        }
        state.dedupLimits(new DedupLimits(in.getLong(), in.getInt(), in.getLong(), in.getInt()));
        state.producerWindows.restoreEvicted(in.getLong());
        for (int p = 0, producers = in.getCount(); p < producers; p++)
        {
            final long producerId = in.getLong();
            final long lastUsedNs = in.getLong();
            final int count = in.getCount();
            final long[] sequences = new long[count];
            final long[] queueSequences = new long[count];
            for (int i = 0; i < count; i++)
            {
                sequences[i] = in.getLong();
                queueSequences[i] = in.getLong();
            }
            state.producerWindows.restore(producerId, lastUsedNs, sequences, queueSequences);
        }
        state.repliesDropped = in.getLong();
        state.messageIds.restoreEvicted(in.getLong());
        for (int i = 0, ids = in.getCount(); i < ids; i++)
        {
            final Queue queue = state.queues.get(in.getString());
            final UnsafeBuffer id = in.getBytes();
            final long queueSequence = in.getLong();
            final long publishedNs = in.getLong();
            if (null == queue)
            {
                throw new IllegalStateException("snapshot corrupt: a message id names a queue the snapshot lacks");
            }
            state.messageIds.restore(queue.name, id, id.capacity(), queueSequence, publishedNs);
        }
    }

    private static void writeMap(final Writer out, final SequenceMap map)
    {
        final long[] keys = map.keys();
        out.putInt(keys.length);
        for (final long key : keys)
        {
            out.putLong(key);
            out.putLong(map.get(key));
        }
    }

    private static void readMap(final Reader in, final SequenceMap map)
    {
        for (int i = 0, count = in.getCount(); i < count; i++)
        {
            map.put(in.getLong(), in.getLong());
        }
    }
}
