package io.ringmq.transport.server;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.core.protocol.EgressFraming;
import io.ringmq.core.protocol.PayloadLimit;
import io.ringmq.core.protocol.ProducerIds;
import io.ringmq.core.state.MessageView;
import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.QueueCounters;
import io.ringmq.core.state.QueueFigures;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.NanoClock;
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
 * A refused Connect has no session: its answer goes out on a publication of its own ({@link #onConnectRefused}), at
 * most {@value #MAX_REFUSALS_PENDING} at a time, which closes once the answer is sent or the client stalls.
 * <p>
 * Frames are encoded by an {@link EgressEncoder}; each client's publication, gathered and waiting frames are its
 * {@link SessionEgress}.
 * <p>
 * Not thread-safe: owned by the dispatch thread.
 */
public final class EgressPublisher implements OutputSink, EgressFlusher
{
    private static final Logger LOG = LoggerFactory.getLogger(EgressPublisher.class);
    /** Answers to refused Connects open at once; more are counted as not sent (each holds a small publication). */
    static final int MAX_REFUSALS_PENDING = 16;

    private final Aeron aeron;
    private final NanoClock clock;
    private final long stallTimeoutNs;
    private final int sessionBufferBytes;
    private final int maxMessageLength;
    private final int maxHeaderLength;
    private final LongConsumer sessionLost;
    private final Long2ObjectHashMap<SessionEgress> sessions = new Long2ObjectHashMap<>();
    /** Sessions with frames waiting, in the order they started waiting. */
    private final ArrayList<SessionEgress> waiting = new ArrayList<>();
    /** Sessions with frames gathered in this ring batch, not yet offered. */
    private final ArrayList<SessionEgress> gathering = new ArrayList<>();
    private final SessionEgress.Loss loss = this::lose;
    private final EgressEncoder encoder = new EgressEncoder();
    private final AtomicLong framesNotSent = new AtomicLong();
    /** Ids of the egresses that answer refused Connects: below zero, never a session of the state machine. */
    private long nextRefusalId = -1;
    private int refusalsPending;
    /** The pair's epoch this primary serves in: every receipt carries it. */
    private long epoch = 1;

    /**
     * @param stallTimeoutNs     how long a client may take none of its waiting frames before its session is closed.
     * @param sessionBufferBytes most bytes waiting for one client (a power of two); more closes its session.
     * @param maxHeaderLength    most header bytes a publish may carry (told to each client at connect).
     */
    public EgressPublisher(
        final Aeron aeron,
        final NanoClock clock,
        final long stallTimeoutNs,
        final int sessionBufferBytes,
        final int maxMessageLength,
        final int maxHeaderLength,
        final LongConsumer sessionLost)
    {
        this.maxHeaderLength = maxHeaderLength;
        this.aeron = aeron;
        this.clock = clock;
        this.stallTimeoutNs = stallTimeoutNs;
        this.sessionBufferBytes = sessionBufferBytes;
        this.maxMessageLength = maxMessageLength;
        this.sessionLost = sessionLost;
    }

    /**
     * The pair's epoch this node receipts in (1, the default, for a daemon that was never failed over to). Fixed for
     * the publisher's life: a promotion starts a new primary pipeline, and with it a new publisher.
     */
    public EgressPublisher epoch(final long epoch)
    {
        this.epoch = epoch;
        return this;
    }

    /**
     * Frames never sent, each counted once: their client's session had closed or was closed for not taking them (a
     * stall, a full session buffer, a channel too small), or its egress could not be opened.
     */
    public long framesNotSent()
    {
        return framesNotSent.get();
    }

    /** Counts the frames in {@code frames[0, length)} as never sent. */
    private void notSent(final DirectBuffer frames, final int length)
    {
        framesNotSent.addAndGet(EgressFraming.frameCount(frames, 0, length));
    }

    /**
     * The egress publication is asked for without waiting for the media driver (a blocking add would stall every
     * client behind one connecting): frames for the session wait in its buffer until the publication exists.
     */
    public void onSessionOpened(
        final long sessionId, final long correlationId, final String responseChannel, final int responseStreamId)
    {
        if (null == open(sessionId, false, correlationId, responseChannel, responseStreamId))
        {
            sessionLost.accept(sessionId);
            return;
        }
        send(sessionId, encoder.connected(correlationId, sessionId, maxMessageLength,
            PayloadLimit.maxPayloadLength(maxMessageLength, maxHeaderLength), maxHeaderLength,
            ProducerIds.issuedFor(sessionId)));
    }

    /**
     * Answers on the channel the Connect named (the ingress checked the daemon may publish there), with the smallest
     * term: the Error, then the publication closes. Past {@value #MAX_REFUSALS_PENDING} answers under way, counted
     * as not sent instead.
     */
    public void onConnectRefused(
        final long correlationId,
        final String responseChannel,
        final int responseStreamId,
        final ErrorCode code,
        final String message)
    {
        final String answerChannel = ResponseChannels.answerChannel(responseChannel);
        final SessionEgress egress = refusalsPending >= MAX_REFUSALS_PENDING || null == answerChannel ? null :
            open(nextRefusalId--, true, correlationId, answerChannel, responseStreamId);
        if (null == egress)
        {
            framesNotSent.incrementAndGet();
            return;
        }
        refusalsPending++;
        final int length = encoder.error(correlationId, code, message);
        enqueue(egress, encoder.buffer(), length); // it waits, like a Connected, for the publication to exist
        egress.loseOnceSent = "connect refused with " + code;
    }

    /**
     * Asks for an egress publication without waiting for the media driver (a blocking add would stall every client
     * behind one connecting): frames for it wait in its buffer until the publication exists.
     *
     * @return the egress, or null if the publication cannot be asked for (logged).
     */
    private SessionEgress open(
        final long id,
        final boolean refusal,
        final long correlationId,
        final String channel,
        final int streamId)
    {
        final long registrationId;
        try
        {
            registrationId = aeron.asyncAddExclusivePublication(channel, streamId);
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("{} {}: cannot open egress {} stream {}: {}", refusal ? "refused connect" : "session",
                refusal ? correlationId : id, channel, streamId, ex.getMessage());
            return null;
        }
        final SessionEgress egress =
            new SessionEgress(id, refusal, registrationId, correlationId, channel, sessionBufferBytes, loss);
        sessions.put(id, egress);
        return egress;
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
        if (!egress.refusal && publication.maxMessageLength() < maxMessageLength)
        {
            // Its deliveries could not reach it: it is told why instead of what waits (its Connected).
            final int length = encoder.error(egress.connectCorrelationId, ErrorCode.INVALID_ARGUMENT,
                "response channel " + egress.responseChannel + " carries frames up to " +
                publication.maxMessageLength() + " bytes, but this daemon sends up to " + maxMessageLength +
                " (ringmq.max.message.bytes): use a term-length of at least " + 8L * maxMessageLength);
            framesNotSent.addAndGet(egress.sendOnlyThenLose(
                encoder.buffer(), length, "response channel too small for ringmq.max.message.bytes"));
        }
        return true;
    }

    public void onReceipt(final long sessionId, final long correlationId, final long sequence)
    {
        send(sessionId, encoder.receipt(correlationId, sequence, epoch));
    }

    public void onSubscribed(final long sessionId, final long correlationId, final long consumerId)
    {
        send(sessionId, encoder.subscribed(correlationId, consumerId));
    }

    @Override
    public void onAttached(
        final long sessionId,
        final long correlationId,
        final long subscriptionId,
        final long consumerId,
        final String queue)
    {
        send(sessionId, encoder.attached(correlationId, subscriptionId, consumerId, queue));
    }

    public void onDeliver(final long sessionId, final long consumerId, final int attempt, final MessageView message)
    {
        send(sessionId, encoder.deliver(consumerId, attempt, message));
    }

    public void onReplied(
        final long sessionId,
        final long requestId,
        final DirectBuffer payload,
        final int payloadLength,
        final DirectBuffer headers,
        final int headersLength)
    {
        send(sessionId, encoder.replied(requestId, payload, payloadLength, headers, headersLength));
    }

    public void onError(final long sessionId, final long correlationId, final ErrorCode code, final String message)
    {
        send(sessionId, encoder.error(correlationId, code, message));
    }

    public void onBrowsed(final long sessionId, final long correlationId, final MessageView message)
    {
        send(sessionId, encoder.browsed(correlationId, message));
    }

    public void onAdminDone(final long sessionId, final long correlationId, final long count)
    {
        send(sessionId, encoder.adminDone(correlationId, count));
    }

    public void onQueueStats(
        final long sessionId,
        final long correlationId,
        final QueueCounters counters,
        final long inFlight,
        final int groups,
        final int consumers)
    {
        send(sessionId, encoder.queueStats(correlationId, counters, inFlight, groups, consumers));
    }

    public void onQueueListed(
        final long sessionId, final long correlationId, final QueueFigures queue, final long dlqDepth)
    {
        send(sessionId, encoder.queueListed(correlationId, queue, dlqDepth));
    }

    public void onGroupListed(
        final long sessionId, final long correlationId, final QueueFigures queue, final int groupIndex)
    {
        send(sessionId, encoder.groupListed(correlationId, queue, groupIndex));
    }

    /** Closes every egress publication; called when the daemon stops. */
    public void closeAll()
    {
        sessions.values().forEach(this::close);
        sessions.clear();
    }

    /** Adds the frame just encoded to what the session gets at the batch's end. */
    private void send(final long sessionId, final int length)
    {
        final SessionEgress egress = sessions.get(sessionId);
        if (null == egress || egress.lost || null != egress.loseOnceSent)
        {
            framesNotSent.incrementAndGet();
            return;
        }
        final DirectBuffer frame = encoder.buffer();
        if (null == egress.publication)
        {
            enqueue(egress, frame, length); // it waits, in order, for the publication to exist
            return;
        }
        if (egress.gathered + length > egress.gather.capacity())
        {
            offerGathered(egress);
            if (egress.lost)
            {
                framesNotSent.incrementAndGet(); // this frame too
                return;
            }
        }
        if (length > egress.gather.capacity())
        {
            offerOrQueue(egress, frame, length); // larger than one unfragmented message: it goes alone, after the rest
            return;
        }
        if (0 == egress.gathered)
        {
            gathering.add(egress);
        }
        egress.gather(frame, length);
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
        if (egress.lost)
        {
            notSent(egress.gather, length);
            return;
        }
        offerOrQueue(egress, egress.gather, length);
    }

    /** Offers frames at once if nothing waits before them, else (or if there is no room) queues them in order. */
    private void offerOrQueue(final SessionEgress egress, final DirectBuffer frames, final int length)
    {
        if (egress.pending.isEmpty() && egress.offer(frames, 0, length))
        {
            return;
        }
        if (egress.lost)
        {
            notSent(frames, length);
            return;
        }
        enqueue(egress, frames, length);
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
                if (egress.sendWaiting() > 0)
                {
                    egress.lastProgressNs = nowNs;
                }
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
                framesNotSent.addAndGet(egress.releaseWaiting()); // none unless lost
                waiting.set(i, waiting.get(waiting.size() - 1));
                waiting.remove(waiting.size() - 1);
            }
        }
        return !waiting.isEmpty();
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
            notSent(frames, length);
            lose(egress, "more than " + sessionBufferBytes + " bytes of responses unread");
        }
    }

    /**
     * Its waiting frames are counted as not sent when they are released, in {@link #flushPending()}. A session's
     * egress closes when its SessionLost has been journaled and applied; a refusal's, which has no session, at once.
     */
    private void lose(final SessionEgress egress, final String why)
    {
        egress.lost = true;
        if (egress.refusal)
        {
            LOG.debug("answer to a refused connect (correlation id {}) done: {}", egress.connectCorrelationId, why);
            sessions.remove(egress.sessionId);
            refusalsPending--;
            close(egress);
            return;
        }
        LOG.info("session {} lost ({}): closing it", egress.sessionId, why);
        sessionLost.accept(egress.sessionId);
    }
}
