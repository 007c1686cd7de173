package io.ringmq.core.state;

import io.ringmq.codecs.AckBatchDecoder;
import io.ringmq.codecs.AckDecoder;
import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.EpochStartedDecoder;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.CommandSetAsideDecoder;
import io.ringmq.codecs.ConnectDecoder;
import io.ringmq.codecs.ConnectRefusedDecoder;
import io.ringmq.codecs.DeclareGroupDecoder;
import io.ringmq.codecs.DeclareQueueDecoder;
import io.ringmq.codecs.DisconnectDecoder;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.ExtendDecoder;
import io.ringmq.codecs.FrameRejectedDecoder;
import io.ringmq.codecs.CreditMode;
import io.ringmq.codecs.GrantDecoder;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.NackDecoder;
import io.ringmq.codecs.NodeStartedDecoder;
import io.ringmq.codecs.TransportClosedDecoder;
import io.ringmq.codecs.UnsubscribeDecoder;
import io.ringmq.codecs.PublishDecoder;
import io.ringmq.codecs.QueryDecoder;
import io.ringmq.codecs.QueryKind;
import io.ringmq.codecs.QueueAdminDecoder;
import io.ringmq.codecs.QueueRuleDecoder;
import io.ringmq.codecs.ReplyDecoder;
import io.ringmq.codecs.SeekDecoder;
import io.ringmq.codecs.SessionLostDecoder;
import io.ringmq.codecs.StartPoint;
import io.ringmq.codecs.SubscribeDecoder;
import io.ringmq.codecs.TickDecoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.Names;
import io.ringmq.core.protocol.Priority;
import io.ringmq.core.protocol.QueuePattern;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The deterministic heart of ringmq: applies one command at a time and tells an {@link OutputSink} what follows.
 * <p>
 * Pure by construction: no I/O, no clock reads, no threads, no randomness. Time arrives in each command's
 * {@link CommandHeader}. Given the same commands in the same order it reaches the same state and emits the same
 * outputs, which is what makes journal replay, the hot standby and exact tests possible.
 * <p>
 * Commands must have passed {@link io.ringmq.core.protocol.FrameValidator} (the ingress does this before the
 * journal, so replayed commands have too).
 * <p>
 * This class decodes commands, opens and closes sessions and keeps consumers; the rest is done by parts that share
 * one {@link SharedState}, each with one job: {@link Sessions} (who is connected, and that a command comes from the
 * session it names: nothing is said to a session about a command it did not send), {@link Declarations} (queues and
 * groups), {@link Dispatcher} (deliveries), {@link DeliveryCommands} (ack, nack, extend, grant), {@link Settlement}
 * (how deliveries end, deadlines), {@link LimitEnforcer} (age and size limits, dead letters), {@link AdminCommands}
 * (browse, redrive, purge, stats), {@link MessageStore} (messages into and out of queues) and {@link StateSnapshotIO}
 * (snapshots of the whole state).
 * <p>
 * Not thread-safe: owned by the dispatch thread (or the recovery thread before the daemon goes live).
 */
public final class QueueStateMachine
{
    public static final String DLQ_SUFFIX = Names.DEAD_LETTER_SUFFIX;
    /** What an UNKNOWN_QUEUE refusal adds for a client that could have created the queue (the HTTP face rewords it). */
    public static final String UNKNOWN_QUEUE_CREATE_HINT = " (a subscribe that asks to create it does)";
    /** Defaults until the first NodeStarted says otherwise (SQS-like: 30 s to process, 5 tries). */
    static final long INITIAL_VISIBILITY_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(30);
    static final int INITIAL_MAX_ATTEMPTS = 5;
    /** The schema version from which a refused DeclareGroup or Subscribe creates nothing (see the schema's header). */
    static final int CHECKS_BEFORE_CREATING_VERSION = 7;
    static final long MAX_VISIBILITY_TIMEOUT_MS = QueuePolicy.MAX_DELAY_MS;
    /** The schema version from which a Subscribe may name a pattern of queues (an older one's '*' is an invalid name). */
    static final int PATTERN_SUBSCRIBE_VERSION = 10;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ConnectDecoder connectDecoder = new ConnectDecoder();
    private final DisconnectDecoder disconnectDecoder = new DisconnectDecoder();
    private final PublishDecoder publishDecoder = new PublishDecoder();
    private final SubscribeDecoder subscribeDecoder = new SubscribeDecoder();
    private final AckDecoder ackDecoder = new AckDecoder();
    private final AckBatchDecoder ackBatchDecoder = new AckBatchDecoder();
    private final ReplyDecoder replyDecoder = new ReplyDecoder();
    private final NackDecoder nackDecoder = new NackDecoder();
    private final TransportClosedDecoder transportClosedDecoder = new TransportClosedDecoder();
    private final QueueAdminDecoder queueAdminDecoder = new QueueAdminDecoder();
    private final QueryDecoder queryDecoder = new QueryDecoder();
    private final NodeStartedDecoder nodeStartedDecoder = new NodeStartedDecoder();
    private final ExtendDecoder extendDecoder = new ExtendDecoder();
    private final GrantDecoder grantDecoder = new GrantDecoder();
    private final UnsubscribeDecoder unsubscribeDecoder = new UnsubscribeDecoder();
    private final DeclareQueueDecoder declareQueueDecoder = new DeclareQueueDecoder();
    private final DeclareGroupDecoder declareGroupDecoder = new DeclareGroupDecoder();
    private final QueueRuleDecoder queueRuleDecoder = new QueueRuleDecoder();
    private final SessionLostDecoder sessionLostDecoder = new SessionLostDecoder();
    private final FrameRejectedDecoder frameRejectedDecoder = new FrameRejectedDecoder();
    private final ConnectRefusedDecoder connectRefusedDecoder = new ConnectRefusedDecoder();
    private final EpochStartedDecoder epochStartedDecoder = new EpochStartedDecoder();
    private final SeekDecoder seekDecoder = new SeekDecoder();
    private final UnsafeBuffer nameView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer payloadView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer headersView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer messageIdView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer replyToView = new UnsafeBuffer(0, 0);

    private final SharedState state;
    private final Sessions sessions;
    private final QueuePolicies policies;
    private final QueueIndex queues;
    private final Long2ObjectHashMap<Consumer> consumers;
    private final DeliveryTimers deliveryTimers;
    private final AgedQueues agedQueues;
    private final MessageStore store;
    private final Dispatcher dispatcher;
    private final LimitEnforcer limits;
    private final Settlement settlement;
    private final AdminCommands adminCommands;
    private final Queries queries;
    private final Declarations declarations;
    private final DeliveryCommands deliveryCommands;
    private final Retention retention;
    private final Seeks seeks;
    private final GroupExpiry groupExpiry;
    private final WildcardSubscriptions wildcards;
    private final QueueExpiry queueExpiry;

    public QueueStateMachine(final OutputSink sink)
    {
        state = new SharedState(QueuePolicy.defaults(INITIAL_VISIBILITY_TIMEOUT_MS, INITIAL_MAX_ATTEMPTS), sink);
        policies = state.policies;
        queues = state.queues;
        consumers = state.consumers;
        deliveryTimers = state.deliveryTimers;
        agedQueues = state.agedQueues;
        store = new MessageStore(state);
        dispatcher = new Dispatcher(state, store);
        retention = new Retention(state, store);
        limits = new LimitEnforcer(state, store, dispatcher, retention);
        settlement = new Settlement(state, store, dispatcher, limits, retention);
        seeks = new Seeks(state, retention, dispatcher);
        sessions = new Sessions();
        final Removals removals = new Removals(state, sessions, store);
        groupExpiry = new GroupExpiry(state, removals);
        queueExpiry = new QueueExpiry(state, removals);
        declarations = new Declarations(state, retention, groupExpiry);
        adminCommands = new AdminCommands(state, declarations, store, dispatcher, limits, removals, retention);
        queries = new Queries(state, declarations, adminCommands);
        deliveryCommands = new DeliveryCommands(state, sessions, dispatcher, settlement,
            new ReplyRouting(state, sessions, store, limits, dispatcher, retention));
        wildcards = new WildcardSubscriptions(state, sessions, declarations, dispatcher);
    }

    /** Replaces the sink, e.g. from {@link OutputSink#NONE} during recovery to the egress when going live. */
    public void outputSink(final OutputSink sink)
    {
        state.sink = sink;
    }

    /**
     * The oldest journal record that a payload held now may have to be read back from (a kept message's, or one that
     * may yet be kept), or {@link Long#MAX_VALUE} if none: journal retention keeps that record and every later one.
     * It only grows (a copy of a message names its original's record, which was counted), so a point published from it
     * stays safe. A scan of every message: call at snapshot time or at recovery, not per command.
     */
    public long oldestPayloadLogSequence()
    {
        long oldest = Long.MAX_VALUE;
        for (final Queue queue : queues.queues())
        {
            oldest = Math.min(oldest, queue.messages.oldestPayloadLogSequence());
        }
        return oldest;
    }

    /** Where outputs go now (a sink set later may wrap it). */
    public OutputSink outputSink()
    {
        return state.sink;
    }

    /** Command time (the daemon's epoch clock, as the ingress stamped it) of the last command applied. */
    public long nowNs()
    {
        return state.nowNs;
    }

    /** Log sequence of the last command applied; 0 before the first. */
    public long lastLogSequence()
    {
        return state.lastLogSequence;
    }

    /** Timestamp of the last command applied (the time the state has reached); 0 before the first. */
    public long lastTimestampNs()
    {
        return state.nowNs;
    }

    /** The pair's epoch: 1 until a journaled EpochStarted (a standby promoted) raised it. */
    public long epoch()
    {
        return state.epoch;
    }

    /** Log sequence of the current epoch's first command: its EpochStarted, or 1 in epoch 1. */
    public long epochFirstLogSequence()
    {
        return state.epochFirstLogSequence;
    }

    /**
     * A 64-bit digest of the whole state: a hash of the bytes {@link #writeSnapshot(MutableDirectBuffer,
     * SnapshotChunkSink)} streams, so equal states give equal digests and nodes compare states without shipping them.
     * Streams through {@code digest}'s chunk: allocates nothing but what a snapshot's walk does. O(state): for status
     * queries, never the command path.
     */
    public long digest(final StateDigest digest)
    {
        digest.reset();
        writeSnapshot(digest.chunk(), digest);
        return digest.value();
    }

    /**
     * Answers one Query (a {@link CommandHeader} followed by a Query frame) from the state as it stands. Unlike
     * {@link #apply} it moves neither time nor the log sequence and changes nothing, which is why a Query is never
     * journaled: replay without it reaches the same state.
     */
    public void answer(final DirectBuffer buffer, final int offset, final int length)
    {
        sessions.transportSessionId = CommandHeader.transportSessionId(buffer, offset);
        final int frameOffset = offset + CommandHeader.LENGTH;
        headerDecoder.wrap(buffer, frameOffset);
        queryDecoder.wrap(buffer, frameOffset + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
            headerDecoder.version());
        final long sessionId = queryDecoder.sessionId();
        final long correlationId = queryDecoder.correlationId();
        final short kindRaw = queryDecoder.kindRaw(); // raw: an unknown value is answered, never thrown
        final QueryKind kind = kindRaw <= QueryKind.PEEK.value() ? QueryKind.get(kindRaw) : QueryKind.NULL_VAL;
        final long count = queryDecoder.count();
        queryDecoder.wrapName(nameView);
        final String nameText = nameView.getStringWithoutLengthAscii(0, nameView.capacity());
        if (null != sessions.sessionFor(sessionId))
        {
            queries.answer(sessionId, correlationId, kind, count, nameView, nameText);
        }
    }

    /**
     * Applies one command: a {@link CommandHeader} followed by a frame.
     */
    public void apply(final DirectBuffer buffer, final int offset, final int length)
    {
        state.lastLogSequence = CommandHeader.logSequence(buffer, offset);
        final long nowNs = CommandHeader.timestampNs(buffer, offset);
        state.nowNs = nowNs;
        sessions.transportSessionId = CommandHeader.transportSessionId(buffer, offset);

        // Time passes before the command takes effect: deadlines that came are handled first, then messages that
        // came of age leave.
        deliveryTimers.advanceTo(nowNs, settlement);
        if (agedQueues.isDue(nowNs))
        {
            limits.expireAgedMessages();
        }
        if (state.expiringMessages.isDue(nowNs))
        {
            limits.expireMessagesPastTtl();
        }
        if (retention.isDue(nowNs))
        {
            retention.releaseDue();
        }
        if (state.heldMessages.isDue(nowNs))
        {
            dispatcher.releaseHeldMessages();
        }
        dispatcher.deliverToPendingGroups();
        if (groupExpiry.isDue(nowNs))
        {
            groupExpiry.expireDue(); // after deliveries, as a delete group command would come: none pending then
        }
        queueExpiry.settleTouched(); // what time changed is idle from now: not due before this command ends
        if (queueExpiry.isDue(nowNs))
        {
            queueExpiry.expireDue(); // after groups expired: a queue they left idle starts its clock now
        }

        final int frameOffset = offset + CommandHeader.LENGTH;
        headerDecoder.wrap(buffer, frameOffset);
        final int bodyOffset = frameOffset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();

        switch (headerDecoder.templateId())
        {
            case PublishDecoder.TEMPLATE_ID ->
                onPublish(publishDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case AckDecoder.TEMPLATE_ID ->
                onAck(ackDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case ReplyDecoder.TEMPLATE_ID ->
                onReply(replyDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case AckBatchDecoder.TEMPLATE_ID ->
                deliveryCommands.ackBatch(ackBatchDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case NackDecoder.TEMPLATE_ID ->
                onNack(nackDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case SubscribeDecoder.TEMPLATE_ID ->
                onSubscribe(subscribeDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case QueueAdminDecoder.TEMPLATE_ID ->
                onQueueAdmin(queueAdminDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case ExtendDecoder.TEMPLATE_ID ->
                onExtend(extendDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case GrantDecoder.TEMPLATE_ID ->
                onGrant(grantDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case UnsubscribeDecoder.TEMPLATE_ID ->
                onUnsubscribe(unsubscribeDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case DeclareQueueDecoder.TEMPLATE_ID ->
                onDeclareQueue(declareQueueDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case DeclareGroupDecoder.TEMPLATE_ID ->
                onDeclareGroup(declareGroupDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case SeekDecoder.TEMPLATE_ID ->
                onSeek(seekDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case ConnectDecoder.TEMPLATE_ID ->
                onConnect(connectDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case DisconnectDecoder.TEMPLATE_ID ->
                onDisconnect(disconnectDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case NodeStartedDecoder.TEMPLATE_ID ->
                onNodeStarted(nodeStartedDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case QueueRuleDecoder.TEMPLATE_ID ->
                onQueueRule(queueRuleDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case FrameRejectedDecoder.TEMPLATE_ID ->
                onFrameRejected(frameRejectedDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case ConnectRefusedDecoder.TEMPLATE_ID ->
                onConnectRefused(connectRefusedDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case SessionLostDecoder.TEMPLATE_ID ->
                closeSession(sessionLostDecoder.wrap(buffer, bodyOffset, blockLength, version).sessionId(), true);
            case TransportClosedDecoder.TEMPLATE_ID ->
                closeSessionsWhere(transportClosedDecoder.wrap(buffer, bodyOffset, blockLength, version)
                    .transportSessionId());
            case EpochStartedDecoder.TEMPLATE_ID ->
                onEpochStarted(epochStartedDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case TickDecoder.TEMPLATE_ID, CommandSetAsideDecoder.TEMPLATE_ID ->
            {
                // Only the passage of time, already applied above.
            }
            default ->
            {
                // Outbound-only templates (Receipt, Deliver, ...) are never commands; the ingress refuses them.
            }
        }
        wildcards.attachToCreatedQueues(); // within the command that made them: no later publish finds them bare
        agedQueues.refreshIfStale();
        queueExpiry.settleTouched();
    }

    private void onConnect(final ConnectDecoder connect)
    {
        final int responseStreamId = connect.responseStreamId();
        final long correlationId = connect.correlationId();
        final String responseChannel = connect.responseChannel();
        final int open = sessions.byId.size();
        if (!state.clientLimits.admitsSession(open))
        {
            state.sink.onConnectRefused(correlationId, responseChannel, responseStreamId, ErrorCode.TOO_MANY_SESSIONS,
                open + " sessions are open, the most ringmq.max.sessions allows: try again once one has closed");
            return;
        }
        final long sessionId = sessions.nextSessionId++;
        sessions.byId.put(sessionId, new Session(sessionId, sessions.transportSessionId));
        state.sink.onSessionOpened(sessionId, correlationId, responseChannel, responseStreamId);
    }

    /**
     * A standby was promoted: the pair is in a new epoch from here. Only the epoch changes (the NodeStarted journaled
     * right after closes the old primary's sessions); an epoch never goes back.
     */
    private void onEpochStarted(final EpochStartedDecoder epochStarted)
    {
        final long epoch = epochStarted.epoch();
        if (epoch > state.epoch)
        {
            state.epoch = epoch;
            state.epochFirstLogSequence = epochStarted.firstLogSequence();
        }
    }

    /** The ingress refused a Connect but may answer on its response channel: no session, only the answer. */
    private void onConnectRefused(final ConnectRefusedDecoder refused)
    {
        final long correlationId = refused.correlationId();
        final int responseStreamId = refused.responseStreamId();
        final ErrorCode code = refused.code();
        final String responseChannel = refused.responseChannel();
        state.sink.onConnectRefused(correlationId, responseChannel, responseStreamId, code, refused.reason());
    }

    /**
     * A new run of the daemon: its defaults and bounds apply and the rules of the previous run are gone until this
     * run's QueueRule commands (journaled right after) arrive; the previous run's sessions are closed. The schema
     * version it was journaled in says how the run resolves rules, redrives dead letters and checks dead-letter
     * queues, and whether it has bounds.
     */
    private void onNodeStarted(final NodeStartedDecoder nodeStarted)
    {
        final int schemaVersion = nodeStarted.actingVersion();
        policies.startRun(nodeStarted.defaultVisibilityTimeoutMs(), nodeStarted.defaultMaxAttempts(),
            ClientLimits.defaultMaxQueueBytes(nodeStarted), schemaVersion);
        state.clientLimits = ClientLimits.of(nodeStarted);
        state.dedupLimits(DedupLimits.of(nodeStarted));
        runExpiry(RunExpiry.of(nodeStarted)); // before its sessions close: their groups' clocks start under it
        state.followsVersion5Rules = schemaVersion >= SharedState.VERSION_5;
        limits.resolvePolicies();
        closeSessionsWhere(Sessions.ALL_TRANSPORTS);
    }

    /** One configured rule; the daemon checked it before journaling it, so a bad one here is skipped, not fatal. */
    private void onQueueRule(final QueueRuleDecoder rule)
    {
        final QueuePolicy policy = QueuePolicy.read(rule.settings(), rule.limits());
        final String pattern = rule.pattern();
        if (null == policy.problem() && null == QueuePolicies.patternProblem(pattern))
        {
            policies.addRule(pattern, policy);
            limits.resolvePolicies();
        }
    }

    /**
     * The ingress refused a frame that names a session: tell that session why, but only if the frame came on its own
     * transport (a garbled or forged id gets no answer rather than an answer to someone else).
     */
    private void onFrameRejected(final FrameRejectedDecoder rejected)
    {
        final long sessionId = rejected.sessionId();
        if (null != sessions.sessionFor(sessionId))
        {
            final ErrorCode code = rejected.code();
            state.sink.onError(sessionId, rejected.correlationId(), code,
                FrameRejections.describe(rejected.templateId(), code, rejected.maxLength()));
        }
    }

    private void onDisconnect(final DisconnectDecoder disconnect)
    {
        final long sessionId = disconnect.sessionId();
        final short releaseInFlight = disconnect.releaseInFlightRaw();
        if (null == sessions.sessionFor(sessionId))
        {
            return;
        }
        // Anything but FALSE has always released (the null value too, which journals may hold); a value that is
        // neither, nor null, is refused (it used to throw).
        if (BooleanType.NULL_VAL == WireEnums.booleanType(releaseInFlight) &&
            BooleanType.NULL_VAL.value() != releaseInFlight)
        {
            state.sink.onError(sessionId, 0, ErrorCode.INVALID_ARGUMENT, "disconnect releaseInFlight=" +
                releaseInFlight + " is invalid: must be 0 (FALSE) or 1 (TRUE)");
            return;
        }
        closeSession(sessionId, BooleanType.FALSE.value() != releaseInFlight);
    }

    /**
     * Closes the sessions bound to a transport session, or all of them for {@link Sessions#ALL_TRANSPORTS} (a new
     * run of the daemon: the previous run's clients are gone). Closing makes their in-flight messages visible again.
     */
    private void closeSessionsWhere(final long transport)
    {
        for (final long sessionId : sessions.idsOn(transport))
        {
            closeSession(sessionId, true);
        }
    }

    /**
     * @param releaseInFlight true: the session's in-flight deliveries are visible again at once; false (a client
     *                        leaving on purpose without settling): they stay in flight until their timeouts.
     */
    private void closeSession(final long sessionId, final boolean releaseInFlight)
    {
        final Session session = sessions.byId.remove(sessionId);
        if (null == session)
        {
            return;
        }
        for (int i = session.patterns.size() - 1; i >= 0; i--)
        {
            wildcards.remove(session, session.patterns.get(i));
        }
        for (int i = 0, size = session.consumers.size(); i < size; i++)
        {
            removeConsumer(session.consumers.get(i), releaseInFlight);
        }
        state.sink.onSessionClosed(sessionId);
        for (int i = 0, size = session.consumers.size(); i < size; i++)
        {
            dispatcher.deliverReady(session.consumers.get(i).group);
        }
    }

    /**
     * Detaches one consumer exactly as closing its session would, its deliveries released: they go back at once, to
     * the group's other consumers if it has any; the group stays. The id of a pattern subscription detaches every
     * consumer it attached and ends the subscription; an attached consumer's own id detaches that one only.
     */
    private void onUnsubscribe(final UnsubscribeDecoder unsubscribe)
    {
        final long sessionId = unsubscribe.sessionId();
        final Session session = sessions.byId.get(sessionId);
        final PatternSubscription subscription =
            null == session ? null : WildcardSubscriptions.find(session, unsubscribe.consumerId());
        if (null != subscription)
        {
            if (null != sessions.sessionFor(sessionId))
            {
                unsubscribePattern(session, subscription);
            }
            return;
        }
        final Consumer consumer = deliveryCommands.consumerOf(sessionId, unsubscribe.consumerId());
        if (null == consumer)
        {
            return;
        }
        sessions.sessionFor(sessionId).consumers.remove(consumer);
        removeConsumer(consumer, true);
        dispatcher.deliverReady(consumer.group);
    }

    /** Detaches every consumer the pattern subscription attached, as many Unsubscribes would, oldest first. */
    private void unsubscribePattern(final Session session, final PatternSubscription subscription)
    {
        wildcards.remove(session, subscription);
        while (!subscription.attached.isEmpty())
        {
            final Consumer consumer = subscription.attached.get(0);
            session.consumers.remove(consumer);
            removeConsumer(consumer, true);
            dispatcher.deliverReady(consumer.group);
        }
    }

    private void removeConsumer(final Consumer consumer, final boolean releaseInFlight)
    {
        WildcardSubscriptions.detached(consumer);
        consumers.remove(consumer.id);
        consumer.group.removeConsumer(consumer);
        queues.touch(consumer.group.queue);
        if (consumer.group.consumers.isEmpty())
        {
            groupExpiry.idleFromNow(consumer.group);
        }
        if (!releaseInFlight)
        {
            return; // its deliveries keep their deadlines; expiry finds no consumer and gives them back then
        }
        settlement.releaseInFlight(consumer);
    }

    private void onPublish(final PublishDecoder publish)
    {
        final long sessionId = publish.sessionId();
        final long correlationId = publish.correlationId();
        // Absent from a frame older than version 7: the decoder gives their null values and empty fields.
        final boolean hasProducer = publish.actingVersion() >= PublishDecoder.producerIdSinceVersion();
        final long producerId = hasProducer ? publish.producerId() : 0;
        final long producerSequence = hasProducer ? publish.producerSequence() : 0;
        final long requestId = hasProducer ? publish.requestId() : 0;
        // Absent from a frame older than version 8: the default priority (the validator bounds a present one to 0-9).
        final boolean hasVersion8Fields = publish.actingVersion() >= PublishDecoder.prioritySinceVersion();
        final int priority = hasVersion8Fields ? publish.priority() : PriorityLanes.DEFAULT_PRIORITY;
        final long delayMs = hasVersion8Fields ? publish.delayMs() : 0;
        final long deliverAtMs = hasVersion8Fields ? publish.deliverAtMs() : 0;
        final long ttlMs = hasVersion8Fields ? publish.ttlMs() : 0;
        publish.wrapQueue(nameView);
        publish.wrapPayload(payloadView);
        publish.wrapHeaders(headersView);
        publish.wrapMessageId(messageIdView);
        publish.wrapReplyTo(replyToView);

        if (null == sessions.sessionFor(sessionId))
        {
            return;
        }
        if (!Priority.isValid(priority))
        {
            // The ingress refuses such a frame; a journal written without that check must not break the state.
            state.sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT, "priority=" + priority +
                " is invalid: must be 0 (lowest) to 9 (highest)");
            return;
        }
        final String timingProblem = MessageTiming.problem(state.nowNs, delayMs, deliverAtMs, ttlMs);
        if (null != timingProblem)
        {
            state.sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT, timingProblem);
            return;
        }
        final int messageIdLength = messageIdView.capacity();
        if (answeredAsDuplicate(sessionId, correlationId, producerId, producerSequence, messageIdLength))
        {
            return;
        }
        final Queue queue = declarations.queueFor(sessionId, correlationId, nameView);
        if (null == queue)
        {
            return;
        }
        final int replyToLength = replyToView.capacity();
        if (0 != requestId && 0 != replyToLength && !Names.isValid(replyToView, 0, replyToLength))
        {
            state.sink.onError(sessionId, correlationId, ErrorCode.INVALID_NAME, "reply queue '" +
                replyToView.getStringWithoutLengthAscii(0, replyToLength) + "' is invalid: " + Names.RULE);
            return;
        }
        final int length = payloadView.capacity();
        if (!limits.makeRoom(queue, length))
        {
            state.sink.onError(sessionId, correlationId, ErrorCode.QUEUE_FULL, "queue '" + queue.name + "' is full (" +
                queue.messages.size() + " messages, " + queue.messages.bytes() + " bytes held; a message of " + length +
                " bytes is refused under " + queue.policy.limits() + ")");
            return;
        }

        final StoredMessage message =
            store.appendPublished(queue, priority, payloadView, length, state.nowNs, state.lastLogSequence);
        message.setMetadata(producerId, producerSequence, headersView, headersView.capacity(), messageIdView,
            messageIdLength);
        if (0 != requestId)
        {
            message.setRequest(requestId, 0 == replyToLength ? sessionId : 0, replyToView, replyToLength);
        }
        if (0 != producerId)
        {
            state.producerWindows.record(producerId, producerSequence, message.sequence, state.nowNs);
        }
        if (0 != messageIdLength)
        {
            state.messageIds.record(queue.name, messageIdView, messageIdLength, message.sequence, state.nowNs);
        }
        // Version 9, delivery control: a publish with no timing of its own takes its queue's default delay.
        final long ownOrDefaultDelayMs = 0 == delayMs && 0 == deliverAtMs ? queue.defaultDelayMs : delayMs;
        final long deliverAtNs = MessageTiming.deliverAtNs(state.nowNs, ownOrDefaultDelayMs, deliverAtMs);
        if (deliverAtNs > state.nowNs)
        {
            store.hold(queue, message, deliverAtNs);
        }
        if (0 != ttlMs)
        {
            store.expireAt(queue, message, MessageTiming.expiresAtNs(state.nowNs, ttlMs));
        }
        final long sequence = message.sequence;
        retention.enteredQueue(queue, message);
        state.sink.onReceipt(sessionId, correlationId, sequence);
        dispatcher.deliverToAllGroups(queue);
    }

    /**
     * A publish applied already (same producer and producer sequence, or the same message id to the same queue, within
     * the run's windows) gets the first one's receipt and changes nothing else.
     */
    private boolean answeredAsDuplicate(
        final long sessionId,
        final long correlationId,
        final long producerId,
        final long producerSequence,
        final int messageIdLength)
    {
        long original = ProducerWindows.NOT_FOUND;
        if (0 != producerId)
        {
            original = state.producerWindows.find(producerId, producerSequence, state.nowNs);
        }
        if (ProducerWindows.NOT_FOUND == original && 0 != messageIdLength)
        {
            // Ids whose window has passed are forgotten whether or not the queue exists yet: forgetting waits for no
            // particular queue, so a later run's longer window does not bring them back.
            final Queue queue = queues.get(nameView, 0, nameView.capacity());
            original = state.messageIds.find(
                null == queue ? null : queue.name, messageIdView, messageIdLength, state.nowNs);
        }
        if (ProducerWindows.NOT_FOUND == original)
        {
            return false;
        }
        state.sink.onReceipt(sessionId, correlationId, original);
        return true;
    }

    private void onSubscribe(final SubscribeDecoder subscribe)
    {
        final long sessionId = subscribe.sessionId();
        final long correlationId = subscribe.correlationId();
        final int prefetch = subscribe.prefetch();
        final long visibilityTimeoutMs = subscribe.visibilityTimeoutMs();
        // A Subscribe before version 7 has no flag (its raw value reads as the null value): it always created.
        final boolean createRequested = BooleanType.FALSE.value() != subscribe.createQueueRaw();
        final boolean checksBeforeCreating = checksBeforeCreating(subscribe.actingVersion());
        subscribe.wrapQueue(nameView);
        final String groupName = subscribe.group();

        final Session session = sessions.sessionFor(sessionId);
        if (null == session)
        {
            return;
        }
        final int attached = session.subscriptionCount();
        if (!state.clientLimits.admitsConsumer(attached))
        {
            state.sink.onError(sessionId, correlationId, ErrorCode.TOO_MANY_CONSUMERS, "the session has " + attached +
                " consumers, the most ringmq.max.consumers.per.session allows");
            return;
        }
        if (subscribe.actingVersion() >= PATTERN_SUBSCRIBE_VERSION &&
            QueuePattern.isPattern(nameView, 0, nameView.capacity()))
        {
            subscribeToPattern(session, correlationId, groupName, prefetch, visibilityTimeoutMs);
            return;
        }
        Queue queue = declarations.existing(nameView);
        if (null == queue)
        {
            if (!declarations.admitsNewQueue(sessionId, correlationId, nameView, createRequested))
            {
                return;
            }
            if (!checksBeforeCreating)
            {
                queue = declarations.create(nameView);
            }
        }
        if (!admitsConsumerSettings(sessionId, correlationId, groupName, prefetch, visibilityTimeoutMs))
        {
            return;
        }
        if (null == queue)
        {
            queue = declarations.create(nameView);
        }

        final ConsumerGroup group = declarations.groupFor(queue, groupName);

        final long visibilityTimeoutNs = TimeUnit.MILLISECONDS.toNanos(visibilityTimeoutMs);
        final Consumer consumer =
            new Consumer(sessions.nextConsumerId++, sessionId, group, prefetch, visibilityTimeoutNs);
        consumers.put(consumer.id, consumer);
        session.consumers.add(consumer);
        group.consumers.add(consumer);
        queues.touch(group.queue);

        state.sink.onSubscribed(sessionId, correlationId, consumer.id);
        dispatcher.deliverReady(group);
    }

    /**
     * A Subscribe to a pattern of queues: it creates none, and attaches a consumer to each queue that matches, now or
     * when created ({@link WildcardSubscriptions}).
     */
    private void subscribeToPattern(
        final Session session,
        final long correlationId,
        final String groupName,
        final int prefetch,
        final long visibilityTimeoutMs)
    {
        final String text = nameView.getStringWithoutLengthAscii(0, nameView.capacity());
        final QueuePattern pattern = QueuePattern.parse(text);
        if (null == pattern)
        {
            state.sink.onError(session.id, correlationId, ErrorCode.INVALID_NAME,
                "queue pattern '" + text + "' is invalid: " + QueuePattern.RULE);
            return;
        }
        if (admitsConsumerSettings(session.id, correlationId, groupName, prefetch, visibilityTimeoutMs))
        {
            wildcards.subscribe(session, correlationId, pattern, groupName, prefetch,
                TimeUnit.MILLISECONDS.toNanos(visibilityTimeoutMs));
        }
    }

    /** Whether a Subscribe's group, prefetch and visibility timeout are valid; if not, the session has been told. */
    private boolean admitsConsumerSettings(
        final long sessionId,
        final long correlationId,
        final String groupName,
        final int prefetch,
        final long visibilityTimeoutMs)
    {
        if (!declarations.isValidGroupName(sessionId, correlationId, groupName))
        {
            return false;
        }
        if (prefetch < 0)
        {
            state.sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT,
                "prefetch=" + prefetch + " is invalid: must be 0 (credits granted explicitly) or more");
            return false;
        }
        if (visibilityTimeoutMs < 0 || visibilityTimeoutMs > MAX_VISIBILITY_TIMEOUT_MS)
        {
            state.sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT, "visibilityTimeoutMs=" +
                visibilityTimeoutMs + " is invalid: must be 0 (queue default) to " + MAX_VISIBILITY_TIMEOUT_MS);
            return false;
        }
        return true;
    }

    /**
     * Whether a DeclareGroup or Subscribe of this schema version checks everything before it creates its queue, so
     * that a refused one creates nothing. One of version 6 or older created the queue first; its replay must too.
     */
    private static boolean checksBeforeCreating(final int frameVersion)
    {
        return frameVersion >= CHECKS_BEFORE_CREATING_VERSION;
    }

    private void onReply(final ReplyDecoder reply)
    {
        final long sessionId = reply.sessionId();
        final long consumerId = reply.consumerId();
        final long sequence = reply.sequence();
        final int attempt = reply.attempt();
        reply.wrapPayload(payloadView);
        reply.wrapHeaders(headersView);
        deliveryCommands.reply(sessionId, consumerId, sequence, attempt, payloadView, payloadView.capacity(),
            headersView, headersView.capacity());
    }

    private void onAck(final AckDecoder ack)
    {
        deliveryCommands.ack(ack.sessionId(), ack.consumerId(), ack.sequence(), ack.attempt());
    }

    private void onNack(final NackDecoder nack)
    {
        deliveryCommands.nack(
            nack.sessionId(), nack.consumerId(), nack.sequence(), nack.attempt(), nack.actionRaw(), nack.delayMs());
    }

    private void onExtend(final ExtendDecoder extend)
    {
        deliveryCommands.extend(
            extend.sessionId(), extend.consumerId(), extend.sequence(), extend.attempt(), extend.visibilityTimeoutMs());
    }

    private void onGrant(final GrantDecoder grant)
    {
        // Absent from a frame older than version 11: every Grant added then.
        final CreditMode mode = grant.actingVersion() >= GrantDecoder.modeSinceVersion() ?
            WireEnums.creditMode(grant.modeRaw()) : CreditMode.ADD;
        deliveryCommands.grant(grant.sessionId(), grant.consumerId(), grant.credits(), mode);
    }

    private void onDeclareQueue(final DeclareQueueDecoder declare)
    {
        final long sessionId = declare.sessionId();
        final long correlationId = declare.correlationId();
        final QueuePolicy declared = QueuePolicy.read(declare.settings(), declare.limits());
        // Absent from a frame older than version 9: nothing kept.
        final QueueRetention retention = QueueRetention.read(
            declare.actingVersion() >= DeclareQueueDecoder.retentionSinceVersion() ? declare.retention() : null);
        // Version 9, delivery control: the queue's default delay; a DeclareQueue of version 8 or older has none.
        final long delayMs =
            declare.actingVersion() >= DeclareQueueDecoder.delayMsSinceVersion() ? declare.delayMs() : 0;
        declare.wrapQueue(nameView);

        if (null != sessions.sessionFor(sessionId))
        {
            declarations.declareQueue(sessionId, correlationId, declared, retention, delayMs, nameView);
        }
    }

    private void onDeclareGroup(final DeclareGroupDecoder declare)
    {
        final long sessionId = declare.sessionId();
        final long correlationId = declare.correlationId();
        final DispatchStrategy strategy = WireEnums.dispatchStrategy(declare.strategyRaw());
        // Absent from a frame older than version 9: the oldest message not yet consumed, where groups always started.
        final boolean hasStart = declare.actingVersion() >= DeclareGroupDecoder.startSinceVersion();
        final StartPoint start = hasStart ? WireEnums.startPoint(declare.startRaw()) : StartPoint.OLDEST_UNCONSUMED;
        final long startValue = hasStart ? declare.startValue() : 0;
        declare.wrapQueue(nameView);
        final String groupName = declare.group();
        final String deadLetterQueue = declare.deadLetterQueue();
        // Version 9, delivery control: a header filter; a DeclareGroup of version 8 or older has none (empty).
        final String filter = declare.filter();

        if (null != sessions.sessionFor(sessionId))
        {
            declarations.declareGroup(sessionId, correlationId, strategy, nameView, groupName, deadLetterQueue,
                start, startValue, filter, checksBeforeCreating(declare.actingVersion()));
        }
    }

    private void onQueueAdmin(final QueueAdminDecoder admin)
    {
        final long sessionId = admin.sessionId();
        final long correlationId = admin.correlationId();
        final boolean hasVersion8Fields = admin.actingVersion() >= QueueAdminDecoder.forceSinceVersion();
        final AdminAction decoded = WireEnums.adminAction(admin.actionRaw());
        // An action added in version 8 meant nothing before: a replayed older frame carrying its value stays unknown.
        final AdminAction action = !hasVersion8Fields &&
            (AdminAction.DELETE_QUEUE == decoded || AdminAction.DELETE_GROUP == decoded) ? AdminAction.NULL_VAL : decoded;
        final long count = admin.count();
        admin.wrapQueue(nameView);
        final String groupFilter = admin.group();
        // Absent from a frame older than version 8 (no delete actions then): not forced.
        final boolean force = hasVersion8Fields && BooleanType.TRUE.value() == admin.forceRaw(); // raw: never throws

        if (null != sessions.sessionFor(sessionId))
        {
            adminCommands.apply(sessionId, correlationId, action, count, nameView, groupFilter, force);
        }
    }

    private void onSeek(final SeekDecoder seek)
    {
        final long sessionId = seek.sessionId();
        final long correlationId = seek.correlationId();
        final StartPoint to = WireEnums.startPoint(seek.toRaw());
        final long value = seek.value();
        seek.wrapQueue(nameView);
        final String groupName = seek.group();

        if (null != sessions.sessionFor(sessionId))
        {
            seeks.seek(sessionId, correlationId, nameView, groupName, to, value);
        }
    }

    // ---- snapshots ----

    /**
     * Writes the whole state (see {@link StateSnapshot}) at {@code offset}; an expandable buffer grows as needed.
     * Allocates: for snapshots only.
     *
     * @return the number of bytes written.
     */
    public int writeSnapshot(final MutableDirectBuffer buffer, final int offset)
    {
        return StateSnapshotIO.write(buffer, offset, state, sessions, declarations);
    }

    /**
     * Streams the whole state (the bytes {@link #writeSnapshot(MutableDirectBuffer, int)} writes) through a fixed
     * {@code chunk} to {@code sink}, a chunk at a time: a snapshot of any size takes the chunk's memory, never a copy of
     * the state. An exception from the sink abandons the snapshot and leaves the state as it was. Allocates: for
     * snapshots only.
     *
     * @return the number of bytes written.
     */
    public long writeSnapshot(final MutableDirectBuffer chunk, final SnapshotChunkSink sink)
    {
        return StateSnapshotIO.write(chunk, sink, state, sessions, declarations);
    }

    /**
     * About how many bytes {@link #writeSnapshot} will write now, a little over rather than under: lets a caller size
     * its buffer once instead of growing it by copies while a large state is written. Cheap: counts, no walk of the
     * messages.
     */
    public long snapshotSizeEstimate()
    {
        return StateSnapshotIO.sizeEstimate(state, sessions);
    }

    /**
     * A state machine in the state a snapshot recorded: applying the commands journaled after it gives the same
     * state and outputs as applying every command from the start.
     *
     * @throws IllegalStateException if the bytes are not a whole snapshot of this format.
     */
    public static QueueStateMachine fromSnapshot(
        final DirectBuffer buffer, final int offset, final int length, final OutputSink sink)
    {
        final QueueStateMachine machine = new QueueStateMachine(sink);
        StateSnapshotIO.read(buffer, offset, length, machine.state, machine.sessions, machine.declarations);
        machine.retention.recompute();
        machine.runExpiry(machine.state.runExpiry); // each expiry finds its next deadline
        return machine;
    }

    // ---- read-only views for metrics, admin and tests ----

    /** Messages the queue still holds (not yet settled by every group); -1 if the queue does not exist. */
    public int depth(final String queueName)
    {
        final Queue queue = queues.get(queueName);
        return null == queue ? -1 : queue.messages.size();
    }

    /** What the queue holds and what its limits did; null if the queue does not exist. Allocates. */
    public QueueCounters counters(final String queueName)
    {
        final Queue queue = queues.get(queueName);
        return null == queue ? null : AdminCommands.counters(queue);
    }

    /** Messages held by every queue together, in flight included. O(queues): not for the per-command path. */
    public long retainedMessages()
    {
        return queues.retainedMessages();
    }

    /** What limits did over every queue: live, read it on the thread that applies commands. */
    public LimitCounts limitCounts()
    {
        return state.limitCounts;
    }

    /** Deliveries of the queue in flight to the group's consumers; -1 if the queue or group does not exist. */
    public int inFlight(final String queueName, final String groupName)
    {
        final Queue queue = queues.get(queueName);
        final ConsumerGroup group = null == queue ? null : queue.group(groupName);
        return null == group ? -1 : group.inFlight.size();
    }

    /** Messages the group's header filter refused (settled for it, never delivered); -1 if there is no such group. */
    public long filtered(final String queueName, final String groupName)
    {
        final Queue queue = queues.get(queueName);
        final ConsumerGroup group = null == queue ? null : queue.group(groupName);
        return null == group ? -1 : group.filtered;
    }

    /** How many queues exist (dead-letter queues included): {@link #queueFigures} takes indexes below it. */
    public int queueCount()
    {
        return queues.queues().size();
    }

    /**
     * Points {@code into} at the queue at {@code index} in creation order (0 to {@link #queueCount()} - 1), for
     * metrics: read it before the next command. Allocates nothing.
     *
     * @return {@code into}.
     */
    public QueueFigures queueFigures(final int index, final QueueFigures into)
    {
        return into.wrap(queues.queues().get(index));
    }

    /**
     * Whether an observer of {@link QueueFigures} must read every queue ({@link #queueFigures}) rather than only
     * {@link #changedQueueFigures the changed ones}: true until it first calls {@link #forgetChangedQueues()}, and
     * again when more queues changed between two reads than the list keeps (it then drops what it holds for queues
     * that no longer exist).
     */
    public boolean everyQueueChanged()
    {
        return queues.changed.everyQueue();
    }

    /** Queues whose figures may have changed since the last {@link #forgetChangedQueues()} (deleted ones included). */
    public int changedQueueCount()
    {
        return queues.changed.count();
    }

    /**
     * Points {@code into} at the changed queue at {@code index} (0 to {@link #changedQueueCount()} - 1), in the order
     * they first changed: a deleted queue ({@link QueueFigures#deleted()}) comes before a queue made later with its
     * name. Read it before the next command. Allocates nothing.
     *
     * @return {@code into}.
     */
    public QueueFigures changedQueueFigures(final int index, final QueueFigures into)
    {
        return into.wrap(queues.changed.get(index));
    }

    /**
     * The observer read what changed (or every queue): from here on only the queues that change next are listed. Not
     * state: it changes nothing a command, a snapshot or a digest sees.
     */
    public void forgetChangedQueues()
    {
        queues.changed.forget();
    }

    /** Names of all queues in creation order. */
    public List<String> queueNames()
    {
        return queues.names();
    }

    public int sessionCount()
    {
        return sessions.byId.size();
    }

    /**
     * Commands and refused frames that named a session not connected on the transport they came on, since this
     * machine was made (replayed commands included): nobody was told about them, neither the session they named nor
     * their sender. Not part of the state (snapshots do not carry it).
     */
    public long foreignCommands()
    {
        return sessions.foreignCommands;
    }

    /**
     * Deadlines pending (deliveries in flight or waiting to be redelivered, plus one while an aged queue holds
     * messages). When time must arrive for them is {@link #nextDeadlineNs()}. Group and queue expiry are not
     * counted: their next check may be early (a consumer attached since), so it is no count of what is pending; it
     * shows in {@link #nextDeadlineNs()} only.
     */
    public long pendingTimers()
    {
        return deliveryTimers.pending() + (agedQueues.isPending() ? 1 : 0) +
            (Long.MAX_VALUE != retention.nextCheckNs() ? 1 : 0) + state.heldMessages.size() +
            state.expiringMessages.size();
    }

    /**
     * The earliest command time at which something is due: a visibility deadline, the end of a redelivery backoff or
     * delay, a message of an aged queue coming of age; {@link Long#MAX_VALUE} while nothing is pending. Exact, or
     * early (a delivery settled since, a queue's oldest message gone), never late: a command at this time or later
     * handles whatever is due by then, and one that comes early finds nothing to do but makes it exact again, so a
     * tick at it is never followed by another for the same time. The daemon journals a tick once its clock reaches
     * it: time arriving costs nothing until then. Allocates nothing.
     */
    public long nextDeadlineNs()
    {
        return Math.min(Math.min(Math.min(deliveryTimers.nextDeadlineNs(), agedQueues.nextCheckNs()),
            Math.min(state.heldMessages.nextDeadlineNs(), state.expiringMessages.nextDeadlineNs())),
            Math.min(retention.nextCheckNs(), Math.min(groupExpiry.nextCheckNs(), queueExpiry.nextCheckNs())));
    }

    /**
     * The whole state as deterministic text (see {@link StateDescriber}): equal descriptions mean equal states, e.g.
     * after replaying a journal into a fresh machine. Allocates; for tests, admin and diagnostics only.
     */
    public String describeState()
    {
        return StateDescriber.describe(sessions.nextSessionId, sessions.nextConsumerId, declarations.nextGroupId(),
            state.lastLogSequence, state.nowNs, policies, state.followsVersion5Rules, state.clientLimits,
            sessions.byId, consumers, queues, deliveryTimers) + StateDescriber.describeDedup(state) +
            "epoch " + state.epoch + " from log sequence " + state.epochFirstLogSequence + "\n" +
            "expiry " + state.runExpiry + queueExpiry.describeIdle() + "\n";
    }

    /** The run's expiry of groups and queues, from its NodeStarted (journaled, part of the state). */
    private void runExpiry(final RunExpiry expiry)
    {
        state.runExpiry = expiry;
        groupExpiry.expiryNs(expiry.groupExpiryNs());
        queueExpiry.expiryNs(expiry.queueExpiryNs());
    }

    /** The expiry settings the current run's NodeStarted carried; {@link RunExpiry#NONE} before one or before them. */
    public RunExpiry runExpiry()
    {
        return state.runExpiry;
    }

    /** Groups deleted for having had no consumer for the configured expiry, since this machine was made. */
    public long expiredGroups()
    {
        return groupExpiry.expired();
    }

    /** Queues deleted for having been idle for the configured expiry, since this machine was made. */
    public long expiredQueues()
    {
        return queueExpiry.expired();
    }

    /** Replies dropped because the requester's session was gone, since the state began. */
    public long repliesDropped()
    {
        return state.repliesDropped;
    }

    /** Producers forgotten because the most the run remembers were remembered (LRU), since the state began. */
    public long evictedProducers()
    {
        return state.producerWindows.evicted();
    }

    /** Message ids forgotten because the most the run remembers were remembered (oldest first), since it began. */
    public long evictedMessageIds()
    {
        return state.messageIds.evicted();
    }
}
