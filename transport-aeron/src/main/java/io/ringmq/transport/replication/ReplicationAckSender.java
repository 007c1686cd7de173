package io.ringmq.transport.replication;

import io.aeron.ExclusivePublication;
import io.ringmq.transport.OfferOutcome;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.Supplier;

/**
 * The standby's end of the ack stream: tells the primary the highest log sequence it covers (received or journaled,
 * per the ack mode). An ack that cannot go now is sent on a later call: only the newest matters.
 * <p>
 * Not thread-safe: owned by the standby's follower agent.
 */
public final class ReplicationAckSender implements AutoCloseable
{
    private final Supplier<ExclusivePublication> publications;
    private ExclusivePublication publication;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[ReplicationFrames.ACK_LENGTH]);
    private final EpochFence fence;
    private long sentLogSequence;

    /**
     * @param publications    adds a publication to the primary's ack endpoint (again at each {@link #renew()}).
     * @param sentLogSequence what the primary need not be told (the standby's last recovered command).
     */
    public ReplicationAckSender(final Supplier<ExclusivePublication> publications, final long sentLogSequence)
    {
        this(publications, sentLogSequence, new EpochFence(EpochFence.FIRST_EPOCH));
    }

    /** @param fence whose epoch (the newest the standby has taken frames of) every ack carries. */
    public ReplicationAckSender(
        final Supplier<ExclusivePublication> publications, final long sentLogSequence, final EpochFence fence)
    {
        this.fence = fence;
        this.publications = publications;
        this.publication = publications.get();
        this.sentLogSequence = sentLogSequence;
    }

    /**
     * Replaces the publication: a primary that restarted listens at the same endpoint with a new subscription, which
     * the old publication would reach only after Aeron's connection timeout (seconds of held receipts); a new one
     * sets up at once.
     */
    public void renew()
    {
        CloseHelper.quietClose(publication);
        publication = publications.get();
    }

    /**
     * Acks everything up to {@code coveredLogSequence} unless that was already sent.
     *
     * @return 1 if an ack went out, else 0 (nothing new, or the primary cannot take it now: call again).
     */
    public int ack(final long coveredLogSequence)
    {
        if (coveredLogSequence <= sentLogSequence)
        {
            return 0;
        }
        ReplicationFrames.writeAck(frame, coveredLogSequence, fence.epoch());
        if (OfferOutcome.SENT != OfferOutcome.offer(publication, frame, 0, ReplicationFrames.ACK_LENGTH))
        {
            return 0;
        }
        sentLogSequence = coveredLogSequence;
        return 1;
    }

    /** The highest log sequence acked so far. */
    public long sentLogSequence()
    {
        return sentLogSequence;
    }

    public void close()
    {
        publication.close();
    }
}
