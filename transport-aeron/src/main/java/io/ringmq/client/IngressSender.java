package io.ringmq.client;

import io.aeron.ExclusivePublication;
import io.ringmq.codecs.CreditMode;
import io.ringmq.codecs.AckBatchEncoder;
import io.ringmq.codecs.AckEncoder;
import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.ConnectEncoder;
import io.ringmq.codecs.DeclareGroupEncoder;
import io.ringmq.codecs.DeclareQueueEncoder;
import io.ringmq.codecs.DisconnectEncoder;
import io.ringmq.codecs.SeekEncoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.ExtendEncoder;
import io.ringmq.codecs.GrantEncoder;
import io.ringmq.codecs.UnsubscribeEncoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.NackEncoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.codecs.ReplyEncoder;
import io.ringmq.codecs.QueueAdminEncoder;
import io.ringmq.codecs.QueryEncoder;
import io.ringmq.codecs.QueryKind;
import io.ringmq.codecs.SubscribeEncoder;
import io.ringmq.core.protocol.Priority;
import io.ringmq.transport.OfferOutcome;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;

import java.util.function.BooleanSupplier;

/**
 * Encodes the client's commands and offers them to the daemon's ingress. One encoder per frame type, one send
 * buffer, all reused: sending allocates nothing. While the ingress is back-pressured it keeps polling the client's
 * own responses, so the daemon is never stuck behind a client that is blocked sending to it.
 * <p>
 * Not thread-safe: owned by the client's thread.
 */
final class IngressSender
{
    /** The connected node's ingress: a following client hands over a new one after each reconnect. */
    private ExclusivePublication publication;
    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
    private final ExpandableDirectByteBuffer handlerBuffer = new ExpandableDirectByteBuffer(1024);
    private final ExpandableDirectByteBuffer deferred = new ExpandableDirectByteBuffer(4096);
    private final IntArrayList deferredLengths = new IntArrayList();
    private final BooleanSupplier inHandler;
    private int deferredBytes;
    private boolean sendingDeferred;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ConnectEncoder connectEncoder = new ConnectEncoder();
    private final DisconnectEncoder disconnectEncoder = new DisconnectEncoder();
    private final PublishEncoder publishEncoder = new PublishEncoder();
    private final ReplyEncoder replyEncoder = new ReplyEncoder();
    private final SubscribeEncoder subscribeEncoder = new SubscribeEncoder();
    private final AckEncoder ackEncoder = new AckEncoder();
    private final AckBatchEncoder ackBatchEncoder = new AckBatchEncoder();
    private final NackEncoder nackEncoder = new NackEncoder();
    private final QueueAdminEncoder queueAdminEncoder = new QueueAdminEncoder();
    private final QueryEncoder queryEncoder = new QueryEncoder();
    private final ExtendEncoder extendEncoder = new ExtendEncoder();
    private final GrantEncoder grantEncoder = new GrantEncoder();
    private final UnsubscribeEncoder unsubscribeEncoder = new UnsubscribeEncoder();
    private final DeclareQueueEncoder declareQueueEncoder = new DeclareQueueEncoder();
    private final DeclareGroupEncoder declareGroupEncoder = new DeclareGroupEncoder();
    private final SeekEncoder seekEncoder = new SeekEncoder();
    private final IdleStrategy idleStrategy;
    private final EpochNanoClock clock;
    private final long backPressureTimeoutNs;
    private final Runnable pollResponses;
    private long sessionId;
    private int maxFrameLength = Integer.MAX_VALUE;
    private int maxPayloadLength = Integer.MAX_VALUE;
    private int maxHeaderLength = Integer.MAX_VALUE;

    IngressSender(
        final ExclusivePublication publication,
        final IdleStrategy idleStrategy,
        final EpochNanoClock clock,
        final long backPressureTimeoutNs,
        final Runnable pollResponses,
        final BooleanSupplier inHandler)
    {
        this.inHandler = inHandler;
        this.publication = publication;
        this.idleStrategy = idleStrategy;
        this.clock = clock;
        this.backPressureTimeoutNs = backPressureTimeoutNs;
        this.pollResponses = pollResponses;
    }

    /** Sends from now on to a newly connected node's ingress; frames kept for the old one are dropped. */
    void link(final ExclusivePublication publication)
    {
        this.publication = publication;
        dropDeferred();
    }

    /** Forgets the frames handlers could not send: they belong to a session that is gone. */
    void dropDeferred()
    {
        deferredLengths.clear();
        deferredBytes = 0;
    }

    void session(final long sessionId, final int maxFrameLength, final int maxPayloadLength, final int maxHeaderLength)
    {
        this.maxHeaderLength = maxHeaderLength;
        this.sessionId = sessionId;
        this.maxFrameLength = maxFrameLength;
        this.maxPayloadLength = maxPayloadLength;
    }

    void connect(final long correlationId, final String responseChannel, final int responseStreamId,
        final String clientName)
    {
        final MutableDirectBuffer frame = frameBuffer();
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + connectEncoder
            .wrapAndApplyHeader(frame, 0, headerEncoder)
            .correlationId(correlationId)
            .responseStreamId(responseStreamId)
            .responseChannel(responseChannel)
            .clientName(clientName)
            .encodedLength();
        send(frame, length);
    }

    void disconnect(final boolean releaseInFlight)
    {
        final MutableDirectBuffer frame = frameBuffer();
        send(frame, MessageHeaderEncoder.ENCODED_LENGTH + disconnectEncoder
            .wrapAndApplyHeader(frame, 0, headerEncoder)
            .sessionId(sessionId)
            .releaseInFlight(releaseInFlight ? BooleanType.TRUE : BooleanType.FALSE)
            .encodedLength());
    }

    /**
     * A publish with what a message may carry besides its payload: a producer id and sequence (0, 0 for none), headers
     * in the {@link io.ringmq.core.protocol.HeadersLayout} layout and a message id's UTF-8 bytes (null or length 0 for
     * none); a request when {@code requestId} is not 0: its reply goes to this session, or onto the queue
     * {@code replyTo} names (length 0: this session); its priority, delay or deliver-at and time to live (0 for none).
     */
    void publish(
        final long correlationId,
        final DirectBuffer queueName,
        final int queueNameLength,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength,
        final long producerId,
        final long producerSequence,
        final DirectBuffer headers,
        final int headersLength,
        final DirectBuffer messageId,
        final int messageIdLength,
        final long requestId,
        final DirectBuffer replyTo,
        final int replyToLength,
        final int priority,
        final long delayMs,
        final long deliverAtMs,
        final long ttlMs)
    {
        requirePayloadFits(payloadLength, "payload");
        if (headersLength > maxHeaderLength)
        {
            throw new RingmqException(ErrorCode.HEADERS_TOO_LARGE, "the headers take " + headersLength +
                " bytes, more than " + maxHeaderLength + ", the most the daemon takes (its ringmq.max.header.bytes)");
        }
        final MutableDirectBuffer frame = frameBuffer();
        final PublishEncoder encoder = publishEncoder
            .wrapAndApplyHeader(frame, 0, headerEncoder)
            .sessionId(sessionId)
            .correlationId(correlationId)
            .producerId(producerId)
            .producerSequence(producerSequence)
            .requestId(requestId)
            .priority((short)priority)
            .delayMs(delayMs)
            .deliverAtMs(deliverAtMs)
            .ttlMs(ttlMs)
            .putQueue(queueName, 0, queueNameLength)
            .putPayload(payload, payloadOffset, payloadLength);
        if (0 == headersLength)
        {
            encoder.putHeaders(payload, payloadOffset, 0);
        }
        else
        {
            encoder.putHeaders(headers, 0, headersLength);
        }
        if (0 == messageIdLength)
        {
            encoder.putMessageId(payload, payloadOffset, 0);
        }
        else
        {
            encoder.putMessageId(messageId, 0, messageIdLength);
        }
        if (0 == replyToLength)
        {
            encoder.putReplyTo(payload, payloadOffset, 0);
        }
        else
        {
            encoder.putReplyTo(replyTo, 0, replyToLength);
        }
        send(frame, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /**
     * The daemon would refuse a larger one too (a reply may land on a reply queue, so it has a publish's bound): checked
     * here it fails at once, before anything is sent.
     */
    private void requirePayloadFits(final int payloadLength, final String what)
    {
        if (payloadLength > maxPayloadLength)
        {
            throw new RingmqException(ErrorCode.MESSAGE_TOO_LARGE, "a " + payloadLength + "-byte " + what +
                " is larger than " + maxPayloadLength + " bytes, the most the daemon takes: every frame a message " +
                "travels in must fit its ringmq.max.message.bytes (" + maxFrameLength + "), and the largest, a " +
                "dead letter delivered with its queue and group names, headers and id, adds " +
                (maxFrameLength - maxPayloadLength) + " bytes to the payload");
        }
    }

    /** Answers a request delivery of the consumer (which acks it). */
    void reply(
        final long consumerId,
        final long sequence,
        final int attempt,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        requirePayloadFits(payloadLength, "reply");
        final MutableDirectBuffer frame = frameBuffer();
        send(frame, MessageHeaderEncoder.ENCODED_LENGTH + replyEncoder
            .wrapAndApplyHeader(frame, 0, headerEncoder)
            .sessionId(sessionId)
            .consumerId(consumerId)
            .sequence(sequence)
            .attempt(attempt)
            .putPayload(payload, payloadOffset, payloadLength)
            .putHeaders(payload, payloadOffset, 0)
            .encodedLength());
    }

    void subscribe(
        final long correlationId,
        final String queue,
        final String group,
        final int prefetch,
        final long visibilityTimeoutMs,
        final boolean createQueue)
    {
        final MutableDirectBuffer frame = frameBuffer();
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + subscribeEncoder
            .wrapAndApplyHeader(frame, 0, headerEncoder)
            .sessionId(sessionId)
            .correlationId(correlationId)
            .prefetch(prefetch)
            .visibilityTimeoutMs(visibilityTimeoutMs)
            .createQueue(createQueue ? BooleanType.TRUE : BooleanType.FALSE)
            .queue(queue)
            .group(group)
            .encodedLength();
        send(frame, length);
    }

    void ack(final long consumerId, final long sequence, final int attempt)
    {
        final MutableDirectBuffer frame = frameBuffer();
        send(frame, MessageHeaderEncoder.ENCODED_LENGTH + ackEncoder
            .wrapAndApplyHeader(frame, 0, headerEncoder)
            .sessionId(sessionId)
            .consumerId(consumerId)
            .sequence(sequence)
            .attempt(attempt)
            .encodedLength());
    }

    /**
     * Sends a consumer's pending acks, one Ack for one, else one AckBatch, and empties them: they are in the frame
     * before it is offered, so acks a handler adds while a blocking offer polls are new ones, not sent twice.
     */
    void acks(final long consumerId, final PendingAcks acks)
    {
        final int count = acks.count();
        if (0 == count)
        {
            return;
        }
        if (1 == count)
        {
            final long sequence = acks.sequence(0);
            final int attempt = acks.attempt(0);
            acks.clear();
            ack(consumerId, sequence, attempt);
            return;
        }
        final MutableDirectBuffer frame = frameBuffer();
        final AckBatchEncoder.EntriesEncoder entries = ackBatchEncoder
            .wrapAndApplyHeader(frame, 0, headerEncoder)
            .sessionId(sessionId)
            .consumerId(consumerId)
            .entriesCount(count);
        for (int i = 0; i < count; i++)
        {
            entries.next().sequence(acks.sequence(i)).attempt(acks.attempt(i));
        }
        acks.clear();
        send(frame, MessageHeaderEncoder.ENCODED_LENGTH + ackBatchEncoder.encodedLength());
    }

    /**
     * Most acks one AckBatch carries: {@code configured}, or for 0 as many as fit in one Aeron frame of the ingress
     * (no fragmentation); never more than fit in the daemon's largest frame or the schema's group count. Call once
     * the session is known.
     */
    int ackBatchLimit(final int configured)
    {
        final int overhead = MessageHeaderEncoder.ENCODED_LENGTH + AckBatchEncoder.BLOCK_LENGTH +
            AckBatchEncoder.EntriesEncoder.sbeHeaderSize();
        final int entryLength = AckBatchEncoder.EntriesEncoder.sbeBlockLength();
        final int wanted = 0 != configured ? configured : (publication.maxPayloadLength() - overhead) / entryLength;
        final int fits = Math.min((maxFrameLength - overhead) / entryLength,
            AckBatchEncoder.EntriesEncoder.countMaxValue());
        return Math.max(1, Math.min(wanted, fits));
    }

    void nack(final long consumerId, final long sequence, final int attempt, final NackAction action,
        final long delayMs)
    {
        final MutableDirectBuffer frame = frameBuffer();
        send(frame, MessageHeaderEncoder.ENCODED_LENGTH + nackEncoder
            .wrapAndApplyHeader(frame, 0, headerEncoder)
            .sessionId(sessionId)
            .consumerId(consumerId)
            .sequence(sequence)
            .attempt(attempt)
            .action(action)
            .delayMs(delayMs)
            .encodedLength());
    }

    void extend(final long consumerId, final long sequence, final int attempt, final long visibilityTimeoutMs)
    {
        final MutableDirectBuffer frame = frameBuffer();
        send(frame, MessageHeaderEncoder.ENCODED_LENGTH + extendEncoder
            .wrapAndApplyHeader(frame, 0, headerEncoder)
            .sessionId(sessionId)
            .consumerId(consumerId)
            .sequence(sequence)
            .attempt(attempt)
            .visibilityTimeoutMs(visibilityTimeoutMs)
            .encodedLength());
    }

    void grant(final long consumerId, final int credits, final CreditMode mode)
    {
        final MutableDirectBuffer frame = frameBuffer();
        send(frame, MessageHeaderEncoder.ENCODED_LENGTH + grantEncoder
            .wrapAndApplyHeader(frame, 0, headerEncoder)
            .sessionId(sessionId)
            .consumerId(consumerId)
            .credits(credits)
            .mode(mode)
            .encodedLength());
    }

    void unsubscribe(final long consumerId)
    {
        final MutableDirectBuffer frame = frameBuffer();
        send(frame, MessageHeaderEncoder.ENCODED_LENGTH + unsubscribeEncoder
            .wrapAndApplyHeader(frame, 0, headerEncoder)
            .sessionId(sessionId)
            .consumerId(consumerId)
            .encodedLength());
    }

    void declareQueue(final long correlationId, final String queue, final QueueOptions options)
    {
        final MutableDirectBuffer frame = frameBuffer();
        declareQueueEncoder.wrapAndApplyHeader(frame, 0, headerEncoder)
            .sessionId(sessionId)
            .correlationId(correlationId);
        options.writeTo(declareQueueEncoder.settings());
        options.writeTo(declareQueueEncoder.limits());
        options.writeTo(declareQueueEncoder.retention());
        declareQueueEncoder.delayMs(options.delayMs());
        send(frame, MessageHeaderEncoder.ENCODED_LENGTH + declareQueueEncoder.queue(queue).encodedLength());
    }

    void declareGroup(final long correlationId, final String queue, final String group, final GroupOptions options)
    {
        final MutableDirectBuffer frame = frameBuffer();
        send(frame, MessageHeaderEncoder.ENCODED_LENGTH + declareGroupEncoder
            .wrapAndApplyHeader(frame, 0, headerEncoder)
            .sessionId(sessionId)
            .correlationId(correlationId)
            .strategy(options.strategy())
            .start(options.start().point())
            .startValue(options.start().value())
            .queue(queue)
            .group(group)
            .deadLetterQueue(options.deadLetterQueue())
            .filter(options.filter())
            .encodedLength());
    }

    void seek(final long correlationId, final String queue, final String group, final SeekTarget to)
    {
        final MutableDirectBuffer frame = frameBuffer();
        send(frame, MessageHeaderEncoder.ENCODED_LENGTH + seekEncoder
            .wrapAndApplyHeader(frame, 0, headerEncoder)
            .sessionId(sessionId)
            .correlationId(correlationId)
            .to(to.point())
            .value(to.value())
            .queue(queue)
            .group(group)
            .encodedLength());
    }

    void query(final long correlationId, final QueryKind kind, final String name, final long count)
    {
        final MutableDirectBuffer frame = frameBuffer();
        send(frame, MessageHeaderEncoder.ENCODED_LENGTH + queryEncoder
            .wrapAndApplyHeader(frame, 0, headerEncoder)
            .sessionId(sessionId)
            .correlationId(correlationId)
            .kind(kind)
            .count(count)
            .name(name)
            .encodedLength());
    }

    void queueAdmin(
        final long correlationId,
        final AdminAction action,
        final String queue,
        final String group,
        final long count,
        final boolean force)
    {
        final MutableDirectBuffer frame = frameBuffer();
        send(frame, MessageHeaderEncoder.ENCODED_LENGTH + queueAdminEncoder
            .wrapAndApplyHeader(frame, 0, headerEncoder)
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
     * Frames made inside a poll (by a message handler or receipt listener) are encoded into their own buffer: a
     * frame being retried outside that poll must not be overwritten. Nesting goes one level deep only, since the
     * client's poll is not re-entrant.
     */
    private MutableDirectBuffer frameBuffer()
    {
        return inHandler.getAsBoolean() ? handlerBuffer : buffer;
    }

    /**
     * A handler must never block on the ingress: the daemon may be waiting for this very client to read its
     * responses. What the ingress cannot take at once is kept, in order, and sent right after the poll returns
     * ({@link #sendDeferred()}). Outside handlers, sending waits for the ingress as usual.
     */
    private void send(final MutableDirectBuffer frame, final int length)
    {
        if (frame != handlerBuffer)
        {
            offer(frame, 0, length);
        }
        else if (!deferredLengths.isEmpty() ||
            OfferOutcome.SENT != OfferOutcome.offer(publication, frame, 0, length))
        {
            deferred.putBytes(deferredBytes, frame, 0, length);
            deferredBytes += length;
            deferredLengths.addInt(length);
        }
    }

    /** Sends the frames handlers could not send at once; called after each poll, outside any handler. */
    void sendDeferred()
    {
        if (sendingDeferred || deferredLengths.isEmpty())
        {
            return;
        }
        sendingDeferred = true;
        try
        {
            int offset = 0;
            for (int i = 0; i < deferredLengths.size(); i++) // frames deferred while this runs are sent too
            {
                final int length = deferredLengths.getInt(i);
                offer(deferred, offset, length);
                offset += length;
            }
            dropDeferred();
        }
        finally
        {
            sendingDeferred = false;
        }
    }

    private void offer(final DirectBuffer frame, final int offset, final int length)
    {
        long deadlineNs = 0;
        idleStrategy.reset();
        while (true)
        {
            final OfferOutcome outcome = OfferOutcome.offer(publication, frame, offset, length);
            if (OfferOutcome.SENT == outcome)
            {
                return;
            }
            if (OfferOutcome.NOT_CONNECTED == outcome || OfferOutcome.CLOSED == outcome)
            {
                throw new RingmqException("lost the ringmq daemon: its ingress " + publication.channel() +
                    " stream " + publication.streamId() + " is not connected");
            }
            if (OfferOutcome.MAX_POSITION_EXCEEDED == outcome)
            {
                throw new RingmqException("ingress publication reached its maximum position; reconnect the client");
            }

            // Back-pressured: wait for room, polling the client's own responses meanwhile.
            final long nowNs = clock.nanoTime();
            if (0 == deadlineNs)
            {
                deadlineNs = nowNs + backPressureTimeoutNs;
            }
            else if (nowNs - deadlineNs > 0)
            {
                throw new RingmqException("the daemon did not take a frame for " + backPressureTimeoutNs / 1_000_000 +
                    " ms (ingress back-pressured)");
            }
            pollResponses.run();
            idleStrategy.idle();
        }
    }
}
