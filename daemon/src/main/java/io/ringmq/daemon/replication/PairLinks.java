package io.ringmq.daemon.replication;

import com.lmax.disruptor.RingBuffer;
import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.ringmq.config.ReplicationAck;
import io.ringmq.config.ReplicationRole;
import io.ringmq.config.ReplicationStandbyLost;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.daemon.snapshot.SnapshotStore;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.replicator.NoReplication;
import io.ringmq.replicator.Replicator;
import io.ringmq.replicator.ShippingReplicator;
import io.ringmq.transport.replication.CatchUpAdapter;
import io.ringmq.transport.replication.CatchUpListener;
import io.ringmq.transport.replication.CatchUpPublisher;
import io.ringmq.transport.replication.CatchUpRequestPoller;
import io.ringmq.transport.replication.CatchUpRequester;
import io.ringmq.transport.replication.ReplicatedCommandSink;
import io.ringmq.transport.replication.ReplicationAckPoller;
import io.ringmq.transport.replication.ReplicationAckSender;
import io.ringmq.transport.replication.EpochFence;
import io.ringmq.transport.replication.PairHeartbeat;
import io.ringmq.transport.replication.ReplicationAdapter;
import io.ringmq.transport.replication.ReplicationChannels;
import io.ringmq.transport.replication.ReplicationFrames;
import io.ringmq.transport.replication.ReplicationPublisher;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;
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
    /** The longest a starting standby waits for the primary's answer (less when the ack timeout is shorter). */
    private static final long FETCH_WAIT_NS = TimeUnit.SECONDS.toNanos(1);

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
        return replicator(aeron, config, identity, lastLogSequence, nanoClock, epoch, false);
    }

    /**
     * @param standbyGone the node that would be the standby is known lost (a standby promoted automatically replaced
     *                    it): under {@code standby.lost=continue} receipts do not wait for it at first.
     */
    public static Replicator replicator(
        final Aeron aeron,
        final RingmqConfig config,
        final PairIdentity identity,
        final long lastLogSequence,
        final NanoClock nanoClock,
        final long epoch,
        final boolean standbyGone)
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
            ReplicationChannels.receiving(identity.ownEndpoint()), config.replicationStreamId()),
            lastLogSequence, epoch);
        final ShippingReplicator replicator = new ShippingReplicator(publisher, acks,
            ReplicationAck.NONE != config.replicationAck(), config.replicationAckTimeoutNs(),
            ReplicationStandbyLost.CONTINUE == config.replicationStandbyLost(), nanoClock, waitIdleStrategy());
        return standbyGone ? replicator.outOfSyncFrom(lastLogSequence) : replicator;
    }

    /**
     * The primary's catch-up server (run it on a thread of its own): answers the standby's requests for what it
     * misses from this journal, or from the newest snapshot when the journal no longer holds the range.
     *
     * @param epochFirstLogSequence the first log sequence of {@code epoch}: a standby of an older epoch whose log
     *                              reaches it diverged there (see {@link EpochDivergence}).
     */
    public static CatchUpServer catchUpServer(
        final Aeron aeron,
        final RingmqConfig config,
        final PairIdentity identity,
        final long epoch,
        final long epochFirstLogSequence,
        final ChronicleJournal journal,
        final SnapshotStore snapshots,
        final NanoClock nanoClock)
    {
        final int streamId = ReplicationFrames.catchUpStreamId(config.replicationStreamId());
        final int maxCommandLength = CommandHeader.LENGTH + config.maxMessageBytes();
        return new CatchUpServer(
            new CatchUpRequestPoller(aeron.addSubscription(
                ReplicationChannels.receiving(identity.ownEndpoint()), streamId)),
            new CatchUpPublisher(aeron.addExclusivePublication(ReplicationChannels.catchUpSending(
                identity.peerEndpoint(), ReplicationPublisher.termLengthFor(maxCommandLength),
                config.replicationCatchUpMtu()), streamId),
                maxCommandLength, epoch),
            journal,
            snapshots,
            config.replicationCatchUpMaxBytesPerSecond(),
            nanoClock,
            epoch,
            epochFirstLogSequence);
    }

    /**
     * Failure detection between the two nodes (run it on a thread of its own, across role changes): heartbeats to the
     * other node's endpoint, the other's taken at this node's, on the heartbeat stream.
     *
     * @param role        this node's role now ({@link ReplicationFrames#ROLE_PRIMARY} or ROLE_STANDBY).
     * @param epoch       this node's epoch now.
     * @param logSequence this node's last log sequence now.
     * @param handoverListener told when the other node, a primary, hands over to this one.
     */
    public static PairHeartbeat heartbeat(
        final Aeron aeron,
        final RingmqConfig config,
        final PairIdentity identity,
        final NanoClock nanoClock,
        final IntSupplier role,
        final LongSupplier epoch,
        final LongSupplier logSequence,
        final PairHeartbeat.HandoverListener handoverListener)
    {
        final int streamId = ReplicationFrames.heartbeatStreamId(config.replicationStreamId());
        final String peer = ReplicationFrames.channel(identity.peerEndpoint(), ACK_TERM_LENGTH);
        return new PairHeartbeat(
            () -> aeron.addExclusivePublication(peer, streamId),
            aeron.addSubscription(ReplicationChannels.receiving(identity.ownEndpoint()), streamId),
            nanoClock,
            config.replicationHeartbeatIntervalNs(),
            config.replicationHeartbeatTimeoutNs(),
            role,
            epoch,
            logSequence,
            identity.peerEndpoint(),
            handoverListener,
            clientAddress(config, identity));
    }

    /**
     * Where clients reach this node, as its heartbeats tell the other node (which, as a standby, names it in its
     * NOT_PRIMARY redirect) and as a client lists nodes in ringmq.client.nodes: its UDP ingress endpoint, if it has
     * one (a wildcard host replaced by this node's pair host, which the other node reaches it by), then its Aeron
     * directory, comma-separated.
     */
    static String clientAddress(final RingmqConfig config, final PairIdentity identity)
    {
        final String directory = config.aeronDir().toAbsolutePath().toString();
        final String endpoint = config.ingressUdpChannel()
            .map((channel) -> ChannelUri.parse(channel).get(CommonContext.ENDPOINT_PARAM_NAME))
            .orElse(null);
        if (null == endpoint)
        {
            return directory;
        }
        final int colon = endpoint.lastIndexOf(':');
        final String host = endpoint.substring(0, colon);
        final String ownHost = identity.ownEndpoint().substring(0, identity.ownEndpoint().lastIndexOf(':'));
        final boolean wildcard = "0.0.0.0".equals(host) || "[::]".equals(host) || "::".equals(host);
        return (wildcard ? ownHost + endpoint.substring(colon) : endpoint) + ", " + directory;
    }

    /**
     * How the heartbeat idles: a heartbeat is due every tens of milliseconds, so it sleeps a millisecond between duty
     * cycles (detection is as late as that, at most).
     */
    public static IdleStrategy heartbeatIdleStrategy()
    {
        return new SleepingMillisIdleStrategy(1);
    }

    /** How the catch-up server idles: parks up to a millisecond, so a primary with no catch-up to serve pays little. */
    public static IdleStrategy catchUpIdleStrategy()
    {
        return new BackoffIdleStrategy(1, 10, 1_000, 1_000_000);
    }

    /**
     * The standby's first step at start (see {@link StandbySnapshotFetch}): the primary's newest snapshot, installed
     * in {@code snapshots}, if the primary's journal no longer holds what this standby misses; or the point where this
     * node's log left the primary's history, if it did.
     *
     * @param epoch the epoch of this node's log (its recovered state's).
     */
    public static StandbySnapshotFetch.Answer askPrimaryAtStart(
        final Aeron aeron,
        final RingmqConfig config,
        final PairIdentity identity,
        final SnapshotStore snapshots,
        final long lastLogSequence,
        final long epoch,
        final NanoClock nanoClock)
    {
        return StandbySnapshotFetch.run(links(aeron, config, identity, new EpochFence(EpochFence.FIRST_EPOCH)),
            snapshots, lastLogSequence, epoch, nanoClock, Math.min(config.replicationAckTimeoutNs(), FETCH_WAIT_NS),
            waitIdleStrategy());
    }

    /**
     * The standby's ingress.
     *
     * @param appendedSequence the ring sequence the journal handler has appended (read for mode journaled).
     * @param syncedSequence   the ring sequence synced: the sync stage's (JournalStages#syncedSequence), which passes
     *                         a batch once its fsync returned (read for mode synced).
     * @param fence            the newest epoch this standby has taken: refuses older primaries' frames. At the
     *                         recovered state's epoch when it starts: the epoch of the log the follower goes on from.
     * @param onDiverged       told the log sequence from which this standby's records left the primary's history.
     */
    public static StandbyFollower follower(
        final Aeron aeron,
        final RingmqConfig config,
        final PairIdentity identity,
        final RingBuffer<CommandEvent> ring,
        final NanoClock nanoClock,
        final LongSupplier appendedSequence,
        final LongSupplier syncedSequence,
        final long lastLogSequence,
        final EpochFence fence,
        final SnapshotStore snapshots,
        final LongConsumer onSnapshotInstalled,
        final LongConsumer onDiverged)
    {
        final String acks = ReplicationFrames.channel(identity.peerEndpoint(), ACK_TERM_LENGTH);
        final ReplicationAckSender ackSender = new ReplicationAckSender(
            () -> aeron.addExclusivePublication(acks, config.replicationStreamId()), lastLogSequence, fence);
        return new StandbyFollower(
            links(aeron, config, identity, fence),
            new SnapshotReceiver(snapshots),
            ring,
            nanoClock,
            ackSender,
            ackedSequence(config.replicationAck(), appendedSequence, syncedSequence),
            lastLogSequence,
            onSnapshotInstalled,
            fence,
            onDiverged);
    }

    private static StandbyFollower.Links links(
        final Aeron aeron, final RingmqConfig config, final PairIdentity identity, final EpochFence fence)
    {
        final String standbyEndpoint = ReplicationChannels.receiving(identity.ownEndpoint());
        final String catchUpEndpoint = ReplicationChannels.catchUpReceiving(identity.ownEndpoint());
        final int catchUpStreamId = ReplicationFrames.catchUpStreamId(config.replicationStreamId());
        return new StandbyFollower.Links()
        {
            public ReplicationAdapter live(final StandbyFollower follower)
            {
                return new ReplicationAdapter(aeron.addSubscription(standbyEndpoint, config.replicationStreamId(),
                    (image) -> follower.onPrimaryImage(), (image) -> {}), follower, fence);
            }

            public CatchUpAdapter catchUp(final ReplicatedCommandSink sink, final CatchUpListener listener)
            {
                return new CatchUpAdapter(
                    aeron.addSubscription(catchUpEndpoint, catchUpStreamId), sink, listener, fence);
            }

            public CatchUpRequester requester()
            {
                return new CatchUpRequester(aeron.addExclusivePublication(
                    ReplicationFrames.channel(identity.peerEndpoint(), ACK_TERM_LENGTH), catchUpStreamId));
            }
        };
    }

    /**
     * The journal handler's ring sequence an ack may cover, per the mode; null for received (and none): what is on the
     * ring. JOURNALED is what the handler appended, whatever the sync stage after it is doing: with the standby's own
     * fsync per batch (BATCH, the default) a busy disk spends most of a second in msync, and an ack that waited for it
     * made {@code journaled} cost what {@code synced} costs (seconds per ack on a loaded disk: the stall the perf rows
     * found). SYNCED is JOURNALED under the BATCH fsync the config requires for it: the sync stage passes a batch only
     * once its sync returned.
     */
    static LongSupplier ackedSequence(
        final ReplicationAck ack, final LongSupplier appendedSequence, final LongSupplier syncedSequence)
    {
        return switch (ack)
        {
            case JOURNALED -> appendedSequence;
            case SYNCED -> syncedSequence;
            default -> null;
        };
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
