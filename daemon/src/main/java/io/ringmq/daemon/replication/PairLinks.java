package io.ringmq.daemon.replication;

import com.lmax.disruptor.RingBuffer;
import io.aeron.Aeron;
import io.ringmq.config.ReplicationAck;
import io.ringmq.config.ReplicationRole;
import io.ringmq.config.ReplicationStandbyLost;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.replicator.NoReplication;
import io.ringmq.replicator.Replicator;
import io.ringmq.replicator.ShippingReplicator;
import io.ringmq.transport.replication.ReplicationAckPoller;
import io.ringmq.transport.replication.ReplicationAckSender;
import io.ringmq.transport.replication.EpochFence;
import io.ringmq.transport.replication.ReplicationAdapter;
import io.ringmq.transport.replication.ReplicationFrames;
import io.ringmq.transport.replication.ReplicationPublisher;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

import java.util.function.LongSupplier;

/**
 * Builds each end of a replicated pair from the config: the primary's {@link ShippingReplicator} (commands to the
 * other node's endpoint, acks at its own), the standby's {@link StandbyFollower} (the reverse). Both nodes get the
 * same two endpoints; {@link PairIdentity} says which is this node's, the role picks the ends.
 */
public final class PairLinks
{
    /** Acks are 16 bytes: the smallest term Aeron allows is plenty, and keeps the Aeron directory small. */
    private static final int ACK_TERM_LENGTH = 64 * 1024;

    private PairLinks()
    {
    }

    /** Whether this node runs as the standby of a pair. */
    public static boolean isStandby(final RingmqConfig config)
    {
        return config.replicationEnabled() && ReplicationRole.STANDBY == config.replicationRole();
    }

    /**
     * The primary's replicator, or {@link NoReplication} when no pair is configured.
     *
     * @param identity        this node's endpoint and the other's; null without a pair.
     * @param lastLogSequence the last command recovered at start: the standby is taken to have it.
     * @param epoch           the epoch this primary serves in: in every frame, and the oldest its acks may be of.
     */
    public static Replicator replicator(
        final Aeron aeron,
        final RingmqConfig config,
        final PairIdentity identity,
        final long lastLogSequence,
        final NanoClock nanoClock,
        final long epoch)
    {
        if (null == identity)
        {
            return new NoReplication();
        }
        final int maxCommandLength = CommandHeader.LENGTH + config.maxMessageBytes();
        final ReplicationPublisher publisher = new ReplicationPublisher(aeron.addExclusivePublication(
            ReplicationFrames.channel(identity.peerEndpoint(), ReplicationPublisher.termLengthFor(maxCommandLength)),
            config.replicationStreamId()), maxCommandLength, epoch);
        final ReplicationAckPoller acks = new ReplicationAckPoller(aeron.addSubscription(
            ReplicationFrames.channel(identity.ownEndpoint(), 0), config.replicationStreamId()),
            lastLogSequence, epoch);
        return new ShippingReplicator(publisher, acks, ReplicationAck.NONE != config.replicationAck(),
            config.replicationAckTimeoutNs(), ReplicationStandbyLost.CONTINUE == config.replicationStandbyLost(),
            nanoClock, waitIdleStrategy());
    }

    /**
     * The standby's ingress.
     *
     * @param journalSequence the journal handler's ring sequence (read for mode journaled).
     * @param fence           the newest epoch this standby has taken: refuses older primaries' frames.
     */
    public static StandbyFollower follower(
        final Aeron aeron,
        final RingmqConfig config,
        final PairIdentity identity,
        final RingBuffer<CommandEvent> ring,
        final NanoClock nanoClock,
        final LongSupplier journalSequence,
        final long lastLogSequence,
        final EpochFence fence)
    {
        final String acks = ReplicationFrames.channel(identity.peerEndpoint(), ACK_TERM_LENGTH);
        final ReplicationAckSender ackSender = new ReplicationAckSender(
            () -> aeron.addExclusivePublication(acks, config.replicationStreamId()), lastLogSequence, fence);
        final String commands = ReplicationFrames.channel(identity.ownEndpoint(), 0);
        return new StandbyFollower(
            (follower) -> new ReplicationAdapter(aeron.addSubscription(commands, config.replicationStreamId(),
                (image) -> follower.onPrimaryImage(), (image) -> {}), follower, fence),
            ring,
            nanoClock,
            ackSender,
            ackedAfterJournal(config.replicationAck()) ? journalSequence : null,
            lastLogSequence);
    }

    /** SYNCED is JOURNALED under the BATCH fsync the config requires for it: the journal stage syncs, then passes. */
    private static boolean ackedAfterJournal(final ReplicationAck ack)
    {
        return ReplicationAck.JOURNALED == ack || ReplicationAck.SYNCED == ack;
    }

    /**
     * How the replicator waits for the standby and the follower for the primary: mostly yields (an ack is one
     * loopback round trip, tens of microseconds), then parks up to 100 us; never a busy spin on a shared machine.
     */
    public static IdleStrategy waitIdleStrategy()
    {
        return new BackoffIdleStrategy(1, 100, 1_000, 100_000);
    }
}
