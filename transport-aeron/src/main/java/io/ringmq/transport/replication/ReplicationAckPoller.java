package io.ringmq.transport.replication;

import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

/**
 * The primary's end of the ack stream: remembers the highest log sequence the standby has acked. Acks are cumulative,
 * so a lost or reordered one is covered by the next.
 * <p>
 * Not thread-safe: polled by the replicator's ring thread.
 */
public final class ReplicationAckPoller implements FragmentHandler, AutoCloseable
{
    private static final int FRAGMENT_LIMIT = 16;

    private final Subscription subscription;
    private final long epoch;
    private volatile long ackedLogSequence;
    private long unknownFrames;
    private volatile long staleAcks;
    /** The epoch of a newer primary whose commands reached this node's ack endpoint; 0 while none has. */
    private volatile long newerEpoch;

    /** @param ackedLogSequence what counts as acked before the standby says anything (the last recovered command). */
    public ReplicationAckPoller(final Subscription subscription, final long ackedLogSequence)
    {
        this(subscription, ackedLogSequence, EpochFence.FIRST_EPOCH);
    }

    /**
     * @param ackedLogSequence what counts as acked before the standby says anything (the last recovered command).
     * @param epoch            the primary's epoch: an ack from a standby that has not taken a frame of it (a node
     *                         still following an older primary) acks nothing here.
     */
    public ReplicationAckPoller(final Subscription subscription, final long ackedLogSequence, final long epoch)
    {
        this.subscription = subscription;
        this.ackedLogSequence = ackedLogSequence;
        this.epoch = epoch;
    }

    /**
     * The epoch of a newer primary whose COMMANDS frames came to this node's endpoint (a standby promoted while this
     * node was away ships to it), or 0: this node has been replaced and must not serve.
     */
    public long newerEpoch()
    {
        return newerEpoch;
    }

    /** Acks that came from an older epoch than this primary's (counted, ignored). */
    public long staleAcks()
    {
        return staleAcks;
    }

    /** @return fragments read. */
    public int poll()
    {
        return subscription.poll(this, FRAGMENT_LIMIT);
    }

    /** The highest log sequence the standby has acked. */
    public long ackedLogSequence()
    {
        return ackedLogSequence;
    }

    /** Frames on the ack stream that were not acks of this version (counted, ignored). */
    public long unknownFrames()
    {
        return unknownFrames;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length >= ReplicationFrames.COMMANDS_HEADER_LENGTH &&
            ReplicationFrames.VERSION == ReplicationFrames.version(buffer, offset) &&
            ReplicationFrames.COMMANDS == ReplicationFrames.type(buffer, offset) &&
            ReplicationFrames.commandsEpoch(buffer, offset) > epoch)
        {
            newerEpoch = Math.max(newerEpoch, ReplicationFrames.commandsEpoch(buffer, offset));
            return;
        }
        if (length < ReplicationFrames.ACK_LENGTH ||
            ReplicationFrames.VERSION != ReplicationFrames.version(buffer, offset) ||
            ReplicationFrames.ACK != ReplicationFrames.type(buffer, offset))
        {
            unknownFrames++;
            return;
        }
        if (ReplicationFrames.ackEpoch(buffer, offset) < epoch)
        {
            staleAcks++; // single writer: the polling thread
            return;
        }
        ackedLogSequence = Math.max(ackedLogSequence, ReplicationFrames.ackLogSequence(buffer, offset));
    }

    public void close()
    {
        subscription.close();
    }
}
