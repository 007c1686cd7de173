package io.ringmq.transport.replication;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standby's side of fencing: the newest epoch it has taken replication frames of. A frame of an older epoch comes
 * from a primary that has since been replaced (a standby promoted past it): it is refused, counted, and logged the
 * first time, so an old primary that comes back cannot feed this node. A frame of a newer epoch is taken and raises
 * the epoch: that is how a standby learns that its primary was promoted. Acks carry the epoch too, so a primary can
 * tell an ack from a node still following an older epoch. Full fencing (leases, a witness) is the next step.
 * <p>
 * Written by the follower's agent thread; {@link #epoch()} and {@link #refusedFrames()} are safe from any thread.
 */
public final class EpochFence
{
    private static final Logger LOG = LoggerFactory.getLogger(EpochFence.class);
    /** A pair's first epoch: a journal without an EpochStarted is in it. */
    public static final long FIRST_EPOCH = 1;

    private volatile long epoch;
    private volatile long refusedFrames;

    /** @param epoch the epoch this node recovered (its state's). */
    public EpochFence(final long epoch)
    {
        this.epoch = epoch;
    }

    /** Whether a frame of {@code frameEpoch} may be taken; takes a newer epoch as this node's. */
    boolean admit(final long frameEpoch)
    {
        if (frameEpoch >= epoch)
        {
            epoch = frameEpoch;
            return true;
        }
        if (0 == refusedFrames)
        {
            LOG.warn("replication: refused a frame of epoch {} from an older primary: this node has taken epoch {} " +
                "(further refusals are counted, not logged)", frameEpoch, epoch);
        }
        refusedFrames++; // single writer: the follower's thread
        return false;
    }

    /** The newest epoch this node has taken frames of (or recovered). */
    public long epoch()
    {
        return epoch;
    }

    /** Frames refused for an epoch older than {@link #epoch()}. */
    public long refusedFrames()
    {
        return refusedFrames;
    }
}
