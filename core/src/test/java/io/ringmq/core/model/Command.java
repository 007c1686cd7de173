package io.ringmq.core.model;

import io.ringmq.codecs.AckBatchEncoder;
import io.ringmq.codecs.AckEncoder;
import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.ConnectEncoder;
import io.ringmq.codecs.ConnectRefusedEncoder;
import io.ringmq.codecs.DeclareGroupEncoder;
import io.ringmq.codecs.DeclareQueueEncoder;
import io.ringmq.codecs.SeekEncoder;
import io.ringmq.codecs.StartPoint;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.DisconnectEncoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.ExtendEncoder;
import io.ringmq.codecs.FrameRejectedEncoder;
import io.ringmq.codecs.CreditMode;
import io.ringmq.codecs.GrantEncoder;
import io.ringmq.codecs.UnsubscribeEncoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.NackEncoder;
import io.ringmq.codecs.NodeStartedEncoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.codecs.QueueAdminEncoder;
import io.ringmq.codecs.QueueRuleEncoder;
import io.ringmq.codecs.QueueLimitsEncoder;
import io.ringmq.codecs.QueueSettingsEncoder;
import io.ringmq.codecs.ReplyEncoder;
import io.ringmq.codecs.SessionLostEncoder;
import io.ringmq.codecs.SubscribeEncoder;
import io.ringmq.codecs.TickEncoder;
import io.ringmq.codecs.TransportClosedEncoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.HeadersLayout;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.HeadersText;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One command as plain data, applied to both sides of the model test: encoded into the exact bytes the ingress would
 * journal (for the real state machine) and applied to the {@link ReferenceQueueModel} method of the same name.
 * <p>
 * A new command kind is a new record here, a method on the model and a weight in {@link CommandGenerator}.
 */
public sealed interface Command
{
    /** Writes the SBE frame (message header + body) at offset; returns its length. */
    int encode(MutableDirectBuffer buffer, int offset, MessageHeaderEncoder header);

    void applyTo(ReferenceQueueModel model);

    /** The client session the command names; 0 for commands that name none (records override it). */
    default long sessionId()
    {
        return 0;
    }

    /** A command as journaled: the ingress stamps time and the Aeron session it arrived on. */
    record Step(long timeNs, int transport, Command command)
    {
        /** The journal record: {@link CommandHeader} followed by the frame, byte for byte. */
        public byte[] toJournalRecord(final long logSequence)
        {
            final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
            CommandHeader.write(buffer, 0, logSequence, timeNs, transport);
            final int length = command.encode(buffer, CommandHeader.LENGTH, new MessageHeaderEncoder());
            return Arrays.copyOf(buffer.byteArray(), CommandHeader.LENGTH + length);
        }

        public String toString()
        {
            return "t=" + timeNs + " transport=" + transport + " " + command;
        }
    }

    record Connect(long correlationId, String channel, int streamId) implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + new ConnectEncoder().wrapAndApplyHeader(buffer, offset, header)
                .correlationId(correlationId).responseStreamId(streamId).responseChannel(channel).clientName("model")
                .encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.connect(correlationId, channel, streamId);
        }
    }

    /** releaseInFlight false: a client leaving on purpose; its deliveries stay in flight until they time out. */
    record Disconnect(long sessionId, boolean releaseInFlight) implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + new DisconnectEncoder()
                .wrapAndApplyHeader(buffer, offset, header)
                .sessionId(sessionId)
                .releaseInFlight(releaseInFlight ? BooleanType.TRUE : BooleanType.FALSE)
                .encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.disconnect(sessionId, releaseInFlight);
        }
    }

    record TransportClosed(int transportSessionId) implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + new TransportClosedEncoder()
                .wrapAndApplyHeader(buffer, offset, header).transportSessionId(transportSessionId).encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.transportClosed(transportSessionId);
        }
    }

    /** A run's bounds on what clients open, as its NodeStarted carries them (0: none). */
    record Bounds(int maxSessions, int maxQueues, int maxConsumersPerSession, long defaultMaxQueueBytes)
    {
        static final Bounds NONE = new Bounds(0, 0, 0, 0);
    }

    /** How much a run remembers to recognise a publish applied already, as its NodeStarted carries it (0: none). */
    record Dedup(long windowMs, int maxProducers, long idWindowMs, int maxIds)
    {
        static final Dedup NONE = new Dedup(0, 0, 0, 0);
    }

    /** How long a group may be without a consumer, and a queue idle, before it is deleted (0: never). */
    record Expiry(long groupMs, long queueMs)
    {
        static final Expiry NONE = new Expiry(0, 0);
    }

    /**
     * {@code schemaVersion}: of the daemon that journaled it (an older one's journal replayed by this build); the
     * bounds, dedup and expiry are written whatever the version, as a newer encoder would.
     */
    record NodeStarted(long defaultVisibilityTimeoutMs, int defaultMaxAttempts, int schemaVersion, Bounds bounds,
        Dedup dedup, Expiry expiry) implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + new NodeStartedEncoder()
                .wrapAndApplyHeader(buffer, offset, header)
                .startTimestampNs(0)
                .defaultVisibilityTimeoutMs(defaultVisibilityTimeoutMs)
                .defaultMaxAttempts(defaultMaxAttempts)
                .maxSessions(bounds.maxSessions())
                .maxQueues(bounds.maxQueues())
                .maxConsumersPerSession(bounds.maxConsumersPerSession())
                .defaultMaxQueueBytes(bounds.defaultMaxQueueBytes())
                .dedupWindowMs(dedup.windowMs())
                .maxDedupProducers(dedup.maxProducers())
                .dedupIdWindowMs(dedup.idWindowMs())
                .maxDedupIds(dedup.maxIds())
                .groupExpiryMs(expiry.groupMs())
                .queueExpiryMs(expiry.queueMs())
                .encodedLength();
            header.version(schemaVersion);
            return length;
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.nodeStarted(defaultVisibilityTimeoutMs, defaultMaxAttempts, schemaVersion, bounds, dedup);
            model.expiry(schemaVersion, expiry);
        }
    }

    /** The ingress refused a Connect it may answer: journaled with the channel and why. */
    record ConnectRefused(long correlationId, String channel, int streamId, ErrorCode code) implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + new ConnectRefusedEncoder()
                .wrapAndApplyHeader(buffer, offset, header)
                .correlationId(correlationId).responseStreamId(streamId).code(code)
                .responseChannel(channel).reason("refused by the model's ingress")
                .encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.connectRefused(correlationId, channel, streamId, code.name());
        }
    }

    /** What a publish carries besides its queue and payload: producer id and sequence, headers, message id. */
    record Metadata(long producerId, long producerSequence, List<HeadersText.Entry> headers, String messageId,
        long requestId, String replyTo, int priority)
    {
        /** A message's priority when its publisher sets none (JMS's default). */
        static final int DEFAULT_PRIORITY = 4;
        static final Metadata NONE = new Metadata(0, 0, List.of(), "", 0, "", DEFAULT_PRIORITY);

        /** What a reply enqueued on a reply queue carries: the request's id, nothing else (the default priority). */
        static Metadata replyTo(final long requestId)
        {
            return new Metadata(0, 0, List.of(), "", requestId, "", DEFAULT_PRIORITY);
        }

        Metadata withPriority(final int priority)
        {
            return new Metadata(producerId, producerSequence, headers, messageId, requestId, replyTo, priority);
        }

        byte[] headerBytes()
        {
            final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
            int position = 0;
            for (final HeadersText.Entry entry : headers)
            {
                position = HeadersLayout.put(buffer, position, entry.key().getBytes(StandardCharsets.UTF_8),
                    entry.text() ? HeadersLayout.TEXT : HeadersLayout.BYTES, new UnsafeBuffer(entry.value()), 0,
                    entry.value().length);
            }
            return Arrays.copyOf(buffer.byteArray(), position);
        }
    }

    /**
     * A publish's own timing: held for {@code delayMs} after its time, or until {@code deliverAtMs} (epoch ms, as
     * command times are), and expiring {@code ttlMs} after its time; 0 for none of each.
     */
    record Timing(long delayMs, long deliverAtMs, long ttlMs)
    {
        static final Timing NONE = new Timing(0, 0, 0);
    }

    record Publish(long sessionId, long correlationId, String queue, String payload, Metadata metadata, Timing timing)
        implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
            final byte[] headers = metadata.headerBytes();
            return MessageHeaderEncoder.ENCODED_LENGTH + new PublishEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(sessionId).correlationId(correlationId)
                .producerId(metadata.producerId()).producerSequence(metadata.producerSequence())
                .requestId(metadata.requestId()).priority((short)metadata.priority())
                .delayMs(timing.delayMs()).deliverAtMs(timing.deliverAtMs()).ttlMs(timing.ttlMs())
                .queue(queue).putPayload(bytes, 0, bytes.length)
                .putHeaders(headers, 0, headers.length).messageId(metadata.messageId())
                .replyTo(metadata.replyTo()).encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.publish(sessionId, correlationId, queue, payload.getBytes(StandardCharsets.UTF_8), metadata, timing);
        }
    }

    /** A consumer answers a request delivery (which acks it). */
    record Reply(long sessionId, long consumerId, long sequence, int attempt, String payload) implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
            return MessageHeaderEncoder.ENCODED_LENGTH + new ReplyEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(sessionId).consumerId(consumerId).sequence(sequence).attempt(attempt)
                .putPayload(bytes, 0, bytes.length).putHeaders(bytes, 0, 0)
                .encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.reply(sessionId, consumerId, sequence, attempt, payload.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * {@code createQueue}: whether a queue that does not exist is made for it. {@code version6}: sent as a version 6
     * client did (and an older journal holds it): without the flag, a block one byte shorter.
     */
    record Subscribe(long sessionId, long correlationId, String queue, String group, int prefetch,
        long visibilityTimeoutMs, boolean createQueue, boolean version6) implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + new SubscribeEncoder()
                .wrapAndApplyHeader(buffer, offset, header)
                .sessionId(sessionId).correlationId(correlationId).prefetch(prefetch)
                .visibilityTimeoutMs(visibilityTimeoutMs).createQueue(createQueue ? BooleanType.TRUE : BooleanType.FALSE)
                .queue(queue).group(group)
                .encodedLength();
            return version6 ? Commands.subscribeAsVersion6(buffer, offset, length) : length;
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            // A version 6 Subscribe always made its queue, first, even when the rest of it was refused.
            model.subscribe(sessionId, correlationId, queue, group, prefetch, visibilityTimeoutMs,
                version6 || createQueue, version6);
        }
    }

    record Ack(long sessionId, long consumerId, long sequence, int attempt) implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + new AckEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(sessionId).consumerId(consumerId).sequence(sequence).attempt(attempt).encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.ack(sessionId, consumerId, sequence, attempt);
        }
    }

    /** Entries as a client would send them: at least one (the ingress refuses an empty batch). */
    record AckBatch(long sessionId, long consumerId, List<Entry> entries) implements Command
    {
        record Entry(long sequence, int attempt)
        {
        }

        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final AckBatchEncoder encoder = new AckBatchEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(sessionId).consumerId(consumerId);
            final AckBatchEncoder.EntriesEncoder group = encoder.entriesCount(entries.size());
            for (final Entry entry : entries)
            {
                group.next().sequence(entry.sequence()).attempt(entry.attempt());
            }
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.ackBatch(sessionId, consumerId, entries);
        }
    }

    record Nack(long sessionId, long consumerId, long sequence, int attempt, NackAction action, long delayMs)
        implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + new NackEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(sessionId).consumerId(consumerId).sequence(sequence).attempt(attempt)
                .action(action).delayMs(delayMs).encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.nack(sessionId, consumerId, sequence, attempt, action, delayMs);
        }
    }

    record QueueAdmin(
        long sessionId, long correlationId, AdminAction action, String queue, String group, long count, boolean force)
        implements Command
    {
        QueueAdmin(
            final long sessionId,
            final long correlationId,
            final AdminAction action,
            final String queue,
            final String group,
            final long count)
        {
            this(sessionId, correlationId, action, queue, group, count, false);
        }

        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + new QueueAdminEncoder()
                .wrapAndApplyHeader(buffer, offset, header)
                .sessionId(sessionId).correlationId(correlationId).action(action).count(count)
                .force(force ? BooleanType.TRUE : BooleanType.FALSE)
                .queue(queue).group(group)
                .encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.queueAdmin(sessionId, correlationId, action, queue, group, count, force);
        }
    }

    record Tick() implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return MessageHeaderEncoder.ENCODED_LENGTH +
                new TickEncoder().wrapAndApplyHeader(buffer, offset, header).encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.tick();
        }
    }

    record Extend(long sessionId, long consumerId, long sequence, int attempt, long timeoutMs) implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + new ExtendEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(sessionId).consumerId(consumerId).sequence(sequence).attempt(attempt)
                .visibilityTimeoutMs(timeoutMs).encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.extend(sessionId, consumerId, sequence, attempt, timeoutMs);
        }
    }

    /** {@code set}: the credit becomes exactly {@code credits} (CreditMode.SET); else they are added. */
    record Grant(long sessionId, long consumerId, int credits, boolean set) implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + new GrantEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(sessionId).consumerId(consumerId).credits(credits)
                .mode(set ? CreditMode.SET : CreditMode.ADD).encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            if (set)
            {
                model.setCredit(sessionId, consumerId, credits);
            }
            else
            {
                model.grant(sessionId, consumerId, credits);
            }
        }
    }

    record Unsubscribe(long sessionId, long consumerId) implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + new UnsubscribeEncoder()
                .wrapAndApplyHeader(buffer, offset, header).sessionId(sessionId).consumerId(consumerId).encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.unsubscribe(sessionId, consumerId);
        }
    }

    /**
     * @param retainMs version 9: keep acked messages this long (0: no time bound), likewise retainBytes.
     * @param delayMs version 9: the queue's default delay (0: none).
     */
    record DeclareQueue(long sessionId, long correlationId, String queue, ReferenceQueueModel.Settings settings,
        long retainMs, long retainBytes, long delayMs) implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final DeclareQueueEncoder encoder = new DeclareQueueEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sessionId(sessionId).correlationId(correlationId);
            write(encoder.settings(), settings);
            write(encoder.limits(), settings.limits());
            encoder.retention().retainMs(retainMs).retainBytes(retainBytes);
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.delayMs(delayMs).queue(queue).encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.declareQueue(sessionId, correlationId, queue, settings, retainMs, retainBytes, delayMs);
        }
    }

    record QueueRule(String pattern, ReferenceQueueModel.Settings settings) implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final QueueRuleEncoder encoder = new QueueRuleEncoder().wrapAndApplyHeader(buffer, offset, header);
            write(encoder.settings(), settings);
            write(encoder.limits(), settings.limits());
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.pattern(pattern).encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.queueRule(pattern, settings);
        }
    }

    /** @param start version 9: where a new group starts ({@code startValue}: its sequence or epoch ms). */
    record DeclareGroup(long sessionId, long correlationId, String queue, String group, DispatchStrategy strategy,
        String deadLetterQueue, StartPoint start, long startValue, String filter) implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + new DeclareGroupEncoder()
                .wrapAndApplyHeader(buffer, offset, header)
                .sessionId(sessionId).correlationId(correlationId).strategy(strategy)
                .start(start).startValue(startValue)
                .queue(queue).group(group).deadLetterQueue(deadLetterQueue).filter(filter)
                .encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.declareGroup(
                sessionId, correlationId, queue, group, strategy, deadLetterQueue, start, startValue, filter);
        }
    }

    /** Version 9: moves a group to a place in its queue. */
    record Seek(long sessionId, long correlationId, String queue, String group, StartPoint to, long value)
        implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + new SeekEncoder()
                .wrapAndApplyHeader(buffer, offset, header)
                .sessionId(sessionId).correlationId(correlationId).to(to).value(value)
                .queue(queue).group(group)
                .encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.seek(sessionId, correlationId, queue, group, to, value);
        }
    }

    record FrameRejected(long sessionId, long correlationId, ErrorCode code, int templateId) implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + new FrameRejectedEncoder()
                .wrapAndApplyHeader(buffer, offset, header)
                .sessionId(sessionId).correlationId(correlationId).code(code).templateId(templateId).maxLength(0)
                .encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.frameRejected(sessionId, correlationId, code);
        }
    }

    record SessionLost(long sessionId) implements Command
    {
        public int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + new SessionLostEncoder()
                .wrapAndApplyHeader(buffer, offset, header).sessionId(sessionId).encodedLength();
        }

        public void applyTo(final ReferenceQueueModel model)
        {
            model.sessionLost(sessionId);
        }
    }

    private static void write(final QueueLimitsEncoder encoder, final ReferenceQueueModel.Limits limits)
    {
        encoder.maxAgeMs(limits.maxAgeMs())
            .maxMessages(limits.maxMessages())
            .maxBytes(limits.maxBytes())
            .expiredAction(limits.expired())
            .overflowAction(limits.overflow());
    }

    private static void write(final QueueSettingsEncoder encoder, final ReferenceQueueModel.Settings settings)
    {
        encoder.visibilityTimeoutMs(settings.visibilityTimeoutMs())
            .maxAttempts(settings.maxAttempts())
            .backoff(settings.backoff())
            .strategy(settings.strategy())
            .initialDelayMs(settings.initialDelayMs())
            .maxDelayMs(settings.maxDelayMs());
    }
}
