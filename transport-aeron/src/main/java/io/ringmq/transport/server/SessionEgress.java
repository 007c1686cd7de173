package io.ringmq.transport.server;

import io.aeron.ExclusivePublication;
import io.ringmq.core.protocol.EgressFraming;
import io.ringmq.transport.OfferOutcome;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One client's egress: its publication once the media driver has made it, the frames gathered for it in this ring
 * batch, and the frames waiting, in order, for it to have room. A failure that means the client cannot be served
 * any more is reported to the {@link Loss} given at construction, which closes the session.
 * <p>
 * Not thread-safe: owned by the dispatch thread.
 */
final class SessionEgress implements ExpandableRingBuffer.MessageConsumer
{
    private static final int INITIAL_BUFFER_BYTES = 4096;

    /** Told when a session cannot be served any more. */
    @FunctionalInterface
    interface Loss
    {
        void onLost(SessionEgress egress, String why);
    }

    final long sessionId;
    /**
     * Carries only the answer to a refused Connect: no session of the state machine, a publication of the smallest
     * term, closed once the answer is sent (or the client stalls).
     */
    final boolean refusal;
    final long registrationId;
    final long connectCorrelationId;
    final String responseChannel;
    /** Frames waiting for room, in order; grows on demand up to the session buffer size. */
    final ExpandableRingBuffer pending;
    private final Loss loss;
    /** Null until the media driver has created it. */
    ExclusivePublication publication;
    /** Frames of this ring batch, newer than any waiting: as many as one message carries unfragmented. */
    UnsafeBuffer gather;
    int gathered;
    /** Set when the session must close once what waits has been sent: why. */
    String loseOnceSent;
    long lastProgressNs;
    boolean lost;
    /** Once a client has taken a frame, NOT_CONNECTED means it has gone rather than not arrived yet. */
    private boolean everConnected;
    private int waitingFrames;
    /** Counts the frames of each waiting message, for {@link #releaseWaiting()}; made once, so counting allocates nothing. */
    private final ExpandableRingBuffer.MessageConsumer frameCounter = (buffer, offset, length, headOffset) ->
    {
        waitingFrames += EgressFraming.frameCount(buffer, offset, length);
        return true;
    };

    SessionEgress(
        final long sessionId,
        final boolean refusal,
        final long registrationId,
        final long connectCorrelationId,
        final String responseChannel,
        final int maxBufferBytes,
        final Loss loss)
    {
        this.sessionId = sessionId;
        this.refusal = refusal;
        this.registrationId = registrationId;
        this.connectCorrelationId = connectCorrelationId;
        this.responseChannel = responseChannel;
        this.pending = new ExpandableRingBuffer(INITIAL_BUFFER_BYTES, maxBufferBytes, true);
        this.loss = loss;
    }

    void resolved(final ExclusivePublication publication)
    {
        this.publication = publication;
        this.gather = new UnsafeBuffer(new byte[publication.maxPayloadLength()]);
    }

    /** Adds a frame to this batch's message; the caller has checked that it fits. */
    void gather(final DirectBuffer frame, final int length)
    {
        gather.putBytes(gathered, frame, 0, length);
        gathered += length;
    }

    /**
     * Drops what waits (its Connected) for this one frame: a client that cannot be served is told why while a small
     * frame still reaches it, and once that is sent (or it stalls) its session is closed.
     */
    int sendOnlyThenLose(final DirectBuffer frame, final int length, final String why)
    {
        final int dropped = releaseWaiting();
        loseOnceSent = why;
        pending.append(frame, 0, length);
        return dropped;
    }

    /**
     * Empties what waits: a client that has caught up does not keep the buffer a burst grew; a lost one gets nothing
     * more.
     *
     * @return the frames that were still waiting, and so will never be sent.
     */
    int releaseWaiting()
    {
        waitingFrames = 0;
        pending.forEach(frameCounter, Integer.MAX_VALUE);
        pending.reset(INITIAL_BUFFER_BYTES);
        return waitingFrames;
    }

    /** Offers what waits, oldest first, until the client has no room; @return the bytes sent. */
    int sendWaiting()
    {
        return pending.consume(this, Integer.MAX_VALUE);
    }

    /** Each waiting frame in turn, from {@link #sendWaiting()}: false stops at the first the client has no room for. */
    public boolean onMessage(final MutableDirectBuffer frames, final int offset, final int length, final int headOffset)
    {
        return offer(frames, offset, length);
    }

    /**
     * @return true if the frames were sent; false if they must wait (or the client is gone, which is reported to the
     * {@link Loss}).
     */
    boolean offer(final DirectBuffer frames, final int offset, final int length)
    {
        if (length > publication.maxMessageLength())
        {
            // Aeron would throw. The ingress refuses any payload that could make a frame this large (PayloadLimit),
            // so this is a guard, not a path: a frame this client cannot take must still not stop the dispatcher. The
            // client cannot be served this frame: close its session.
            loss.onLost(this, "a " + length + " byte frame exceeds its channel's limit of " +
                publication.maxMessageLength());
            return false;
        }
        final OfferOutcome outcome = OfferOutcome.offer(publication, frames, offset, length);
        if (OfferOutcome.SENT == outcome)
        {
            everConnected = true;
            return true;
        }
        // Back-pressured, or not connected yet: wait for room. Gone: the client cannot be served any more.
        if (OfferOutcome.CLOSED == outcome || OfferOutcome.MAX_POSITION_EXCEEDED == outcome ||
            (OfferOutcome.NOT_CONNECTED == outcome && everConnected))
        {
            loss.onLost(this, "egress " + outcome);
        }
        return false;
    }
}
