package io.ringmq.core.state;

import io.ringmq.codecs.AckBatchDecoder;
import io.ringmq.codecs.AckDecoder;
import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.ConnectDecoder;
import io.ringmq.codecs.DeadLetterReason;
import io.ringmq.codecs.DeclareGroupDecoder;
import io.ringmq.codecs.DeclareQueueDecoder;
import io.ringmq.codecs.DisconnectDecoder;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.ExtendDecoder;
import io.ringmq.codecs.FrameRejectedDecoder;
import io.ringmq.codecs.GrantDecoder;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.NackDecoder;
import io.ringmq.codecs.NodeStartedDecoder;
import io.ringmq.codecs.TransportClosedDecoder;
import io.ringmq.codecs.PublishDecoder;
import io.ringmq.codecs.QueueAdminDecoder;
import io.ringmq.codecs.QueueRuleDecoder;
import io.ringmq.codecs.SessionLostDecoder;
import io.ringmq.codecs.SubscribeDecoder;
import io.ringmq.codecs.TickDecoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.Names;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
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
 * This class decodes commands, checks who sent them, and keeps sessions and consumers; the rest is done by parts
 * that share one {@link SharedState}, each with one job: {@link Declarations} (queues and groups),
 * {@link Dispatcher} (deliveries), {@link Settlement} (how deliveries end, deadlines), {@link LimitEnforcer} (age
 * and size limits, dead letters), {@link AdminCommands} (browse, redrive, purge, stats) and {@link MessageStore}
 * (messages into and out of queues).
 * <p>
 * Not thread-safe: owned by the dispatch thread (or the recovery thread before the daemon goes live).
 */
public final class QueueStateMachine
{
    private static final long ALL_TRANSPORTS = Long.MIN_VALUE;
    public static final String DLQ_SUFFIX = ".dlq";
    /** Defaults until the first NodeStarted says otherwise (SQS-like: 30 s to process, 5 tries). */
    static final long INITIAL_VISIBILITY_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(30);
    static final int INITIAL_MAX_ATTEMPTS = 5;
    static final long MAX_VISIBILITY_TIMEOUT_MS = QueuePolicy.MAX_DELAY_MS;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ConnectDecoder connectDecoder = new ConnectDecoder();
    private final DisconnectDecoder disconnectDecoder = new DisconnectDecoder();
    private final PublishDecoder publishDecoder = new PublishDecoder();
    private final SubscribeDecoder subscribeDecoder = new SubscribeDecoder();
    private final AckDecoder ackDecoder = new AckDecoder();
    private final AckBatchDecoder ackBatchDecoder = new AckBatchDecoder();
    private final NackDecoder nackDecoder = new NackDecoder();
    private final TransportClosedDecoder transportClosedDecoder = new TransportClosedDecoder();
    private final QueueAdminDecoder queueAdminDecoder = new QueueAdminDecoder();
    private final NodeStartedDecoder nodeStartedDecoder = new NodeStartedDecoder();
    private final ExtendDecoder extendDecoder = new ExtendDecoder();
    private final GrantDecoder grantDecoder = new GrantDecoder();
    private final DeclareQueueDecoder declareQueueDecoder = new DeclareQueueDecoder();
    private final DeclareGroupDecoder declareGroupDecoder = new DeclareGroupDecoder();
    private final QueueRuleDecoder queueRuleDecoder = new QueueRuleDecoder();
    private final SessionLostDecoder sessionLostDecoder = new SessionLostDecoder();
    private final FrameRejectedDecoder frameRejectedDecoder = new FrameRejectedDecoder();
    private final UnsafeBuffer nameView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer payloadView = new UnsafeBuffer(0, 0);

    private final Long2ObjectHashMap<Session> sessions = new Long2ObjectHashMap<>();
    private final SharedState state;
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
    private final Declarations declarations;

    private long nextSessionId = 1;
    private long nextConsumerId = 1;
    private long lastLogSequence;
    private int transportSessionId;

    public QueueStateMachine(final OutputSink sink)
    {
        state = new SharedState(QueuePolicy.defaults(INITIAL_VISIBILITY_TIMEOUT_MS, INITIAL_MAX_ATTEMPTS), sink);
        policies = state.policies;
        queues = state.queues;
        consumers = state.consumers;
        deliveryTimers = state.deliveryTimers;
        agedQueues = state.agedQueues;
        store = new MessageStore(state);
        dispatcher = new Dispatcher(state);
        limits = new LimitEnforcer(state, store, dispatcher);
        settlement = new Settlement(state, store, dispatcher, limits);
        adminCommands = new AdminCommands(state, store, dispatcher, limits);
        declarations = new Declarations(state);
    }

    /** Replaces the sink, e.g. from {@link OutputSink#NONE} during recovery to the egress when going live. */
    public void outputSink(final OutputSink sink)
    {
        state.sink = sink;
    }

    /** Log sequence of the last command applied; 0 before the first. */
    public long lastLogSequence()
    {
        return lastLogSequence;
    }

    /**
     * Applies one command: a {@link CommandHeader} followed by a frame.
     */
    public void apply(final DirectBuffer buffer, final int offset, final int length)
    {
        lastLogSequence = CommandHeader.logSequence(buffer, offset);
        final long nowNs = CommandHeader.timestampNs(buffer, offset);
        state.nowNs = nowNs;
        transportSessionId = CommandHeader.transportSessionId(buffer, offset);

        // Time passes before the command takes effect: deadlines that came are handled first, then messages that
        // came of age leave.
        deliveryTimers.advanceTo(nowNs, settlement);
        if (agedQueues.isDue(nowNs))
        {
            limits.expireAgedMessages();
        }
        dispatcher.deliverToPendingGroups();

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
            case AckBatchDecoder.TEMPLATE_ID ->
                onAckBatch(ackBatchDecoder.wrap(buffer, bodyOffset, blockLength, version));
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
            case DeclareQueueDecoder.TEMPLATE_ID ->
                onDeclareQueue(declareQueueDecoder.wrap(buffer, bodyOffset, blockLength, version));
            case DeclareGroupDecoder.TEMPLATE_ID ->
                onDeclareGroup(declareGroupDecoder.wrap(buffer, bodyOffset, blockLength, version));
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
            case SessionLostDecoder.TEMPLATE_ID ->
                closeSession(sessionLostDecoder.wrap(buffer, bodyOffset, blockLength, version).sessionId(), true);
            case TransportClosedDecoder.TEMPLATE_ID ->
                closeSessionsWhere(transportClosedDecoder.wrap(buffer, bodyOffset, blockLength, version)
                    .transportSessionId());
            case TickDecoder.TEMPLATE_ID ->
            {
                // Only the passage of time, already applied above.
            }
            default ->
            {
                // Outbound-only templates (Receipt, Deliver, ...) are never commands; the ingress refuses them.
            }
        }
        agedQueues.refreshIfStale();
    }

    private void onConnect(final ConnectDecoder connect)
    {
        final long sessionId = nextSessionId++;
        final int responseStreamId = connect.responseStreamId();
        final long correlationId = connect.correlationId();
        final String responseChannel = connect.responseChannel();
        sessions.put(sessionId, new Session(sessionId, transportSessionId));
        state.sink.onSessionOpened(sessionId, correlationId, responseChannel, responseStreamId);
    }

    /**
     * A new run of the daemon: its defaults apply and the rules of the previous run are gone until this run's
     * QueueRule commands (journaled right after) arrive; the previous run's sessions are closed.
     */
    private void onNodeStarted(final NodeStartedDecoder nodeStarted)
    {
        final QueuePolicy previous = policies.defaults();
        final long visibilityTimeoutMs = nodeStarted.defaultVisibilityTimeoutMs();
        final int maxAttempts = nodeStarted.defaultMaxAttempts();
        policies.reset(QueuePolicy.defaults(
            visibilityTimeoutMs > 0 && visibilityTimeoutMs <= MAX_VISIBILITY_TIMEOUT_MS ?
                visibilityTimeoutMs : previous.visibilityTimeoutMs(),
            maxAttempts > 0 && maxAttempts <= QueuePolicy.MAX_ATTEMPTS_LIMIT ? maxAttempts : previous.maxAttempts()));
        limits.resolvePolicies();
        closeSessionsWhere(ALL_TRANSPORTS);
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
        final Session session = sessions.get(sessionId);
        if (null != session && session.transportSessionId == transportSessionId)
        {
            final ErrorCode code = rejected.code();
            state.sink.onError(sessionId, rejected.correlationId(), code, "the daemon refused a frame (template " +
                rejected.templateId() + "): " + code);
        }
    }

    private void onDisconnect(final DisconnectDecoder disconnect)
    {
        final long sessionId = disconnect.sessionId();
        if (null != sessionFor(sessionId, 0))
        {
            closeSession(sessionId, disconnect.releaseInFlight() != BooleanType.FALSE);
        }
    }

    /**
     * The session a client command names, if it is connected and belongs to the transport the command came on (a
     * client cannot act for another's session).
     *
     * @return the session, or null after reporting why not.
     */
    private Session sessionFor(final long sessionId, final long correlationId)
    {
        final Session session = sessions.get(sessionId);
        if (null == session || session.transportSessionId != transportSessionId)
        {
            state.sink.onError(sessionId, correlationId, ErrorCode.UNKNOWN_SESSION,
                "session " + sessionId + " is not connected on this transport");
            return null;
        }
        return session;
    }

    /**
     * Closes the sessions bound to a transport session, or all of them for {@link #ALL_TRANSPORTS} (a new run of
     * the daemon: the previous run's clients are gone). Closing makes their in-flight messages visible again.
     */
    private void closeSessionsWhere(final long transport)
    {
        final long[] sessionIds = new long[sessions.size()];
        int count = 0;
        for (final Session session : sessions.values())
        {
            if (ALL_TRANSPORTS == transport || session.transportSessionId == transport)
            {
                sessionIds[count++] = session.id;
            }
        }
        Arrays.sort(sessionIds, 0, count); // hash order is deterministic, but id order is easier to reason about
        for (int i = 0; i < count; i++)
        {
            closeSession(sessionIds[i], true);
        }
    }

    /**
     * @param releaseInFlight true: the session's in-flight deliveries are visible again at once; false (a client
     *                        leaving on purpose without settling): they stay in flight until their timeouts.
     */
    private void closeSession(final long sessionId, final boolean releaseInFlight)
    {
        final Session session = sessions.remove(sessionId);
        if (null == session)
        {
            return;
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

    private void removeConsumer(final Consumer consumer, final boolean releaseInFlight)
    {
        consumers.remove(consumer.id);
        final ConsumerGroup group = consumer.group;
        group.removeConsumer(consumer);
        if (!releaseInFlight)
        {
            return; // its deliveries keep their deadlines; expiry finds no consumer and gives them back then
        }

        // Make its in-flight messages visible again, oldest first so redelivery keeps queue order.
        final long[] returned = new long[consumer.inFlight];
        final int[] count = {0};
        group.inFlight.forEach((sequence, consumerId) ->
        {
            if (consumerId == consumer.id)
            {
                returned[count[0]++] = sequence;
            }
        });
        for (int i = 0; i < count[0]; i++)
        {
            group.inFlight.remove(returned[i]);
            deliveryTimers.cancel(group, returned[i]);
            settlement.giveBack(group, returned[i], 0);
        }
        consumer.inFlight = 0;
    }

    private void onPublish(final PublishDecoder publish)
    {
        final long sessionId = publish.sessionId();
        final long correlationId = publish.correlationId();
        publish.wrapQueue(nameView);
        publish.wrapPayload(payloadView);

        if (null == sessionFor(sessionId, correlationId))
        {
            return;
        }
        final Queue queue = declarations.queueFor(sessionId, correlationId, nameView);
        if (null == queue)
        {
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

        final StoredMessage message = store.append(queue, payloadView, 0, length, state.nowNs);
        state.sink.onReceipt(sessionId, correlationId, message.sequence);
        dispatcher.deliverToAllGroups(queue);
    }

    private void onSubscribe(final SubscribeDecoder subscribe)
    {
        final long sessionId = subscribe.sessionId();
        final long correlationId = subscribe.correlationId();
        final int prefetch = subscribe.prefetch();
        final long visibilityTimeoutMs = subscribe.visibilityTimeoutMs();
        subscribe.wrapQueue(nameView);
        final String groupName = subscribe.group();

        final Session session = sessionFor(sessionId, correlationId);
        if (null == session)
        {
            return;
        }
        final Queue queue = declarations.queueFor(sessionId, correlationId, nameView);
        if (null == queue)
        {
            return;
        }
        if (!declarations.isValidGroupName(sessionId, correlationId, groupName))
        {
            return;
        }
        if (prefetch < 0)
        {
            state.sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT,
                "prefetch=" + prefetch + " is invalid: must be 0 (credits granted explicitly) or more");
            return;
        }
        if (visibilityTimeoutMs < 0 || visibilityTimeoutMs > MAX_VISIBILITY_TIMEOUT_MS)
        {
            state.sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT, "visibilityTimeoutMs=" +
                visibilityTimeoutMs + " is invalid: must be 0 (queue default) to " + MAX_VISIBILITY_TIMEOUT_MS);
            return;
        }

        final ConsumerGroup group = declarations.groupFor(queue, groupName);

        final long visibilityTimeoutNs = TimeUnit.MILLISECONDS.toNanos(visibilityTimeoutMs);
        final Consumer consumer = new Consumer(nextConsumerId++, sessionId, group, prefetch, visibilityTimeoutNs);
        consumers.put(consumer.id, consumer);
        session.consumers.add(consumer);
        group.consumers.add(consumer);

        state.sink.onSubscribed(sessionId, correlationId, consumer.id);
        dispatcher.deliverReady(group);
    }

    private void onAck(final AckDecoder ack)
    {
        final ConsumerGroup group = settleAcked(ack.sessionId(), ack.consumerId(), ack.sequence(), ack.attempt());
        if (null != group)
        {
            dispatcher.deliverReady(group);
        }
    }

    /**
     * Exactly the batch's Acks applied one after another at its time. Deliveries wait while entries settle current
     * deliveries, and go out before anything else is decided or said: before an entry that does not name a current
     * delivery (it may name one of those deliveries, or gets its error after them, as with the Acks) and at the end.
     * Every command leaves a group with nothing ready or no consumer with room; meanwhile only this consumer gained
     * room and no delivery in flight changed, so one deliverReady makes the deliveries one per Ack would, in order.
     */
    private void onAckBatch(final AckBatchDecoder batch)
    {
        final long sessionId = batch.sessionId();
        final long consumerId = batch.consumerId();
        ConsumerGroup undelivered = null;
        for (final AckBatchDecoder.EntriesDecoder entry : batch.entries())
        {
            final long sequence = entry.sequence();
            final int attempt = entry.attempt();
            if (null != undelivered && !isCurrentDelivery(undelivered, consumerId, sequence, attempt))
            {
                dispatcher.deliverReady(undelivered);
                undelivered = null;
            }
            final ConsumerGroup group = settleAcked(sessionId, consumerId, sequence, attempt);
            if (null != group)
            {
                undelivered = group;
            }
        }
        if (null != undelivered)
        {
            dispatcher.deliverReady(undelivered);
        }
    }

    /**
     * Settles an acked delivery; deliveries to the consumers it makes room for are the caller's to make.
     *
     * @return the group it settled in, or null if refused (after reporting why).
     */
    private ConsumerGroup settleAcked(
        final long sessionId, final long consumerId, final long sequence, final int attempt)
    {
        final Consumer consumer = deliveryOwner(sessionId, consumerId, sequence, attempt);
        if (null == consumer)
        {
            return null;
        }
        settlement.settle(consumer.group, consumer, sequence);
        return consumer.group;
    }

    private void onNack(final NackDecoder nack)
    {
        final long sequence = nack.sequence();
        final Consumer consumer = deliveryOwner(nack.sessionId(), nack.consumerId(), sequence, nack.attempt());
        if (null == consumer)
        {
            return;
        }
        final ConsumerGroup group = consumer.group;
        final NackAction action = nack.action();
        final long delayMs = nack.delayMs();
        switch (action)
        {
            case REQUEUE, REQUEUE_DELAYED ->
            {
                if (NackAction.REQUEUE_DELAYED == action && (delayMs < 0 || delayMs > QueuePolicy.MAX_DELAY_MS))
                {
                    state.sink.onError(consumer.sessionId, 0, ErrorCode.INVALID_ARGUMENT,
                        "nack delayMs=" + delayMs + " is invalid: must be 0 to " + QueuePolicy.MAX_DELAY_MS);
                    return;
                }
                final long delayNs = NackAction.REQUEUE_DELAYED == action ?
                    TimeUnit.MILLISECONDS.toNanos(delayMs) : Settlement.backoffNs(group, sequence);
                settlement.requeue(group, consumer, sequence, delayNs);
            }
            case REJECT ->
            {
                settlement.deadLetter(group, sequence, DeadLetterReason.REJECTED);
                settlement.settle(group, consumer, sequence);
            }
            default ->
            {
                state.sink.onError(consumer.sessionId, 0, ErrorCode.INVALID_ARGUMENT,
                    "nack action " + action + " is not supported by this daemon version");
                return;
            }
        }
        dispatcher.deliverReady(group);
    }

    /**
     * Checks that an ack or nack names the current delivery of a message to this session's consumer.
     *
     * @return the consumer the delivery is in flight to, or null after reporting why not.
     */
    private Consumer deliveryOwner(final long sessionId, final long consumerId, final long sequence, final int attempt)
    {
        final Consumer consumer = consumerOf(sessionId, consumerId);
        if (null == consumer)
        {
            return null;
        }
        final ConsumerGroup group = consumer.group;
        if (!isCurrentDelivery(group, consumerId, sequence, attempt))
        {
            state.sink.onError(sessionId, 0, ErrorCode.STALE_DELIVERY,
                "delivery " + sequence + "/" + attempt + " of queue '" + group.queue.name +
                "' is not in flight to consumer " + consumerId);
            return null;
        }
        return consumer;
    }

    private static boolean isCurrentDelivery(
        final ConsumerGroup group, final long consumerId, final long sequence, final int attempt)
    {
        return group.inFlight.get(sequence) == consumerId && group.attempts.get(sequence) == attempt;
    }

    /** @return the session's consumer of that id, or null after reporting why not. */
    private Consumer consumerOf(final long sessionId, final long consumerId)
    {
        if (null == sessionFor(sessionId, 0))
        {
            return null;
        }
        final Consumer consumer = consumers.get(consumerId);
        if (null == consumer || consumer.sessionId != sessionId)
        {
            state.sink.onError(sessionId, 0, ErrorCode.UNKNOWN_CONSUMER,
                "consumer " + consumerId + " is not attached to this session");
            return null;
        }
        return consumer;
    }

    /** More time for a delivery in flight: its deadline becomes now + the timeout asked for (SQS-style). */
    private void onExtend(final ExtendDecoder extend)
    {
        final long sequence = extend.sequence();
        final long timeoutMs = extend.visibilityTimeoutMs();
        final Consumer consumer =
            deliveryOwner(extend.sessionId(), extend.consumerId(), sequence, extend.attempt());
        if (null == consumer)
        {
            return;
        }
        if (timeoutMs < 1 || timeoutMs > MAX_VISIBILITY_TIMEOUT_MS)
        {
            state.sink.onError(consumer.sessionId, 0, ErrorCode.INVALID_ARGUMENT, "extend visibilityTimeoutMs=" +
                timeoutMs + " is invalid: must be 1 to " + MAX_VISIBILITY_TIMEOUT_MS);
            return;
        }
        final ConsumerGroup group = consumer.group;
        deliveryTimers.cancel(group, sequence);
        deliveryTimers.schedule(group, sequence, state.nowNs + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
    }

    private void onGrant(final GrantDecoder grant)
    {
        final long sessionId = grant.sessionId();
        final int credits = grant.credits();
        final Consumer consumer = consumerOf(sessionId, grant.consumerId());
        if (null == consumer)
        {
            return;
        }
        if (credits < 1 || !consumer.grant(credits))
        {
            state.sink.onError(sessionId, 0, ErrorCode.INVALID_ARGUMENT, "grant of " + credits +
                " credits is invalid: must be at least 1, and the consumer's credit " + consumer.credit +
                " plus the grant must stay within " + Integer.MAX_VALUE);
            return;
        }
        dispatcher.deliverReady(consumer.group);
    }

    private void onDeclareQueue(final DeclareQueueDecoder declare)
    {
        final long sessionId = declare.sessionId();
        final long correlationId = declare.correlationId();
        final QueuePolicy declared = QueuePolicy.read(declare.settings(), declare.limits());
        declare.wrapQueue(nameView);

        if (null != sessionFor(sessionId, correlationId))
        {
            declarations.declareQueue(sessionId, correlationId, declared, nameView);
        }
    }

    private void onDeclareGroup(final DeclareGroupDecoder declare)
    {
        final long sessionId = declare.sessionId();
        final long correlationId = declare.correlationId();
        final DispatchStrategy strategy = declare.strategy();
        declare.wrapQueue(nameView);
        final String groupName = declare.group();
        final String deadLetterQueue = declare.deadLetterQueue();

        if (null != sessionFor(sessionId, correlationId))
        {
            declarations.declareGroup(sessionId, correlationId, strategy, nameView, groupName, deadLetterQueue);
        }
    }

    private void onQueueAdmin(final QueueAdminDecoder admin)
    {
        final long sessionId = admin.sessionId();
        final long correlationId = admin.correlationId();
        final AdminAction action = admin.action();
        final long count = admin.count();
        admin.wrapQueue(nameView);
        final String groupFilter = admin.group();

        if (null != sessionFor(sessionId, correlationId))
        {
            adminCommands.apply(sessionId, correlationId, action, count, nameView, groupFilter);
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
        final StateSnapshot.Writer out = new StateSnapshot.Writer(buffer, offset);
        out.putInt(StateSnapshot.MAGIC);
        out.putInt(StateSnapshot.FORMAT_VERSION);
        out.putLong(lastLogSequence);
        out.putLong(state.nowNs);
        out.putLong(nextSessionId);
        out.putLong(nextConsumerId);
        out.putLong(declarations.nextGroupId());
        out.putBoolean(deliveryTimers.isStarted());
        out.putPolicy(policies.defaults());
        out.putInt(policies.rules().size());
        for (final QueuePolicies.Rule rule : policies.rules())
        {
            out.putString(rule.pattern());
            out.putPolicy(rule.policy());
        }
        StateSnapshot.writeSessions(out, sessions);
        out.putInt(queues.queues().size());
        for (final Queue queue : queues.queues())
        {
            StateSnapshot.writeQueue(out, queue, deliveryTimers);
        }
        return out.position() - offset;
    }

    /**
     * About how many bytes {@link #writeSnapshot} will write now, a little over rather than under: lets a caller size
     * its buffer once instead of growing it by copies while a large state is written. Cheap: counts, no walk of the
     * messages.
     */
    public long snapshotSizeEstimate()
    {
        long bytes = 64 * 1024;
        for (final Queue queue : queues.queues())
        {
            bytes += 256 + queue.messages.bytes() + (long)queue.messages.size() * StateSnapshot.MESSAGE_OVERHEAD_BYTES;
            for (final ConsumerGroup group : queue.groups)
            {
                bytes += 256 + 64L * group.consumers.size() + 16L * (group.inFlight.size() + group.attempts.size() +
                    group.deliveryTimers.size() + group.redeliveries.size());
            }
        }
        return bytes + 64L * sessions.size();
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
        final QueueStateMachine machine = new QueueStateMachine(sink);
        machine.lastLogSequence = in.getLong();
        machine.state.nowNs = in.getLong();
        machine.nextSessionId = in.getLong();
        machine.nextConsumerId = in.getLong();
        machine.declarations.nextGroupId(in.getLong());
        if (in.getBoolean())
        {
            machine.deliveryTimers.restoreStart(machine.state.nowNs);
        }
        machine.policies.reset(in.getPolicy());
        for (int i = 0, count = in.getCount(); i < count; i++)
        {
            machine.policies.addRule(in.getString(), in.getPolicy());
        }
        final List<StateSnapshot.SessionRecord> sessionRecords = StateSnapshot.readSessions(in);
        for (int i = 0, count = in.getCount(); i < count; i++)
        {
            StateSnapshot.readQueue(in, machine.queues, machine.policies, machine.consumers, machine.deliveryTimers,
                machine.state.messagePool);
        }
        for (final StateSnapshot.SessionRecord record : sessionRecords)
        {
            final Session session = new Session(record.id(), record.transportSessionId());
            for (int i = 0; i < record.consumerIds().size(); i++)
            {
                final Consumer consumer = machine.consumers.get(record.consumerIds().getLong(i));
                if (null == consumer)
                {
                    throw new IllegalStateException("snapshot corrupt: session " + record.id() +
                        " names consumer " + record.consumerIds().getLong(i) + ", which no group has");
                }
                session.consumers.add(consumer);
            }
            machine.sessions.put(session.id, session);
        }
        if (!in.atEnd())
        {
            throw new IllegalStateException("snapshot corrupt: bytes left after the last queue");
        }
        machine.agedQueues.rebuild();
        machine.agedQueues.recompute();
        for (final Queue queue : machine.queues.queues())
        {
            machine.state.limitCounts.add(queue);
        }
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
        long messages = 0;
        for (final Queue queue : queues.queues())
        {
            messages += queue.messages.size();
        }
        return messages;
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

    /** Names of all queues in creation order. */
    public List<String> queueNames()
    {
        final List<String> names = new ArrayList<>();
        for (final Queue queue : queues.queues())
        {
            names.add(queue.name);
        }
        return names;
    }

    public int sessionCount()
    {
        return sessions.size();
    }

    /**
     * Deadlines pending (deliveries in flight or waiting to be redelivered, plus one while an aged queue holds
     * messages): while there are any, time must keep arriving (ticks).
     */
    public long pendingTimers()
    {
        return deliveryTimers.pending() + (agedQueues.isPending() ? 1 : 0);
    }

    /**
     * The whole state as deterministic text (see {@link StateDescriber}): equal descriptions mean equal states, e.g.
     * after replaying a journal into a fresh machine. Allocates; for tests, admin and diagnostics only.
     */
    public String describeState()
    {
        return StateDescriber.describe(nextSessionId, nextConsumerId, declarations.nextGroupId(), lastLogSequence,
            state.nowNs, policies, sessions, consumers, queues, deliveryTimers);
    }
}
