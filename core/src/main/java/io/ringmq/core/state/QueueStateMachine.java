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
import io.ringmq.codecs.LimitAction;
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

    private final QueuePolicies policies =
        new QueuePolicies(QueuePolicy.defaults(INITIAL_VISIBILITY_TIMEOUT_MS, INITIAL_MAX_ATTEMPTS));
    private final QueueIndex queues = new QueueIndex(policies);
    private final Long2ObjectHashMap<Session> sessions = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<Consumer> consumers = new Long2ObjectHashMap<>();
    private final MessagePool messagePool = new MessagePool();
    private final DeliveryTimers deliveryTimers = new DeliveryTimers();
    private final AgedQueues agedQueues = new AgedQueues(queues.queues());
    private final LimitCounts limitCounts = new LimitCounts();
    private final DeliveryTimers.ExpiryHandler onTimerExpired = this::onTimerExpired;
    private final ArrayList<ConsumerGroup> groupsToDeliver = new ArrayList<>();
    /** True while expiries are handled: deliveries they cause wait until every due deadline is handled. */
    private boolean timeAdvancing;

    private OutputSink sink;
    private long nextSessionId = 1;
    private long nextConsumerId = 1;
    private long nextGroupId = 1;
    private long lastLogSequence;
    private long nowNs;
    private int transportSessionId;

    public QueueStateMachine(final OutputSink sink)
    {
        this.sink = sink;
    }

    /** Replaces the sink, e.g. from {@link OutputSink#NONE} during recovery to the egress when going live. */
    public void outputSink(final OutputSink sink)
    {
        this.sink = sink;
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
        nowNs = CommandHeader.timestampNs(buffer, offset);
        transportSessionId = CommandHeader.transportSessionId(buffer, offset);

        // Time passes before the command takes effect: deadlines that came are handled first, then messages that
        // came of age leave.
        deliveryTimers.advanceTo(nowNs, onTimerExpired);
        if (agedQueues.isDue(nowNs))
        {
            expireAgedMessages();
        }
        deliverToPendingGroups();

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
        sink.onSessionOpened(sessionId, correlationId, responseChannel, responseStreamId);
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
        resolvePolicies();
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
            resolvePolicies();
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
            sink.onError(sessionId, rejected.correlationId(), code, "the daemon refused a frame (template " +
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
            sink.onError(sessionId, correlationId, ErrorCode.UNKNOWN_SESSION,
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
        sink.onSessionClosed(sessionId);
        for (int i = 0, size = session.consumers.size(); i < size; i++)
        {
            deliverReady(session.consumers.get(i).group);
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
            giveBack(group, returned[i], 0);
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
        final Queue queue = queueFor(sessionId, correlationId, nameView);
        if (null == queue)
        {
            return;
        }
        final int length = payloadView.capacity();
        if (!makeRoom(queue, length))
        {
            sink.onError(sessionId, correlationId, ErrorCode.QUEUE_FULL, "queue '" + queue.name + "' is full (" +
                queue.messages.size() + " messages, " + queue.messages.bytes() + " bytes held; a message of " + length +
                " bytes is refused under " + queue.policy.limits() + ")");
            return;
        }

        final StoredMessage message = append(queue, payloadView, 0, length, nowNs);
        sink.onReceipt(sessionId, correlationId, message.sequence);
        deliverToAllGroups(queue);
    }

    /** Stores a message at the queue's next sequence, held for every group the queue has now. */
    private StoredMessage append(
        final Queue queue,
        final DirectBuffer payload,
        final int offset,
        final int length,
        final long publishTimestampNs)
    {
        final long sequence = queue.nextSequence++;
        final StoredMessage message = messagePool.acquire();
        message.set(sequence, publishTimestampNs, nowNs, payload, offset, length);
        message.unsettledGroups = queue.groups.size();
        queue.messages.append(sequence, message);
        agedQueues.onAppend(queue, nowNs);
        return message;
    }

    private void deliverToAllGroups(final Queue queue)
    {
        final ArrayList<ConsumerGroup> groups = queue.groups;
        for (int i = 0, size = groups.size(); i < size; i++)
        {
            deliverReady(groups.get(i));
        }
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
        final Queue queue = queueFor(sessionId, correlationId, nameView);
        if (null == queue)
        {
            return;
        }
        if (!isValidGroupName(sessionId, correlationId, groupName))
        {
            return;
        }
        if (prefetch < 0)
        {
            sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT,
                "prefetch=" + prefetch + " is invalid: must be 0 (credits granted explicitly) or more");
            return;
        }
        if (visibilityTimeoutMs < 0 || visibilityTimeoutMs > MAX_VISIBILITY_TIMEOUT_MS)
        {
            sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT, "visibilityTimeoutMs=" +
                visibilityTimeoutMs + " is invalid: must be 0 (queue default) to " + MAX_VISIBILITY_TIMEOUT_MS);
            return;
        }

        ConsumerGroup group = queue.group(groupName);
        if (null == group)
        {
            group = createGroup(queue, groupName);
        }

        final long visibilityTimeoutNs = TimeUnit.MILLISECONDS.toNanos(visibilityTimeoutMs);
        final Consumer consumer = new Consumer(nextConsumerId++, sessionId, group, prefetch, visibilityTimeoutNs);
        consumers.put(consumer.id, consumer);
        session.consumers.add(consumer);
        group.consumers.add(consumer);

        sink.onSubscribed(sessionId, correlationId, consumer.id);
        deliverReady(group);
    }

    private void onAck(final AckDecoder ack)
    {
        final ConsumerGroup group = settleAcked(ack.sessionId(), ack.consumerId(), ack.sequence(), ack.attempt());
        if (null != group)
        {
            deliverReady(group);
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
                deliverReady(undelivered);
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
            deliverReady(undelivered);
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
        settle(consumer.group, consumer, sequence);
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
                    sink.onError(consumer.sessionId, 0, ErrorCode.INVALID_ARGUMENT,
                        "nack delayMs=" + delayMs + " is invalid: must be 0 to " + QueuePolicy.MAX_DELAY_MS);
                    return;
                }
                group.inFlight.remove(sequence);
                deliveryTimers.cancel(group, sequence);
                consumer.deliveryEnded();
                final long delayNs = NackAction.REQUEUE_DELAYED == action ?
                    TimeUnit.MILLISECONDS.toNanos(delayMs) : backoffNs(group, sequence);
                giveBack(group, sequence, delayNs);
            }
            case REJECT ->
            {
                deadLetter(group, sequence, DeadLetterReason.REJECTED);
                settle(group, consumer, sequence);
            }
            default ->
            {
                sink.onError(consumer.sessionId, 0, ErrorCode.INVALID_ARGUMENT,
                    "nack action " + action + " is not supported by this daemon version");
                return;
            }
        }
        deliverReady(group);
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
            sink.onError(sessionId, 0, ErrorCode.STALE_DELIVERY,
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
            sink.onError(sessionId, 0, ErrorCode.UNKNOWN_CONSUMER,
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
            sink.onError(consumer.sessionId, 0, ErrorCode.INVALID_ARGUMENT, "extend visibilityTimeoutMs=" +
                timeoutMs + " is invalid: must be 1 to " + MAX_VISIBILITY_TIMEOUT_MS);
            return;
        }
        final ConsumerGroup group = consumer.group;
        deliveryTimers.cancel(group, sequence);
        deliveryTimers.schedule(group, sequence, nowNs + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
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
            sink.onError(sessionId, 0, ErrorCode.INVALID_ARGUMENT, "grant of " + credits +
                " credits is invalid: must be at least 1, and the consumer's credit " + consumer.credit +
                " plus the grant must stay within " + Integer.MAX_VALUE);
            return;
        }
        deliverReady(consumer.group);
    }

    /**
     * Creates a queue with the settings a client gives, or confirms an existing queue has them. Settings left at 0
     * or DEFAULT come from the configured rules and defaults.
     */
    private void onDeclareQueue(final DeclareQueueDecoder declare)
    {
        final long sessionId = declare.sessionId();
        final long correlationId = declare.correlationId();
        final QueuePolicy declared = QueuePolicy.read(declare.settings(), declare.limits());
        declare.wrapQueue(nameView);

        if (null == sessionFor(sessionId, correlationId))
        {
            return;
        }
        final String problem = declared.problem();
        if (null != problem)
        {
            sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT, "queue settings: " + problem);
            return;
        }
        final boolean exists = null != queues.get(nameView, 0, nameView.capacity());
        final Queue queue = queueFor(sessionId, correlationId, nameView);
        if (null == queue)
        {
            return;
        }
        if (exists)
        {
            if (queue.policy.isContradictedBy(declared))
            {
                sink.onError(sessionId, correlationId, ErrorCode.SETTINGS_CONFLICT, "queue '" + queue.name +
                    "' exists with " + queue.policy + "; declared " + declared.orElse(queue.policy));
                return;
            }
            sink.onAdminDone(sessionId, correlationId, 0);
            return;
        }
        queue.declared = declared;
        queue.policy = policies.resolve(queue.name, declared);
        agedQueues.rebuild();
        sink.onAdminDone(sessionId, correlationId, 1);
    }

    /** The consumer settled its delivery: the group is done with this message. */
    private void settle(final ConsumerGroup group, final Consumer consumer, final long sequence)
    {
        group.inFlight.remove(sequence);
        deliveryTimers.cancel(group, sequence);
        consumer.deliveryEnded();
        forget(group, sequence);
    }

    /** The group is done with this message: forget it, and free it once no group needs it. */
    private void forget(final ConsumerGroup group, final long sequence)
    {
        group.attempts.remove(sequence);
        final Queue queue = group.queue;
        final StoredMessage message = queue.messages.get(sequence);
        if (--message.unsettledGroups == 0)
        {
            messagePool.release(takeOut(queue, sequence));
        }
    }

    /**
     * A deadline came. For a delivery in flight it was not settled in time: give it back for another attempt (after
     * the queue's backoff), or dead-letter it once the group has tried it the maximum number of times. For a message
     * given back with a delay, the delay is over: it is ready again. Called while time advances; deliveries follow
     * once it has.
     */
    private void onTimerExpired(final ConsumerGroup group, final long sequence)
    {
        if (!group.queue.messages.contains(sequence))
        {
            return; // a limit took it out earlier in this same advance of time, after its deadline was collected
        }
        deliverLater(group);
        if (!group.inFlight.containsKey(sequence))
        {
            group.redeliveries.offerLong(sequence);
            return;
        }

        final Consumer consumer = consumers.get(group.inFlight.remove(sequence));
        if (null != consumer)
        {
            consumer.deliveryEnded();
        }
        timeAdvancing = true;
        giveBack(group, sequence, backoffNs(group, sequence));
        timeAdvancing = false;
    }

    /**
     * A delivery came back unsettled (timed out, nacked, its consumer gone): it waits for another attempt, at once
     * or after {@code delayNs}, or goes to the dead-letter queue once the group has delivered it the maximum number of
     * times.
     */
    private void giveBack(final ConsumerGroup group, final long sequence, final long delayNs)
    {
        if (group.attempts.get(sequence) >= group.queue.policy.maxAttempts())
        {
            deadLetter(group, sequence, DeadLetterReason.MAX_ATTEMPTS);
            forget(group, sequence);
        }
        else if (delayNs > 0)
        {
            deliveryTimers.schedule(group, sequence, nowNs + delayNs);
        }
        else
        {
            group.redeliveries.offerLong(sequence);
        }
    }

    /** The queue's retry backoff after the group's latest (failed) delivery of this message. */
    private static long backoffNs(final ConsumerGroup group, final long sequence)
    {
        return group.queue.policy.redeliveryDelayNs((int)group.attempts.get(sequence));
    }

    /** Queues a group for delivery once time has finished advancing (timers fire before deliveries go out). */
    private void deliverLater(final ConsumerGroup group)
    {
        if (!group.deliveryPending)
        {
            group.deliveryPending = true;
            groupsToDeliver.add(group);
        }
    }

    private void deliverToPendingGroups()
    {
        for (int i = 0; i < groupsToDeliver.size(); i++)
        {
            final ConsumerGroup group = groupsToDeliver.get(i);
            group.deliveryPending = false;
            deliverReady(group);
        }
        groupsToDeliver.clear();
    }

    /** Copies a message the group gave up on to the queue's dead-letter queue, {@code <queue>.dlq}, saying why. */
    private void deadLetter(final ConsumerGroup group, final long sequence, final DeadLetterReason reason)
    {
        final Queue source = group.queue;
        deadLetterTo(group.deadLetterQueue, source, source.messages.get(sequence), reason,
            (int)group.attempts.get(sequence), group.name);
    }

    /**
     * Appends a copy of the message to a dead-letter queue, unless that queue is full and refuses more (overflow
     * REJECT_PUBLISH), which counts it there as refused.
     */
    private void deadLetterTo(
        final String deadLetterQueue,
        final Queue source,
        final StoredMessage original,
        final DeadLetterReason reason,
        final int attempts,
        final String groupName)
    {
        final Queue dlq = queues.getOrCreate(deadLetterQueue);
        if (!makeRoom(dlq, original.length()))
        {
            return;
        }
        final StoredMessage letter =
            append(dlq, original.payload(), 0, original.length(), original.publishTimestampNs);
        letter.markDeadLetter(reason, attempts, source.name, groupName);
        if (timeAdvancing)
        {
            for (int i = 0, size = dlq.groups.size(); i < size; i++)
            {
                deliverLater(dlq.groups.get(i));
            }
        }
        else
        {
            deliverToAllGroups(dlq);
        }
    }

    // ---- limits: maximum age and size ----

    private void resolvePolicies()
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
    private boolean makeRoom(final Queue queue, final int length)
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
    private void expireAgedMessages()
    {
        timeAdvancing = true;
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
        timeAdvancing = false;
        agedQueues.recompute();
    }

    /**
     * A limit takes a message out of its queue, from every group that has not settled it: a delivery in flight ends
     * (its ack becomes stale) and, with DEAD_LETTER, each such group's dead-letter queue gets a copy. A message that
     * is already a dead letter is dropped rather than dead-lettered again, so limits on dead-letter queues never
     * cascade. A queue without groups dead-letters to {@code <queue>.dlq}.
     * <p>
     * The message leaves the queue and every group's bookkeeping before any copy is made: making room in a full
     * dead-letter queue can push a message back into this very queue (groups naming each other's queues as their
     * DLQs), which must then find this one gone, not push it out again. Allocates only to dead-letter.
     */
    private void removeByLimit(
        final Queue queue, final StoredMessage message, final DeadLetterReason reason, final LimitAction action)
    {
        final long sequence = message.sequence;
        final boolean deadLetter = LimitAction.DEAD_LETTER == action && !message.isDeadLetter();
        final ArrayList<ConsumerGroup> groups = queue.groups;
        final int[] attemptsByGroup = deadLetter ? new int[groups.size()] : null;
        takeOut(queue, sequence);
        for (int i = 0, size = groups.size(); i < size; i++)
        {
            final ConsumerGroup group = groups.get(i);
            final boolean needed = sequence >= group.cursor || group.attempts.containsKey(sequence);
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
            if (timeAdvancing)
            {
                deliverLater(group);
            }
        }
        forgetInGroups(queue, sequence);

        if (deadLetter)
        {
            if (groups.isEmpty())
            {
                deadLetterTo(queue.name + DLQ_SUFFIX, queue, message, reason, 0, "");
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

    /** @return whether the name is valid; if not, the session has been told why. */
    private boolean isValidGroupName(final long sessionId, final long correlationId, final String groupName)
    {
        if (Names.isValid(groupName))
        {
            return true;
        }
        sink.onError(sessionId, correlationId, ErrorCode.INVALID_NAME,
            "group name '" + groupName + "' is invalid: " + Names.RULE);
        return false;
    }

    /** A new group starts at the oldest message the queue holds: it needs every one of them. */
    private ConsumerGroup createGroup(final Queue queue, final String groupName)
    {
        final ConsumerGroup group = new ConsumerGroup(nextGroupId++, groupName, queue, queue.lowestRetainedSequence());
        queue.messages.forEach((message) -> message.unsettledGroups++);
        queue.groups.add(group);
        return group;
    }

    /**
     * Creates a group with its own dispatch strategy and dead-letter queue, or confirms an existing group has them;
     * what is left DEFAULT or empty matches anything.
     */
    private void onDeclareGroup(final DeclareGroupDecoder declare)
    {
        final long sessionId = declare.sessionId();
        final long correlationId = declare.correlationId();
        final DispatchStrategy strategy = declare.strategy();
        declare.wrapQueue(nameView);
        final String groupName = declare.group();
        final String deadLetterQueue = declare.deadLetterQueue();

        if (null == sessionFor(sessionId, correlationId))
        {
            return;
        }
        if (DispatchStrategy.NULL_VAL == strategy)
        {
            sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT,
                "strategy is not one of DEFAULT, ROUND_ROBIN, LEAST_OUTSTANDING");
            return;
        }
        final Queue queue = queueFor(sessionId, correlationId, nameView);
        if (null == queue)
        {
            return;
        }
        if (!isValidGroupName(sessionId, correlationId, groupName))
        {
            return;
        }
        if (!deadLetterQueue.isEmpty() && (!Names.isValid(deadLetterQueue) || deadLetterQueue.equals(queue.name)))
        {
            sink.onError(sessionId, correlationId, ErrorCode.INVALID_NAME, "dead-letter queue '" + deadLetterQueue +
                "' is invalid: " + Names.RULE + ", and not the queue itself");
            return;
        }

        ConsumerGroup group = queue.group(groupName);
        if (null != group)
        {
            if ((DispatchStrategy.DEFAULT != strategy && strategy != group.strategy) ||
                (!deadLetterQueue.isEmpty() && !deadLetterQueue.equals(group.deadLetterQueue)))
            {
                sink.onError(sessionId, correlationId, ErrorCode.SETTINGS_CONFLICT, "group '" + groupName +
                    "' of queue '" + queue.name + "' exists with strategy " + group.strategy +
                    " and dead-letter queue '" + group.deadLetterQueue + "'");
                return;
            }
            sink.onAdminDone(sessionId, correlationId, 0);
            return;
        }
        group = createGroup(queue, groupName);
        group.strategy = strategy;
        if (!deadLetterQueue.isEmpty())
        {
            group.deadLetterQueue = deadLetterQueue;
        }
        sink.onAdminDone(sessionId, correlationId, 1);
    }

    private void onQueueAdmin(final QueueAdminDecoder admin)
    {
        final long sessionId = admin.sessionId();
        final long correlationId = admin.correlationId();
        final AdminAction action = admin.action();
        final long count = admin.count();
        admin.wrapQueue(nameView);
        final String groupFilter = admin.group();

        if (null == sessionFor(sessionId, correlationId))
        {
            return;
        }
        final Queue queue = queues.get(nameView, 0, nameView.capacity());
        if (null == queue)
        {
            sink.onError(sessionId, correlationId, ErrorCode.UNKNOWN_QUEUE, "queue '" +
                nameView.getStringWithoutLengthAscii(0, Math.min(nameView.capacity(), 300)) + "' does not exist");
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
            default -> -1;
        };
        if (done < 0)
        {
            sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT, "unknown admin action " + action);
            return;
        }
        sink.onAdminDone(sessionId, correlationId, done);
    }

    private long browse(
        final long sessionId, final long correlationId, final Queue queue, final String groupFilter, final long limit)
    {
        long shown = 0;
        for (final long sequence : retainedSequences(queue))
        {
            final StoredMessage message = queue.messages.get(sequence);
            if (shown < limit && fromGroup(message, groupFilter))
            {
                sink.onBrowsed(sessionId, correlationId, sequence, message.publishTimestampNs,
                    message.deadLetterReason, message.deadLetterAttempts, message.sourceQueue, message.sourceGroup,
                    message.payload(), 0, message.length());
                shown++;
            }
        }
        return shown;
    }

    /**
     * Moves dead letters not in flight to any group of the dead-letter queue back to the queues they came from,
     * oldest first, as new messages there (first attempt again).
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
            final Queue source = queues.getOrCreate(letter.sourceQueue);
            if (!makeRoom(source, letter.length()))
            {
                continue; // stays a dead letter: the source is full and refuses more
            }
            if (null == dlq.messages.get(sequence) || isInFlight(dlq, sequence))
            {
                // Making room dead-lettered the source's oldest into this DLQ, which pushed this letter out of it or
                // delivered it: it is no longer a letter to move.
                continue;
            }
            append(source, letter.payload(), 0, letter.length(), letter.publishTimestampNs);
            drop(dlq, sequence);
            deliverToAllGroups(source);
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
        sink.onQueueStats(sessionId, correlationId, counters(queue), inFlight, queue.groups.size(), consumerCount);
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
            group.cursor = queue.nextSequence;
        }
        for (final long sequence : sequences)
        {
            drop(queue, sequence);
        }
        for (final ConsumerGroup group : queue.groups)
        {
            deliverReady(group); // its consumers may have capacity for messages published after the purge
        }
        return sequences.length;
    }

    /** Removes a message from the queue and from every group's bookkeeping. */
    private void drop(final Queue queue, final long sequence)
    {
        forgetInGroups(queue, sequence);
        messagePool.release(takeOut(queue, sequence));
    }

    /** Takes a retained message out of its queue (not back to the pool: the caller may still read it). */
    private StoredMessage takeOut(final Queue queue, final long sequence)
    {
        final StoredMessage message = queue.messages.remove(sequence);
        if (queue.messages.isEmpty())
        {
            agedQueues.onEmptied(queue);
        }
        return message;
    }

    /** Every group of the queue forgets the message: its timer, its attempts, its place in the redelivery FIFO. */
    private void forgetInGroups(final Queue queue, final long sequence)
    {
        final ArrayList<ConsumerGroup> groups = queue.groups;
        for (int i = 0, size = groups.size(); i < size; i++)
        {
            final ConsumerGroup group = groups.get(i);
            // Delivered before, not in flight and not waiting on a timer: it waits in the redelivery FIFO.
            final boolean waitsForRedelivery = group.attempts.containsKey(sequence) &&
                !group.inFlight.containsKey(sequence) && !group.deliveryTimers.containsKey(sequence);
            deliveryTimers.cancel(group, sequence);
            group.attempts.remove(sequence);
            if (waitsForRedelivery)
            {
                group.removeRedelivery(sequence);
            }
        }
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

    /** Hands ready messages to consumers with capacity until one side runs out. */
    private void deliverReady(final ConsumerGroup group)
    {
        final Queue queue = group.queue;
        final DispatchStrategy strategy = group.effectiveStrategy();
        final long queueVisibilityTimeoutNs = TimeUnit.MILLISECONDS.toNanos(queue.policy.visibilityTimeoutMs());
        Consumer consumer;
        while (group.hasReady() && null != (consumer = group.nextConsumerWithCapacity(strategy)))
        {
            final long sequence = group.pollReadySequence();
            final StoredMessage message = queue.messages.get(sequence);
            final int attempt = (int)group.attempts.get(sequence) + 1;
            group.attempts.put(sequence, attempt);
            group.inFlight.put(sequence, consumer.id);
            consumer.deliveryStarted();
            final long timeoutNs = 0 != consumer.visibilityTimeoutNs ?
                consumer.visibilityTimeoutNs : queueVisibilityTimeoutNs;
            deliveryTimers.schedule(group, sequence, nowNs + timeoutNs);
            sink.onDeliver(
                consumer.sessionId,
                consumer.id,
                sequence,
                attempt,
                message.publishTimestampNs,
                message.payload(),
                0,
                message.length());
        }
    }

    private Queue queueFor(final long sessionId, final long correlationId, final DirectBuffer name)
    {
        final int length = name.capacity();
        Queue queue = queues.get(name, 0, length);
        if (null == queue)
        {
            if (!Names.isValid(name, 0, length))
            {
                sink.onError(sessionId, correlationId, ErrorCode.INVALID_NAME,
                    "queue name '" + name.getStringWithoutLengthAscii(0, Math.min(length, 300)) + "' is invalid: " +
                    Names.RULE);
                return null;
            }
            queue = queues.create(name.getStringWithoutLengthAscii(0, length));
        }
        return queue;
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
        out.putLong(nowNs);
        out.putLong(nextSessionId);
        out.putLong(nextConsumerId);
        out.putLong(nextGroupId);
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
        machine.nowNs = in.getLong();
        machine.nextSessionId = in.getLong();
        machine.nextConsumerId = in.getLong();
        machine.nextGroupId = in.getLong();
        if (in.getBoolean())
        {
            machine.deliveryTimers.restoreStart(machine.nowNs);
        }
        machine.policies.reset(in.getPolicy());
        for (int i = 0, count = in.getCount(); i < count; i++)
        {
            machine.policies.addRule(in.getString(), in.getPolicy());
        }
        final List<StateSnapshot.SessionRecord> sessionRecords = StateSnapshot.readSessions(in);
        for (int i = 0, count = in.getCount(); i < count; i++)
        {
            StateSnapshot.readQueue(
                in, machine.queues, machine.policies, machine.consumers, machine.deliveryTimers, machine.messagePool);
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
            machine.limitCounts.add(queue);
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
        return null == queue ? null : counters(queue);
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
        return limitCounts;
    }

    private static QueueCounters counters(final Queue queue)
    {
        return new QueueCounters(queue.messages.size(), queue.messages.bytes(), queue.expired, queue.overflowed,
            queue.dropped, queue.refused);
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
        return StateDescriber.describe(nextSessionId, nextConsumerId, nextGroupId, lastLogSequence, nowNs,
            policies, sessions, consumers, queues, deliveryTimers);
    }
}
