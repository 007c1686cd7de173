package io.ringmq.transport.replication;

import io.aeron.ExclusivePublication;
import io.ringmq.transport.OfferOutcome;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The standby's request for what it misses: "everything after log sequence N", sent to the primary's catch-up
 * subscription. Each request has a new id; the primary serves one request at a time, the newest.
 * <p>
 * Not thread-safe: owned by the standby's follower agent (or the start-up snapshot fetch, before it).
 */
public final class CatchUpRequester implements AutoCloseable
{
    private final ExclusivePublication publication;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[ReplicationFrames.CATCHUP_REQUEST_LENGTH]);
    private int lastRequestId;

    public CatchUpRequester(final ExclusivePublication publication)
    {
        this.publication = publication;
        // Ids count from a random start, so an answer still on its way to an earlier requester (the standby's
        // start-up snapshot fetch, or its previous run) is never taken for an answer to this one's request.
        this.lastRequestId = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE / 2);
    }

    /**
     * Asks for every command after {@code afterLogSequence}.
     *
     * @param flags 0, or {@link ReplicationFrames#SNAPSHOT_ONLY}.
     * @param epoch the epoch whose primary's log this standby's is, up to {@code afterLogSequence}: the primary
     *              answers with the point of divergence instead of commands when a newer epoch began before it.
     * @return the request's id (never 0), or 0 if it could not go now (no primary listening, or back-pressure): ask
     *         again.
     */
    public int request(final long afterLogSequence, final int flags, final long epoch)
    {
        final int requestId = Integer.MAX_VALUE == lastRequestId ? 1 : lastRequestId + 1; // never 0, "none"
        ReplicationFrames.writeCatchUpRequest(frame, requestId, afterLogSequence, flags, epoch);
        if (OfferOutcome.SENT != OfferOutcome.offer(publication, frame, 0, ReplicationFrames.CATCHUP_REQUEST_LENGTH))
        {
            return 0;
        }
        lastRequestId = requestId;
        return requestId;
    }

    /** Whether the primary's catch-up subscription is there to take a request. */
    public boolean isConnected()
    {
        return publication.isConnected();
    }

    public void close()
    {
        publication.close();
    }
}
