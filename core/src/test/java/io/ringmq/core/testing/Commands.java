package io.ringmq.core.testing;

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
import io.ringmq.codecs.ReplyEncoder;
import io.ringmq.codecs.QueueAdminEncoder;
import io.ringmq.codecs.QueryEncoder;
import io.ringmq.codecs.QueryKind;
import io.ringmq.codecs.QueueRuleEncoder;
import io.ringmq.codecs.QueueSettingsEncoder;
import io.ringmq.codecs.SessionLostEncoder;
import io.ringmq.codecs.SubscribeEncoder;
import io.ringmq.codecs.TickEncoder;
import io.ringmq.codecs.TransportClosedEncoder;
import io.ringmq.core.protocol.Priority;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.state.ClientLimits;
import io.ringmq.core.state.DedupLimits;
import io.ringmq.core.state.RunExpiry;
import io.ringmq.core.state.JournalRecords;
import io.ringmq.core.state.PayloadReadBack;
import io.ringmq.core.state.QueuePolicy;
import io.ringmq.core.state.QueueStateMachine;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds commands (command header + frame) as the ingress would and applies them to a state machine, with a
 * clock the test steps by hand.
 */
public final class Commands
{
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final QueueStateMachine stateMachine;
    private long logSequence;
    private long nowNs = 1_000_000_000L;
    private int transportSessionId = 1;
    private final List<QueueStateMachine> followers = new ArrayList<>();
    /** Every record applied, by log sequence: the journal a sink reads evicted payloads back from. */
    private final Long2ObjectHashMap<byte[]> journal = new Long2ObjectHashMap<>();

    /** Commands for this machine, whose sink is given evicted payloads read back from the records applied. */
    public Commands(final QueueStateMachine stateMachine)
    {
        this.stateMachine = stateMachine;
        stateMachine.outputSink(new PayloadReadBack(stateMachine.outputSink(), journal()));
    }

    /**
     * Applies every later command to this machine too, byte for byte, as a replay of the journal or the standby would
     * (e.g. a machine restored from a snapshot taken now, to check snapshot + tail).
     */
    public void alsoApplyTo(final QueueStateMachine follower)
    {
        followers.add(follower);
    }

    /** Aeron session the next commands arrive on, as the ingress would stamp it. */
    public void fromTransport(final int transportSessionId)
    {
        this.transportSessionId = transportSessionId;
    }

    /** The ingress explaining a refused Publish, stamped (like the frame) with the current transport. */
    public void frameRejected(final long sessionId, final long correlationId, final ErrorCode code)
    {
        frameRejected(sessionId, correlationId, code, PublishEncoder.TEMPLATE_ID, 0);
    }

    /** @param maxLength for MESSAGE_TOO_LARGE, the limit the frame passed (a Publish's payload, else the frame). */
    public void frameRejected(
        final long sessionId, final long correlationId, final ErrorCode code, final int templateId, final int maxLength)
    {
        apply(new FrameRejectedEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId).correlationId(correlationId).code(code).templateId(templateId).maxLength(maxLength)
            .encodedLength());
    }

    /** The daemon closing a session whose client stopped reading, from its own (internal) transport. */
    public void sessionLost(final long sessionId)
    {
        final int transport = transportSessionId;
        transportSessionId = 0;
        apply(new SessionLostEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId).encodedLength());
        transportSessionId = transport;
    }

    public void transportClosed(final int transportSessionId)
    {
        apply(new TransportClosedEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .transportSessionId(transportSessionId).encodedLength());
    }

    public void advanceNs(final long ns)
    {
        nowNs += ns;
    }

    public void connect(final long correlationId, final String channel, final int streamId)
    {
        final ConnectEncoder encoder = new ConnectEncoder()
            .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .correlationId(correlationId)
            .responseStreamId(streamId)
            .responseChannel(channel)
            .clientName("test");
        apply(encoder.encodedLength());
    }

    /** A Connect the ingress refused and answers, as it journals it. */
    public void connectRefused(
        final long correlationId, final String channel, final int streamId, final ErrorCode code, final String reason)
    {
        apply(new ConnectRefusedEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .correlationId(correlationId)
            .responseStreamId(streamId)
            .code(code)
            .responseChannel(channel)
            .reason(reason)
            .encodedLength());
    }

    public void disconnect(final long sessionId)
    {
        disconnect(sessionId, true);
    }

    public void disconnect(final long sessionId, final boolean releaseInFlight)
    {
        apply(new DisconnectEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId)
            .releaseInFlight(releaseInFlight ? BooleanType.TRUE : BooleanType.FALSE)
            .encodedLength());
    }

    public void publish(final long sessionId, final long correlationId, final String queue, final String payload)
    {
        publish(sessionId, correlationId, queue, payload, 0, 0, new byte[0], "");
    }

    /** A publish with all a message may carry: producer id and sequence, headers (their bytes), message id. */
    public void publish(
        final long sessionId,
        final long correlationId,
        final String queue,
        final String payload,
        final long producerId,
        final long producerSequence,
        final byte[] headers,
        final String messageId)
    {
        request(sessionId, correlationId, queue, payload, producerId, producerSequence, headers, messageId, 0, "",
            Priority.DEFAULT, 0, 0, 0);
    }

    /** A plain publish of the given priority (0-9; a value outside is sent as it is). */
    public void publishWithPriority(
        final long sessionId, final long correlationId, final String queue, final String payload, final int priority)
    {
        request(sessionId, correlationId, queue, payload, 0, 0, new byte[0], "", 0, "", priority, 0, 0, 0);
    }

    /** A plain publish with its own timing: a delay or a deliver-at (epoch ms), a time to live; 0 for none. */
    public void publishTimed(
        final long sessionId,
        final long correlationId,
        final String queue,
        final String payload,
        final long delayMs,
        final long deliverAtMs,
        final long ttlMs)
    {
        request(sessionId, correlationId, queue, payload, 0, 0, new byte[0], "", 0, "", Priority.DEFAULT, delayMs,
            deliverAtMs, ttlMs);
    }

    /** A request (a publish with a request id) answered to its sender's session, or to {@code replyTo} if not empty. */
    public void request(
        final long sessionId,
        final long correlationId,
        final String queue,
        final String payload,
        final long requestId,
        final String replyTo)
    {
        request(sessionId, correlationId, queue, payload, 0, 0, new byte[0], "", requestId, replyTo, Priority.DEFAULT,
            0, 0, 0);
    }

    private void request(
        final long sessionId,
        final long correlationId,
        final String queue,
        final String payload,
        final long producerId,
        final long producerSequence,
        final byte[] headers,
        final String messageId,
        final long requestId,
        final String replyTo,
        final int priority,
        final long delayMs,
        final long deliverAtMs,
        final long ttlMs)
    {
        final byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        final PublishEncoder encoder = new PublishEncoder()
            .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId)
            .correlationId(correlationId)
            .producerId(producerId)
            .producerSequence(producerSequence).requestId(requestId).priority((short)priority)
            .delayMs(delayMs).deliverAtMs(deliverAtMs).ttlMs(ttlMs)
            .queue(queue)
            .putPayload(bytes, 0, bytes.length)
            .putHeaders(headers, 0, headers.length)
            .messageId(messageId);
        apply(encoder.replyTo(replyTo).encodedLength());
    }

    /** A consumer answers the delivery (sequence, attempt) of a request. */
    public void reply(
        final long sessionId, final long consumerId, final long sequence, final int attempt, final String payload)
    {
        final byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        apply(new ReplyEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId).consumerId(consumerId).sequence(sequence).attempt(attempt)
            .putPayload(bytes, 0, bytes.length).putHeaders(bytes, 0, 0).encodedLength());
    }

    public void subscribe(
        final long sessionId, final long correlationId, final String queue, final String group, final int prefetch)
    {
        subscribe(sessionId, correlationId, queue, group, prefetch, 0);
    }

    public void subscribe(
        final long sessionId,
        final long correlationId,
        final String queue,
        final String group,
        final int prefetch,
        final long visibilityTimeoutMs)
    {
        subscribe(sessionId, correlationId, queue, group, prefetch, visibilityTimeoutMs, true);
    }

    /** @param createQueue whether a queue that does not exist is created for it (else refused: UNKNOWN_QUEUE). */
    public void subscribe(
        final long sessionId,
        final long correlationId,
        final String queue,
        final String group,
        final int prefetch,
        final long visibilityTimeoutMs,
        final boolean createQueue)
    {
        final SubscribeEncoder encoder = new SubscribeEncoder()
            .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId)
            .correlationId(correlationId)
            .prefetch(prefetch)
            .visibilityTimeoutMs(visibilityTimeoutMs)
            .createQueue(createQueue ? BooleanType.TRUE : BooleanType.FALSE)
            .queue(queue)
            .group(group);
        apply(encoder.encodedLength());
    }

    public void ack(final long sessionId, final long consumerId, final long sequence, final int attempt)
    {
        apply(new AckEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId).consumerId(consumerId).sequence(sequence).attempt(attempt).encodedLength());
    }

    /** One AckBatch of a consumer; each entry is {sequence, attempt}. */
    public void ackBatch(final long sessionId, final long consumerId, final long[]... entries)
    {
        final AckBatchEncoder encoder = new AckBatchEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId).consumerId(consumerId);
        final AckBatchEncoder.EntriesEncoder group = encoder.entriesCount(entries.length);
        for (final long[] entry : entries)
        {
            group.next().sequence(entry[0]).attempt((int)entry[1]);
        }
        apply(encoder.encodedLength());
    }

    public void nack(
        final long sessionId, final long consumerId, final long sequence, final int attempt, final NackAction action)
    {
        apply(new NackEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId).consumerId(consumerId).sequence(sequence).attempt(attempt)
            .action(action).delayMs(0).encodedLength());
    }

    public void nackDelayed(
        final long sessionId, final long consumerId, final long sequence, final int attempt, final long delayMs)
    {
        apply(new NackEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId).consumerId(consumerId).sequence(sequence).attempt(attempt)
            .action(NackAction.REQUEUE_DELAYED).delayMs(delayMs).encodedLength());
    }

    public void extend(
        final long sessionId, final long consumerId, final long sequence, final int attempt, final long timeoutMs)
    {
        apply(new ExtendEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId).consumerId(consumerId).sequence(sequence).attempt(attempt)
            .visibilityTimeoutMs(timeoutMs).encodedLength());
    }

    public void grant(final long sessionId, final long consumerId, final int credits)
    {
        apply(new GrantEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId).consumerId(consumerId).credits(credits).mode(CreditMode.ADD).encodedLength());
    }

    /** A Grant that makes the consumer's credit exactly {@code credits} (CreditMode.SET). */
    public void setCredit(final long sessionId, final long consumerId, final int credits)
    {
        apply(new GrantEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId).consumerId(consumerId).credits(credits).mode(CreditMode.SET).encodedLength());
    }

    public void unsubscribe(final long sessionId, final long consumerId)
    {
        apply(new UnsubscribeEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId).consumerId(consumerId).encodedLength());
    }

    public void declareQueue(
        final long sessionId, final long correlationId, final String queue, final QueuePolicy settings)
    {
        declareQueue(sessionId, correlationId, queue, settings, 0, 0);
    }

    /** With retention (version 9): keeps acked messages {@code retainMs} / up to {@code retainBytes}; 0 = no bound. */
    public void declareQueue(
        final long sessionId,
        final long correlationId,
        final String queue,
        final QueuePolicy settings,
        final long retainMs,
        final long retainBytes)
    {
        declareQueue(sessionId, correlationId, queue, settings, retainMs, retainBytes, 0);
    }

    /** With retention and a default delay (both version 9). */
    public void declareQueue(
        final long sessionId,
        final long correlationId,
        final String queue,
        final QueuePolicy settings,
        final long retainMs,
        final long retainBytes,
        final long delayMs)
    {
        final DeclareQueueEncoder encoder = new DeclareQueueEncoder()
            .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId)
            .correlationId(correlationId);
        write(encoder.settings(), settings);
        settings.limits().writeTo(encoder.limits());
        encoder.retention().retainMs(retainMs).retainBytes(retainBytes);
        apply(encoder.delayMs(delayMs).queue(queue).encodedLength());
    }

    /** A DeclareQueue with its default delay (version 9, delivery control) and otherwise nothing set. */
    public void declareQueueWithDelay(
        final long sessionId, final long correlationId, final String queue, final long delayMs)
    {
        declareQueue(sessionId, correlationId, queue, QueuePolicy.UNSET, 0, 0, delayMs);
    }

    /** A group declared to start at a place (version 9). */
    public void declareGroupStartingAt(
        final long sessionId,
        final long correlationId,
        final String queue,
        final String group,
        final StartPoint start,
        final long startValue)
    {
        declareGroupStartingAt(sessionId, correlationId, queue, group, start, startValue, "");
    }

    /** A group declared to start at a place with a header filter (empty: none), both version 9. */
    public void declareGroupStartingAt(
        final long sessionId,
        final long correlationId,
        final String queue,
        final String group,
        final StartPoint start,
        final long startValue,
        final String filter)
    {
        apply(new DeclareGroupEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId).correlationId(correlationId).strategy(DispatchStrategy.DEFAULT)
            .start(start).startValue(startValue)
            .queue(queue).group(group).deadLetterQueue("").filter(filter)
            .encodedLength());
    }

    /** Moves a group (version 9). */
    public void seek(
        final long sessionId,
        final long correlationId,
        final String queue,
        final String group,
        final StartPoint to,
        final long value)
    {
        apply(new SeekEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId).correlationId(correlationId).to(to).value(value)
            .queue(queue).group(group)
            .encodedLength());
    }

    public void declareGroup(
        final long sessionId,
        final long correlationId,
        final String queue,
        final String group,
        final DispatchStrategy strategy,
        final String deadLetterQueue)
    {
        apply(declareGroupFrame(sessionId, correlationId, queue, group, strategy, deadLetterQueue, ""));
    }

    /** A DeclareGroup with a header filter (version 9, delivery control), its other settings left to defaults. */
    public void declareGroupWithFilter(
        final long sessionId, final long correlationId, final String queue, final String group, final String filter)
    {
        apply(declareGroupFrame(sessionId, correlationId, queue, group, DispatchStrategy.DEFAULT, "", filter));
    }

    /** A DeclareGroup as a version 6 client sent it (an older journal holds it): the same layout, version 6. */
    public void declareGroupAsVersion6(
        final long sessionId,
        final long correlationId,
        final String queue,
        final String group,
        final DispatchStrategy strategy,
        final String deadLetterQueue)
    {
        declareGroupAsVersion(6, sessionId, correlationId, queue, group, strategy, deadLetterQueue);
    }

    /** A DeclareGroup as a client of that version (2 to 8) sent it: the same block, no filter after its names. */
    public void declareGroupAsVersion(
        final int version,
        final long sessionId,
        final long correlationId,
        final String queue,
        final String group,
        final DispatchStrategy strategy,
        final String deadLetterQueue)
    {
        final int bodyLength =
            declareGroupFrame(sessionId, correlationId, queue, group, strategy, deadLetterQueue, null);
        header.version(version);
        apply(bodyLength);
    }

    /**
     * A DeclareQueue with retention and a default delay as a version 8 client sent it: a block that ends before
     * retention and delayMs (its last fields), so the queue keeps nothing and gets no default delay.
     */
    public void declareQueueAsVersion8(final long sessionId, final long correlationId, final String queue)
    {
        final DeclareQueueEncoder encoder = new DeclareQueueEncoder()
            .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId)
            .correlationId(correlationId);
        write(encoder.settings(), QueuePolicy.UNSET);
        QueuePolicy.UNSET.limits().writeTo(encoder.limits());
        encoder.retention().retainMs(60_000).retainBytes(4_096);
        final int blockStart = CommandHeader.LENGTH + MessageHeaderEncoder.ENCODED_LENGTH;
        final int v8Block = DeclareQueueEncoder.retentionEncodingOffset();
        final int bodyLength = encoder.delayMs(5_000).queue(queue).encodedLength();
        // The var data moves up over delayMs, and the header says version 8 with the shorter block.
        buffer.putBytes(blockStart + v8Block, buffer, blockStart + DeclareQueueEncoder.BLOCK_LENGTH,
            bodyLength - DeclareQueueEncoder.BLOCK_LENGTH);
        new MessageHeaderEncoder().wrap(buffer, CommandHeader.LENGTH).blockLength(v8Block).version(8);
        applyFrame(MessageHeaderEncoder.ENCODED_LENGTH + bodyLength - (DeclareQueueEncoder.BLOCK_LENGTH - v8Block));
    }

    private int declareGroupFrame(
        final long sessionId,
        final long correlationId,
        final String queue,
        final String group,
        final DispatchStrategy strategy,
        final String deadLetterQueue,
        final String filter)
    {
        final DeclareGroupEncoder encoder = new DeclareGroupEncoder()
            .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId).correlationId(correlationId).strategy(strategy)
            .start(StartPoint.OLDEST_UNCONSUMED).startValue(0)
            .queue(queue).group(group).deadLetterQueue(deadLetterQueue);
        // null: a frame of version 8 or older, which ends before the filter.
        return (null == filter ? encoder : encoder.filter(filter)).encodedLength();
    }

    /** A Subscribe as a version 6 client sent it (an older journal holds it): no createQueue flag. */
    public void subscribeAsVersion6(
        final long sessionId, final long correlationId, final String queue, final String group, final int prefetch)
    {
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + new SubscribeEncoder()
            .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId).correlationId(correlationId).prefetch(prefetch).visibilityTimeoutMs(0)
            .createQueue(BooleanType.TRUE).queue(queue).group(group)
            .encodedLength();
        applyFrame(subscribeAsVersion6(buffer, CommandHeader.LENGTH, frameLength));
    }

    /**
     * Rewrites the Subscribe frame at {@code frameOffset}, encoded at the current version, as a version 6 client
     * sent it: a block without createQueue (its last field), the var data moved up to follow it.
     *
     * @return the frame's length now.
     */
    public static int subscribeAsVersion6(final MutableDirectBuffer buffer, final int frameOffset, final int frameLength)
    {
        final int shortBlock = SubscribeEncoder.createQueueEncodingOffset();
        final int cut = SubscribeEncoder.BLOCK_LENGTH - shortBlock;
        final int varDataStart = frameOffset + MessageHeaderEncoder.ENCODED_LENGTH + SubscribeEncoder.BLOCK_LENGTH;
        buffer.putBytes(varDataStart - cut, buffer, varDataStart, frameOffset + frameLength - varDataStart);
        new MessageHeaderEncoder().wrap(buffer, frameOffset).blockLength(shortBlock).version(6);
        return frameLength - cut;
    }

    /** A configured queue rule, as the daemon journals it after NodeStarted. */
    public void queueRule(final String pattern, final QueuePolicy settings)
    {
        final QueueRuleEncoder encoder = new QueueRuleEncoder()
            .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header);
        write(encoder.settings(), settings);
        settings.limits().writeTo(encoder.limits());
        apply(encoder.pattern(pattern).encodedLength());
    }

    private static void write(final QueueSettingsEncoder encoder, final QueuePolicy settings)
    {
        encoder.visibilityTimeoutMs(settings.visibilityTimeoutMs())
            .maxAttempts(settings.maxAttempts())
            .backoff(settings.backoff())
            .strategy(settings.strategy())
            .initialDelayMs(settings.initialDelayMs())
            .maxDelayMs(settings.maxDelayMs());
    }

    public void admin(
        final long sessionId,
        final long correlationId,
        final AdminAction action,
        final String queue,
        final String group,
        final long count)
    {
        admin(sessionId, correlationId, action, queue, group, count, false);
    }

    public void admin(
        final long sessionId,
        final long correlationId,
        final AdminAction action,
        final String queue,
        final String group,
        final long count,
        final boolean force)
    {
        apply(new QueueAdminEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId)
            .correlationId(correlationId)
            .action(action)
            .count(count)
            .force(force ? BooleanType.TRUE : BooleanType.FALSE)
            .queue(queue)
            .group(group)
            .encodedLength());
    }

    /**
     * Answers a Query as the dispatcher does: through {@link QueueStateMachine#answer}, with the log sequence of the
     * command before it (a query takes none) and a time {@code laterMs} past the last command's, which a query must
     * not let reach the state.
     */
    public void query(
        final long sessionId,
        final long correlationId,
        final QueryKind kind,
        final String name,
        final long count,
        final long laterMs)
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new QueryEncoder()
            .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(sessionId)
            .correlationId(correlationId)
            .kind(kind)
            .count(count)
            .name(name)
            .encodedLength();
        CommandHeader.write(buffer, 0, logSequence, nowNs + laterMs * 1_000_000L, transportSessionId);
        stateMachine.answer(buffer, 0, CommandHeader.LENGTH + length);
    }

    /** What the NodeStarted frames this writes remember to recognise publishes applied already. */
    private DedupLimits dedupLimits = DedupLimits.NONE;
    /** What the NodeStarted frames this writes expire. */
    private RunExpiry runExpiry = RunExpiry.NONE;

    public void nodeStarted()
    {
        nodeStarted(0, 0);
    }

    /** A new run of the daemon with these queue defaults (0 keeps the current one) and no bounds. */
    public void nodeStarted(final long defaultVisibilityTimeoutMs, final int defaultMaxAttempts)
    {
        nodeStarted(defaultVisibilityTimeoutMs, defaultMaxAttempts, ClientLimits.NONE, 0);
    }

    /** A new run with bounds on what clients open and a default max.bytes of queues (0: none). */
    public void nodeStarted(final ClientLimits limits, final long defaultMaxQueueBytes)
    {
        nodeStarted(0, 0, limits, defaultMaxQueueBytes);
    }

    private void nodeStarted(final long defaultVisibilityTimeoutMs, final int defaultMaxAttempts,
        final ClientLimits limits, final long defaultMaxQueueBytes)
    {
        apply(nodeStartedFrame(defaultVisibilityTimeoutMs, defaultMaxAttempts, limits, defaultMaxQueueBytes));
    }

    /** A new run, as a daemon of an older schema version journaled it (its journal replayed by this build). */
    public void nodeStartedAtSchemaVersion(final int schemaVersion)
    {
        nodeStartedAtSchemaVersion(schemaVersion, ClientLimits.NONE, 0);
    }

    /**
     * A new run journaled in an older schema version, with bounds in the fields that version did not have (as a
     * newer encoder writes them): a replay must ignore them, as the run did.
     */
    public void nodeStartedAtSchemaVersion(
        final int schemaVersion, final ClientLimits limits, final long defaultMaxQueueBytes)
    {
        final int length = nodeStartedFrame(0, 0, limits, defaultMaxQueueBytes);
        header.version(schemaVersion);
        apply(length);
    }

    private int nodeStartedFrame(final long defaultVisibilityTimeoutMs, final int defaultMaxAttempts,
        final ClientLimits limits, final long defaultMaxQueueBytes)
    {
        return limits.writeTo(new NodeStartedEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .startTimestampNs(nowNs)
            .defaultVisibilityTimeoutMs(defaultVisibilityTimeoutMs)
            .defaultMaxAttempts(defaultMaxAttempts))
            .defaultMaxQueueBytes(defaultMaxQueueBytes)
            .dedupWindowMs(dedupLimits.windowMs())
            .maxDedupProducers(dedupLimits.maxProducers())
            .dedupIdWindowMs(dedupLimits.idWindowMs())
            .maxDedupIds(dedupLimits.maxIds())
            .groupExpiryMs(runExpiry.groupExpiryMs())
            .queueExpiryMs(runExpiry.queueExpiryMs())
            .encodedLength();
    }

    /** A new run that remembers this much to recognise publishes applied already, and no bounds. */
    public void nodeStarted(final DedupLimits dedup)
    {
        dedupLimits = dedup;
        nodeStarted(0, 0);
    }

    /** A new run that expires groups and queues so (issue 17), and no bounds. */
    public void nodeStarted(final RunExpiry expiry)
    {
        nodeStarted(0, 0, expiry);
    }

    /** A new run with these queue defaults (0 keeps the current one) that expires groups and queues so. */
    public void nodeStarted(final long defaultVisibilityTimeoutMs, final int defaultMaxAttempts, final RunExpiry expiry)
    {
        runExpiry = expiry;
        nodeStarted(defaultVisibilityTimeoutMs, defaultMaxAttempts);
    }

    /** Lets time pass: advances the clock, then applies a tick as the ingress would. */
    public void tickAfterMs(final long ms)
    {
        tickAt(nowNs + ms * 1_000_000L);
    }

    /** A tick carrying exactly this time, as the ingress journals when a deadline has come. */
    public void tickAt(final long timeNs)
    {
        nowNs = timeNs;
        apply(new TickEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header).encodedLength());
    }

    /** Where a caller writes a frame of its own before {@link #applyFrame}: after the command header. */
    public MutableDirectBuffer frameBuffer()
    {
        return buffer;
    }

    /** Applies the frame of this length written at {@link CommandHeader#LENGTH} of {@link #frameBuffer()}. */
    public void applyFrame(final int frameLength)
    {
        CommandHeader.write(buffer, 0, ++logSequence, nowNs, transportSessionId);
        final byte[] record = new byte[CommandHeader.LENGTH + frameLength];
        buffer.getBytes(0, record);
        journal.put(logSequence, record);
        stateMachine.apply(buffer, 0, CommandHeader.LENGTH + frameLength);
        for (int i = 0; i < followers.size(); i++)
        {
            followers.get(i).apply(buffer, 0, CommandHeader.LENGTH + frameLength);
        }
    }

    /** The records applied so far, as the daemon's journal would hand them back (for {@code PayloadReadBack}). */
    public JournalRecords journal()
    {
        return (logSequence, handler) ->
        {
            final byte[] record = journal.get(logSequence);
            if (null == record)
            {
                return false;
            }
            handler.onRecord(new UnsafeBuffer(record), 0, record.length);
            return true;
        };
    }

    /** Forgets the records up to {@code logSequence}, as journal retention deletes old cycles. */
    public void forgetJournalUpTo(final long logSequence)
    {
        journal.keySet().removeIf((sequence) -> sequence <= logSequence);
    }

    /** The time the next command carries. */
    public long nowNs()
    {
        return nowNs;
    }

    private void apply(final int bodyLength)
    {
        applyFrame(MessageHeaderEncoder.ENCODED_LENGTH + bodyLength);
    }
}
