package io.ringmq.daemon.pipeline;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.ringmq.codecs.AdminDoneEncoder;
import io.ringmq.codecs.BrowsedEncoder;
import io.ringmq.codecs.ConnectedEncoder;
import io.ringmq.codecs.DeadLetterReason;
import io.ringmq.codecs.DeliverEncoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.ErrorEncoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.ReceiptEncoder;
import io.ringmq.codecs.SubscribedEncoder;
import io.ringmq.core.state.OutputSink;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Sends the state machine's outputs to each client on that client's own egress publication.
 * <p>
 * A back-pressured client is retried for a bounded time, then the frame is counted as not sent: the ring must not
 * stall behind one slow client. Nothing receipted is lost that way: an unsent delivery stays in flight and is
 * delivered again; an unsent receipt makes the producer retry. A client whose egress was connected and no longer
 * is has gone: it is reported through {@code sessionLost} so its session is closed by a journaled command.
 * <p>
 * Not thread-safe: owned by the dispatch thread.
 */
public final class EgressPublisher implements OutputSink
{
    private static final Logger LOG = LoggerFactory.getLogger(EgressPublisher.class);

    private final Aeron aeron;
    private final IdleStrategy retryIdleStrategy;
    private final NanoClock clock;
    private final long backPressureTimeoutNs;
    private final int maxMessageLength;
    private final LongConsumer sessionLost;
    private final Long2ObjectHashMap<SessionEgress> sessions = new Long2ObjectHashMap<>();
    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ConnectedEncoder connectedEncoder = new ConnectedEncoder();
    private final ReceiptEncoder receiptEncoder = new ReceiptEncoder();
    private final SubscribedEncoder subscribedEncoder = new SubscribedEncoder();
    private final DeliverEncoder deliverEncoder = new DeliverEncoder();
    private final ErrorEncoder errorEncoder = new ErrorEncoder();
    private final BrowsedEncoder browsedEncoder = new BrowsedEncoder();
    private final AdminDoneEncoder adminDoneEncoder = new AdminDoneEncoder();
    private final AtomicLong framesNotSent = new AtomicLong();

    public EgressPublisher(
        final Aeron aeron,
        final IdleStrategy retryIdleStrategy,
        final NanoClock clock,
        final long backPressureTimeoutNs,
        final int maxMessageLength,
        final LongConsumer sessionLost)
    {
        this.aeron = aeron;
        this.retryIdleStrategy = retryIdleStrategy;
        this.clock = clock;
        this.backPressureTimeoutNs = backPressureTimeoutNs;
        this.maxMessageLength = maxMessageLength;
        this.sessionLost = sessionLost;
    }

    /** Frames given up on (client gone, or back-pressured past the timeout). */
    public long framesNotSent()
    {
        return framesNotSent.get();
    }

    public void onSessionOpened(
        final long sessionId, final long correlationId, final String responseChannel, final int responseStreamId)
    {
        final ExclusivePublication publication;
        try
        {
            publication = aeron.addExclusivePublication(responseChannel, responseStreamId);
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("session {}: cannot open egress {} stream {}: {}", sessionId, responseChannel, responseStreamId,
                ex.getMessage());
            sessionLost.accept(sessionId);
            return;
        }
        sessions.put(sessionId, new SessionEgress(publication));
        send(sessionId, MessageHeaderEncoder.ENCODED_LENGTH + connectedEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .sessionId(sessionId)
            .maxMessageLength(maxMessageLength)
            .encodedLength());
    }

    public void onSessionClosed(final long sessionId)
    {
        final SessionEgress egress = sessions.remove(sessionId);
        if (null != egress)
        {
            CloseHelper.quietClose(egress.publication);
        }
    }

    public void onReceipt(final long sessionId, final long correlationId, final long sequence)
    {
        send(sessionId, MessageHeaderEncoder.ENCODED_LENGTH + receiptEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .sequence(sequence)
            .encodedLength());
    }

    public void onSubscribed(final long sessionId, final long correlationId, final long consumerId)
    {
        send(sessionId, MessageHeaderEncoder.ENCODED_LENGTH + subscribedEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .consumerId(consumerId)
            .encodedLength());
    }

    public void onDeliver(
        final long sessionId,
        final long consumerId,
        final long sequence,
        final int attempt,
        final long publishTimestampNs,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        send(sessionId, MessageHeaderEncoder.ENCODED_LENGTH + deliverEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .consumerId(consumerId)
            .sequence(sequence)
            .attempt(attempt)
            .publishTimestampNs(publishTimestampNs)
            .putPayload(payload, payloadOffset, payloadLength)
            .encodedLength());
    }

    public void onError(final long sessionId, final long correlationId, final ErrorCode code, final String message)
    {
        send(sessionId, MessageHeaderEncoder.ENCODED_LENGTH + errorEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .code(code)
            .message(message)
            .encodedLength());
    }

    public void onBrowsed(
        final long sessionId,
        final long correlationId,
        final long sequence,
        final long publishTimestampNs,
        final DeadLetterReason reason,
        final int deadLetterAttempts,
        final String sourceQueue,
        final String sourceGroup,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        send(sessionId, MessageHeaderEncoder.ENCODED_LENGTH + browsedEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .sequence(sequence)
            .publishTimestampNs(publishTimestampNs)
            .deadLetterReason(reason)
            .deadLetterAttempts(deadLetterAttempts)
            .sourceQueue(null == sourceQueue ? "" : sourceQueue)
            .sourceGroup(null == sourceGroup ? "" : sourceGroup)
            .putPayload(payload, payloadOffset, payloadLength)
            .encodedLength());
    }

    public void onAdminDone(final long sessionId, final long correlationId, final long count)
    {
        send(sessionId, MessageHeaderEncoder.ENCODED_LENGTH + adminDoneEncoder
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .count(count)
            .encodedLength());
    }

    /** Closes every egress publication; called when the daemon stops. */
    public void closeAll()
    {
        sessions.values().forEach((egress) -> CloseHelper.quietClose(egress.publication));
        sessions.clear();
    }

    private void send(final long sessionId, final int length)
    {
        final SessionEgress egress = sessions.get(sessionId);
        if (null == egress || egress.lost)
        {
            framesNotSent.incrementAndGet();
            return;
        }

        final ExclusivePublication publication = egress.publication;
        long deadlineNs = 0;
        retryIdleStrategy.reset();
        while (true)
        {
            final long result = publication.offer(buffer, 0, length);
            if (result > 0)
            {
                egress.everConnected = true;
                return;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED ||
                (result == Publication.NOT_CONNECTED && egress.everConnected))
            {
                lose(sessionId, egress, "egress " + Publication.errorString(result));
                return;
            }

            final long nowNs = clock.nanoTime();
            if (0 == deadlineNs)
            {
                deadlineNs = nowNs + backPressureTimeoutNs;
            }
            else if (nowNs - deadlineNs > 0)
            {
                framesNotSent.incrementAndGet();
                if (!egress.everConnected)
                {
                    lose(sessionId, egress, "egress never connected");
                }
                return;
            }
            retryIdleStrategy.idle();
        }
    }

    private void lose(final long sessionId, final SessionEgress egress, final String why)
    {
        framesNotSent.incrementAndGet();
        egress.lost = true;
        LOG.info("session {} lost ({}): closing it", sessionId, why);
        sessionLost.accept(sessionId);
    }

    private static final class SessionEgress
    {
        final ExclusivePublication publication;
        boolean everConnected;
        boolean lost;

        SessionEgress(final ExclusivePublication publication)
        {
            this.publication = publication;
        }
    }
}
