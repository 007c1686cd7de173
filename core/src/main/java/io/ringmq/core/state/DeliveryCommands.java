package io.ringmq.core.state;

import io.ringmq.codecs.AckBatchDecoder;
import io.ringmq.codecs.CreditMode;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.NackAction;
import io.ringmq.core.protocol.SettleRefusals;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.concurrent.TimeUnit;

/**
 * What a consumer says about its deliveries: ack, nack or extend one in flight, or grant credits for more. Each
 * command is checked to name the current delivery to a consumer of the sending session before anything changes.
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class DeliveryCommands
{
    private final SharedState state;
    private final Long2ObjectHashMap<Consumer> consumers;
    private final DeliveryTimers deliveryTimers;
    private final Sessions sessions;
    private final Dispatcher dispatcher;
    private final Settlement settlement;
    private final ReplyRouting replyRouting;

    DeliveryCommands(
        final SharedState state,
        final Sessions sessions,
        final Dispatcher dispatcher,
        final Settlement settlement,
        final ReplyRouting replyRouting)
    {
        this.replyRouting = replyRouting;
        this.state = state;
        this.consumers = state.consumers;
        this.deliveryTimers = state.deliveryTimers;
        this.sessions = sessions;
        this.dispatcher = dispatcher;
        this.settlement = settlement;
    }

    void ack(final long sessionId, final long consumerId, final long sequence, final int attempt)
    {
        final ConsumerGroup group = settleAcked(sessionId, consumerId, sequence, attempt);
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
    void ackBatch(final AckBatchDecoder batch)
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
        final long publishedNs = consumer.group.queue.messages.get(sequence).publishTimestampNs;
        state.sink.onSettled(sessionId, consumerId, sequence, publishedNs, false);
        settlement.settle(consumer.group, consumer, sequence);
        return consumer.group;
    }

    void nack(
        final long sessionId,
        final long consumerId,
        final long sequence,
        final int attempt,
        final byte actionRaw,
        final long delayMs)
    {
        final Consumer consumer = deliveryOwner(sessionId, consumerId, sequence, attempt);
        if (null == consumer)
        {
            return;
        }
        final ConsumerGroup group = consumer.group;
        // Decoded only now, so a nack that names no current delivery has that answer whatever its action says.
        final NackAction action = WireEnums.nackAction(actionRaw);
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
                settlement.reject(group, consumer, sequence);
            }
            default ->
            {
                state.sink.onError(consumer.sessionId, 0, ErrorCode.INVALID_ARGUMENT,
                    "nack action " + actionRaw + " is not supported by this daemon version");
                return;
            }
        }
        dispatcher.deliverReady(group);
    }

    /** More time for a delivery in flight: its deadline becomes now + the timeout asked for (SQS-style). */
    void extend(
        final long sessionId, final long consumerId, final long sequence, final int attempt, final long timeoutMs)
    {
        final Consumer consumer = deliveryOwner(sessionId, consumerId, sequence, attempt);
        if (null == consumer)
        {
            return;
        }
        if (timeoutMs < 1 || timeoutMs > QueueStateMachine.MAX_VISIBILITY_TIMEOUT_MS)
        {
            state.sink.onError(consumer.sessionId, 0, ErrorCode.INVALID_ARGUMENT, "extend visibilityTimeoutMs=" +
                timeoutMs + " is invalid: must be 1 to " + QueueStateMachine.MAX_VISIBILITY_TIMEOUT_MS);
            return;
        }
        final ConsumerGroup group = consumer.group;
        deliveryTimers.cancel(group, sequence);
        deliveryTimers.schedule(group, sequence, state.nowNs + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
    }

    void grant(final long sessionId, final long consumerId, final int credits, final CreditMode mode)
    {
        final Consumer consumer = consumerOf(sessionId, consumerId);
        if (null == consumer)
        {
            return;
        }
        if (CreditMode.NULL_VAL == mode)
        {
            state.sink.onError(sessionId, 0, ErrorCode.INVALID_ARGUMENT, "a grant's mode must be ADD or SET");
            return;
        }
        if (CreditMode.SET == mode)
        {
            if (credits < 0 || consumer.prefetch > 0)
            {
                state.sink.onError(sessionId, 0, ErrorCode.INVALID_ARGUMENT, "setting the credit to " + credits +
                    " is invalid: must be 0 or more, for a consumer without a prefetch window (this one's is " +
                    consumer.prefetch + ")");
                return;
            }
            consumer.credit = credits; // what was granted and not used is withdrawn, or topped up, to exactly this
            if (credits > 0)
            {
                dispatcher.deliverReady(consumer.group);
            }
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

    /**
     * Answers a request delivery: the reply is routed ({@link ReplyRouting}), then the delivery is settled as by an
     * ack, if it is still current (making room for a reply on a queue may have pushed the request out). A delivery of a
     * message that is not a request is refused with INVALID_ARGUMENT and stays in flight.
     */
    void reply(
        final long sessionId,
        final long consumerId,
        final long sequence,
        final int attempt,
        final DirectBuffer payload,
        final int payloadLength,
        final DirectBuffer headers,
        final int headersLength)
    {
        final Consumer consumer = deliveryOwner(sessionId, consumerId, sequence, attempt);
        if (null == consumer)
        {
            return;
        }
        final ConsumerGroup group = consumer.group;
        final StoredMessage request = group.queue.messages.get(sequence);
        if (!request.isRequest())
        {
            state.sink.onError(sessionId, 0, ErrorCode.INVALID_ARGUMENT, "delivery " + sequence + "/" + attempt +
                " of queue '" + group.queue.name + "' is not a request: there is no one to reply to");
            return;
        }
        if (replyRouting.route(sessionId, request, payload, payloadLength, headers, headersLength) &&
            isCurrentDelivery(group, consumerId, sequence, attempt))
        {
            state.sink.onSettled(sessionId, consumerId, sequence, request.publishTimestampNs, true);
            settlement.settle(group, consumer, sequence);
            dispatcher.deliverReady(group);
        }
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
                SettleRefusals.staleDelivery(sequence, attempt, group.queue.name, consumerId));
            return null;
        }
        return consumer;
    }

    private static boolean isCurrentDelivery(
        final ConsumerGroup group, final long consumerId, final long sequence, final int attempt)
    {
        return group.inFlight.get(sequence) == consumerId && group.attempts.get(sequence) == attempt;
    }

    /** @return the session's consumer of that id, or null after reporting why not (an unknown session: nothing). */
    Consumer consumerOf(final long sessionId, final long consumerId)
    {
        if (null == sessions.sessionFor(sessionId))
        {
            return null;
        }
        final Consumer consumer = consumers.get(consumerId);
        if (null == consumer || consumer.sessionId != sessionId)
        {
            state.sink.onError(sessionId, 0, ErrorCode.UNKNOWN_CONSUMER, SettleRefusals.unknownConsumer(consumerId));
            return null;
        }
        return consumer;
    }
}
