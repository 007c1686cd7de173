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
import io.ringmq.codecs.QueueStatsEncoder;
import io.ringmq.codecs.ReceiptEncoder;
import io.ringmq.codecs.SubscribedEncoder;
import io.ringmq.core.protocol.EgressFraming;
import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.QueueCounters;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Sends the state machine's outputs to each client on that client's own egress publication.
 * <p>
 * Frames for one client are gathered over a ring batch and go out together ({@link EgressFraming}): one Aeron append
 * for as many frames as fit a message without fragmenting, when the batch ends ({@link #flushPending()}) or the
 * message is full. Under load a batch holds many commands and a client gets its receipts and deliveries in a few
 * messages; with a batch of one command, nothing waits.
 * <p>
 * The dispatcher never waits for a client. A frame a client has no room for (back-pressured, or its egress not yet
 * connected) waits, in order, in that client's own buffer, and everything after it for that client queues behind
 * it; {@link #flushPending()} (after every ring batch and on ticks) sends what the client has room for again. How
 * much can wait is bounded by what the client asked for: deliveries by the credit it granted, responses by its own
 * commands. A client that leaves its responses unread for {@code stallTimeoutNs}, overflows its buffer, or whose
 * egress was connected and no longer is, is reported through {@code sessionLost}, so its session is closed by a
 * journaled command and its deliveries go to other consumers.
 * <p>
 * Not thread-safe: owned by the dispatch thread.
 */
public final class EgressPublisher implements OutputSink, EgressFlusher
{
    /** Offers answered ADMIN_ACTION (a term rotation) are retried at once this many times before queueing. */
    private static final int ADMIN_ACTION_RETRIES = 3;
    private static final int INITIAL_BUFFER_BYTES = 4096;
    /** Frames are encoded after room for their length prefix. */
    private static final int FRAME = EgressFraming.LENGTH_PREFIX;

    private static final Logger LOG = LoggerFactory.getLogger(EgressPublisher.class);

    private final Aeron aeron;
    private final NanoClock clock;
    private final long stallTimeoutNs;
    private final int sessionBufferBytes;
    private final int maxMessageLength;
    private final LongConsumer sessionLost;
    private final Long2ObjectHashMap<SessionEgress> sessions = new Long2ObjectHashMap<>();
    /** Sessions with frames waiting, in the order they started waiting. */
    private final ArrayList<SessionEgress> waiting = new ArrayList<>();
    /** Sessions with frames gathered in this ring batch, not yet offered. */
    private final ArrayList<SessionEgress> gathering = new ArrayList<>();
    private final ExpandableRingBuffer.MessageConsumer sendWaitingFrame = this::sendWaitingFrame;
    private SessionEgress flushing;
    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ConnectedEncoder connectedEncoder = new ConnectedEncoder();
    private final ReceiptEncoder receiptEncoder = new ReceiptEncoder();
    private final SubscribedEncoder subscribedEncoder = new SubscribedEncoder();
    private final DeliverEncoder deliverEncoder = new DeliverEncoder();
    private final ErrorEncoder errorEncoder = new ErrorEncoder();
    private final BrowsedEncoder browsedEncoder = new BrowsedEncoder();
    private final AdminDoneEncoder adminDoneEncoder = new AdminDoneEncoder();
    private final QueueStatsEncoder queueStatsEncoder = new QueueStatsEncoder();
    private final AtomicLong framesNotSent = new AtomicLong();

    /**
     * @param stallTimeoutNs     how long a client may take none of its waiting frames before its session is closed.
     * @param sessionBufferBytes most bytes waiting for one client (a power of two); more closes its session.
     */
    public EgressPublisher(
        final Aeron aeron,
        final NanoClock clock,
        final long stallTimeoutNs,
        final int sessionBufferBytes,
        final int maxMessageLength,
        final LongConsumer sessionLost)
    {
        this.aeron = aeron;
        this.clock = clock;
        this.stallTimeoutNs = stallTimeoutNs;
        this.sessionBufferBytes = sessionBufferBytes;
        this.maxMessageLength = maxMessageLength;
        this.sessionLost = sessionLost;
    }

    /** Frames given up on because their client had gone. */
    public long framesNotSent()
    {
        return framesNotSent.get();
    }

    /**
     * The egress publication is asked for without waiting for the media driver (a blocking add would stall every
     * client behind one connecting): frames for the session wait in its buffer until the publication exists.
     */
    public void onSessionOpened(
        final long sessionId, final long correlationId, final String responseChannel, final int responseStreamId)
    {
        final long registrationId;
        try
        {
            registrationId = aeron.asyncAddExclusivePublication(responseChannel, responseStreamId);
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("session {}: cannot open egress {} stream {}: {}", sessionId, responseChannel, responseStreamId,
                ex.getMessage());
            sessionLost.accept(sessionId);
            return;
        }
        final SessionEgress egress =
            new SessionEgress(sessionId, registrationId, correlationId, responseChannel, sessionBufferBytes);
        sessions.put(sessionId, egress);
        send(sessionId, MessageHeaderEncoder.ENCODED_LENGTH + connectedEncoder
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
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
            offerGathered(egress); // what this batch made for it goes out as it would have unbatched
            egress.lost = true; // anything still waiting for it is dropped at the next flush
            close(egress);
        }
    }

    private void close(final SessionEgress egress)
    {
        if (null != egress.publication)
        {
            CloseHelper.quietClose(egress.publication);
        }
        else
        {
            try
            {
                aeron.asyncRemovePublication(egress.registrationId);
            }
            catch (final RuntimeException ex)
            {
                LOG.debug("session {}: removing its egress publication: {}", egress.sessionId, ex.getMessage());
            }
        }
    }

    /**
     * Whether the session's egress publication exists yet; once it does, checks that it carries frames as large as
     * this daemon sends (if not, tells the client why while a small frame still can, and closes the session).
     */
    private boolean resolvePublication(final SessionEgress egress)
    {
        if (null != egress.publication)
        {
            return true;
        }
        final ExclusivePublication publication;
        try
        {
            publication = aeron.getExclusivePublication(egress.registrationId);
        }
        catch (final RuntimeException ex)
        {
            lose(egress, "cannot open egress " + egress.responseChannel + ": " + ex.getMessage());
            return false;
        }
        if (null == publication)
        {
            return false;
        }
        egress.resolved(publication);
        if (publication.maxMessageLength() < maxMessageLength)
        {
            // Its deliveries could not reach it. Instead of what waits (its Connected), it gets why, and once that
            // is sent (or it stalls) its session is closed.
            egress.pending.reset(INITIAL_BUFFER_BYTES);
            egress.loseOnceSent = "response channel too small for ringmq.max.message.bytes";
            final int frameLength = encodeError(egress.connectCorrelationId, ErrorCode.INVALID_ARGUMENT,
                "response channel " + egress.responseChannel + " carries frames up to " +
                publication.maxMessageLength() + " bytes, but this daemon sends up to " + maxMessageLength +
                " (ringmq.max.message.bytes): use a term-length of at least " + 8L * maxMessageLength);
            EgressFraming.putFrameLength(buffer, 0, frameLength);
            egress.pending.append(buffer, 0, FRAME + frameLength);
        }
        return true;
    }

    public void onReceipt(final long sessionId, final long correlationId, final long sequence)
    {
        send(sessionId, MessageHeaderEncoder.ENCODED_LENGTH + receiptEncoder
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
            .correlationId(correlationId)
            .sequence(sequence)
            .encodedLength());
    }

    public void onSubscribed(final long sessionId, final long correlationId, final long consumerId)
    {
        send(sessionId, MessageHeaderEncoder.ENCODED_LENGTH + subscribedEncoder
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
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
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
            .consumerId(consumerId)
            .sequence(sequence)
            .attempt(attempt)
            .publishTimestampNs(publishTimestampNs)
            .putPayload(payload, payloadOffset, payloadLength)
            .encodedLength());
    }

    public void onError(final long sessionId, final long correlationId, final ErrorCode code, final String message)
    {
        send(sessionId, encodeError(correlationId, code, message));
    }

    /** Encodes an Error frame at {@link #FRAME} in {@link #buffer}; @return its length. */
    private int encodeError(final long correlationId, final ErrorCode code, final String message)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + errorEncoder
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
            .correlationId(correlationId)
            .code(code)
            .message(message)
            .encodedLength();
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
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
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
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
            .correlationId(correlationId)
            .count(count)
            .encodedLength());
    }

    public void onQueueStats(
        final long sessionId,
        final long correlationId,
        final QueueCounters counters,
        final long inFlight,
        final int groups,
        final int consumers)
    {
        send(sessionId, MessageHeaderEncoder.ENCODED_LENGTH + queueStatsEncoder
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
            .correlationId(correlationId)
            .messages(counters.messages())
            .bytes(counters.bytes())
            .inFlight(inFlight)
            .groups(groups)
            .consumers(consumers)
            .expired(counters.expired())
            .overflowed(counters.overflowed())
            .dropped(counters.dropped())
            .refused(counters.refused())
            .encodedLength());
    }

    /** Closes every egress publication; called when the daemon stops. */
    public void closeAll()
    {
        sessions.values().forEach(this::close);
        sessions.clear();
    }

    /** Adds the frame encoded at {@link #FRAME} in {@link #buffer} to what the session gets at the batch's end. */
    private void send(final long sessionId, final int frameLength)
    {
        final SessionEgress egress = sessions.get(sessionId);
        if (null == egress || egress.lost || null != egress.loseOnceSent)
        {
            framesNotSent.incrementAndGet();
            return;
        }
        EgressFraming.putFrameLength(buffer, 0, frameLength);
        final int length = FRAME + frameLength;
        if (null == egress.publication)
        {
            enqueue(egress, buffer, length); // it waits, in order, for the publication to exist
            return;
        }
        if (egress.gathered + length > egress.gather.capacity())
        {
            offerGathered(egress);
            if (egress.lost)
            {
                return;
            }
        }
        if (length > egress.gather.capacity())
        {
            offerOrQueue(egress, buffer, length); // larger than one unfragmented message: it goes alone, after the rest
            return;
        }
        if (0 == egress.gathered)
        {
            gathering.add(egress);
        }
        egress.gather.putBytes(egress.gathered, buffer, 0, length);
        egress.gathered += length;
    }

    /** Offers the frames gathered for a session as one message, or queues them behind what already waits. */
    private void offerGathered(final SessionEgress egress)
    {
        final int length = egress.gathered;
        if (0 == length)
        {
            return;
        }
        egress.gathered = 0;
        if (!egress.lost)
        {
            offerOrQueue(egress, egress.gather, length);
        }
    }

    /** Offers frames at once if nothing waits before them, else (or if there is no room) queues them in order. */
    private void offerOrQueue(final SessionEgress egress, final DirectBuffer frames, final int length)
    {
        if (egress.pending.isEmpty() && offer(egress, frames, 0, length))
        {
            return;
        }
        if (!egress.lost)
        {
            enqueue(egress, frames, length);
        }
    }

    /**
     * Sends what waiting clients now have room for, oldest frame first; closes the sessions of clients that took
     * nothing for the stall timeout.
     *
     * @return true while frames are still waiting.
     */
    public boolean flushPending()
    {
        for (int i = 0, size = gathering.size(); i < size; i++)
        {
            offerGathered(gathering.get(i));
        }
        gathering.clear();
        if (waiting.isEmpty())
        {
            return false;
        }
        final long nowNs = clock.nanoTime();
        for (int i = waiting.size() - 1; i >= 0; i--)
        {
            final SessionEgress egress = waiting.get(i);
            if (!egress.lost && resolvePublication(egress))
            {
                flushing = egress;
                if (egress.pending.consume(sendWaitingFrame, Integer.MAX_VALUE) > 0)
                {
                    egress.lastProgressNs = nowNs;
                }
                flushing = null;
                if (null != egress.loseOnceSent && egress.pending.isEmpty())
                {
                    lose(egress, egress.loseOnceSent);
                }
            }
            if (!egress.lost && !egress.pending.isEmpty() && nowNs - egress.lastProgressNs > stallTimeoutNs)
            {
                lose(egress, "took none of its " + egress.pending.size() + " waiting bytes for " +
                    TimeUnit.NANOSECONDS.toMillis(nowNs - egress.lastProgressNs) + " ms");
            }
            if (egress.lost || egress.pending.isEmpty())
            {
                egress.pending.reset(INITIAL_BUFFER_BYTES);
                waiting.set(i, waiting.get(waiting.size() - 1));
                waiting.remove(waiting.size() - 1);
            }
        }
        return !waiting.isEmpty();
    }

    private boolean sendWaitingFrame(
        final MutableDirectBuffer frames, final int offset, final int length, final int headOffset)
    {
        return offer(flushing, frames, offset, length);
    }

    /**
     * @return true if the frame was sent; false if it must wait (or the client is gone, which is handled here).
     */
    private boolean offer(final SessionEgress egress, final DirectBuffer frames, final int offset, final int length)
    {
        if (length > egress.publication.maxMessageLength())
        {
            // Aeron would throw; a frame this client cannot take (a dead letter browsed with its headers, at the
            // size limit) must not stop the dispatcher. The client cannot be served this frame: close its session.
            lose(egress, "a " + length + " byte frame exceeds its channel's limit of " +
                egress.publication.maxMessageLength());
            return false;
        }
        for (int i = 0; i <= ADMIN_ACTION_RETRIES; i++)
        {
            final long result = egress.publication.offer(frames, offset, length);
            if (result > 0)
            {
                egress.everConnected = true;
                return true;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED ||
                (result == Publication.NOT_CONNECTED && egress.everConnected))
            {
                lose(egress, "egress " + Publication.errorString(result));
                return false;
            }
            if (result != Publication.ADMIN_ACTION)
            {
                return false; // back-pressured, or not connected yet: wait for room
            }
        }
        return false;
    }

    private void enqueue(final SessionEgress egress, final DirectBuffer frames, final int length)
    {
        if (egress.pending.isEmpty())
        {
            egress.lastProgressNs = clock.nanoTime();
            waiting.add(egress);
        }
        if (!egress.pending.append(frames, 0, length))
        {
            lose(egress, "more than " + sessionBufferBytes + " bytes of responses unread");
        }
    }

    private void lose(final SessionEgress egress, final String why)
    {
        framesNotSent.incrementAndGet();
        egress.lost = true;
        LOG.info("session {} lost ({}): closing it", egress.sessionId, why);
        sessionLost.accept(egress.sessionId);
    }

    private static final class SessionEgress
    {
        final long sessionId;
        final long registrationId;
        final long connectCorrelationId;
        final String responseChannel;
        /** Null until the media driver has created it. */
        ExclusivePublication publication;
        /** Frames waiting for room, in order; grows on demand up to the session buffer size. */
        final ExpandableRingBuffer pending;
        /** Frames of this ring batch, newer than any waiting: as many as one message carries unfragmented. */
        UnsafeBuffer gather;
        int gathered;
        /** Set when the session must close once what waits has been sent: why. */
        String loseOnceSent;
        long lastProgressNs;
        boolean everConnected;
        boolean lost;

        SessionEgress(
            final long sessionId,
            final long registrationId,
            final long connectCorrelationId,
            final String responseChannel,
            final int maxBufferBytes)
        {
            this.sessionId = sessionId;
            this.registrationId = registrationId;
            this.connectCorrelationId = connectCorrelationId;
            this.responseChannel = responseChannel;
            this.pending = new ExpandableRingBuffer(INITIAL_BUFFER_BYTES, maxBufferBytes, true);
        }

        void resolved(final ExclusivePublication publication)
        {
            this.publication = publication;
            this.gather = new UnsafeBuffer(new byte[publication.maxPayloadLength()]);
        }
    }
}
