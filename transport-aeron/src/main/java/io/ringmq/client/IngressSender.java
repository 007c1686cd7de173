package io.ringmq.client;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.ringmq.codecs.AckEncoder;
import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.ConnectEncoder;
import io.ringmq.codecs.DisconnectEncoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.NackEncoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.codecs.QueueAdminEncoder;
import io.ringmq.codecs.SubscribeEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;

/**
 * Encodes the client's commands and offers them to the daemon's ingress. One encoder per frame type, one send
 * buffer, all reused: sending allocates nothing. While the ingress is back-pressured it keeps polling the client's
 * own responses, so the daemon is never stuck behind a client that is blocked sending to it.
 * <p>
 * Not thread-safe: owned by the client's thread.
 */
final class IngressSender
{
    private final ExclusivePublication publication;
    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ConnectEncoder connectEncoder = new ConnectEncoder();
    private final DisconnectEncoder disconnectEncoder = new DisconnectEncoder();
    private final PublishEncoder publishEncoder = new PublishEncoder();
    private final SubscribeEncoder subscribeEncoder = new SubscribeEncoder();
    private final AckEncoder ackEncoder = new AckEncoder();
    private final NackEncoder nackEncoder = new NackEncoder();
    private final QueueAdminEncoder queueAdminEncoder = new QueueAdminEncoder();
    private final IdleStrategy idleStrategy;
    private final EpochNanoClock clock;
    private final long backPressureTimeoutNs;
    private final Runnable pollResponses;
    private long sessionId;
    private int maxFrameLength = Integer.MAX_VALUE;

    IngressSender(
        final ExclusivePublication publication,
        final IdleStrategy idleStrategy,
        final EpochNanoClock clock,
        final long backPressureTimeoutNs,
        final Runnable pollResponses)
    {
        this.publication = publication;
        this.idleStrategy = idleStrategy;
        this.clock = clock;
        this.backPressureTimeoutNs = backPressureTimeoutNs;
        this.pollResponses = pollResponses;
    }

    void session(final long sessionId, final int maxFrameLength)
    {
        this.sessionId = sessionId;
        this.maxFrameLength = maxFrameLength;
    }

    void connect(final long correlationId, final String responseChannel, final int responseStreamId,
        final String clientName)
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + connectEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .responseStreamId(responseStreamId)
            .responseChannel(responseChannel)
            .clientName(clientName)
            .encodedLength();
        offer(length);
    }

    void disconnect(final boolean releaseInFlight)
    {
        offer(MessageHeaderEncoder.ENCODED_LENGTH + disconnectEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sessionId(sessionId)
            .releaseInFlight(releaseInFlight ? BooleanType.TRUE : BooleanType.FALSE)
            .encodedLength());
    }

    void publish(
        final long correlationId,
        final DirectBuffer queueName,
        final int queueNameLength,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + PublishEncoder.BLOCK_LENGTH +
            PublishEncoder.queueHeaderLength() + queueNameLength + PublishEncoder.payloadHeaderLength() + payloadLength;
        if (frameLength > maxFrameLength)
        {
            throw new RingmqException(ErrorCode.MESSAGE_TOO_LARGE, "a " + payloadLength +
                "-byte payload makes a " + frameLength + "-byte frame; the daemon accepts at most " + maxFrameLength +
                " (ringmq.max.message.bytes)");
        }
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + publishEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sessionId(sessionId)
            .correlationId(correlationId)
            .putQueue(queueName, 0, queueNameLength)
            .putPayload(payload, payloadOffset, payloadLength)
            .encodedLength();
        offer(length);
    }

    void subscribe(
        final long correlationId,
        final String queue,
        final String group,
        final int prefetch,
        final long visibilityTimeoutMs)
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + subscribeEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sessionId(sessionId)
            .correlationId(correlationId)
            .prefetch(prefetch)
            .visibilityTimeoutMs(visibilityTimeoutMs)
            .queue(queue)
            .group(group)
            .encodedLength();
        offer(length);
    }

    void ack(final long consumerId, final long sequence, final int attempt)
    {
        offer(MessageHeaderEncoder.ENCODED_LENGTH + ackEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sessionId(sessionId)
            .consumerId(consumerId)
            .sequence(sequence)
            .attempt(attempt)
            .encodedLength());
    }

    void nack(final long consumerId, final long sequence, final int attempt, final NackAction action,
        final long delayMs)
    {
        offer(MessageHeaderEncoder.ENCODED_LENGTH + nackEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sessionId(sessionId)
            .consumerId(consumerId)
            .sequence(sequence)
            .attempt(attempt)
            .action(action)
            .delayMs(delayMs)
            .encodedLength());
    }

    void queueAdmin(
        final long correlationId, final AdminAction action, final String queue, final String group, final long count)
    {
        offer(MessageHeaderEncoder.ENCODED_LENGTH + queueAdminEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sessionId(sessionId)
            .correlationId(correlationId)
            .action(action)
            .count(count)
            .queue(queue)
            .group(group)
            .encodedLength());
    }

    private void offer(final int length)
    {
        long deadlineNs = 0;
        idleStrategy.reset();
        while (true)
        {
            final long result = publication.offer(buffer, 0, length);
            if (result > 0)
            {
                return;
            }
            if (result == Publication.NOT_CONNECTED || result == Publication.CLOSED)
            {
                throw new RingmqException("lost the ringmq daemon: its ingress " + publication.channel() +
                    " stream " + publication.streamId() + " is not connected");
            }
            if (result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw new RingmqException("ingress publication reached its maximum position; reconnect the client");
            }
            if (result == Publication.ADMIN_ACTION)
            {
                continue; // a term rotation: try again at once
            }

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
