package io.ringmq.daemon;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.exceptions.RegistrationException;
import io.ringmq.config.ReplicationAck;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.daemon.counters.DaemonCounters;
import io.ringmq.daemon.failover.PrimaryLease;
import io.ringmq.daemon.failover.WitnessLink;
import io.ringmq.daemon.failover.WitnessRegistry;
import io.ringmq.daemon.counters.RingmqCounter;
import io.ringmq.daemon.metrics.PrometheusEndpoint;
import io.ringmq.daemon.metrics.StageIntervalLog;
import io.ringmq.daemon.pipeline.ClientPresence;
import io.ringmq.daemon.pipeline.DispatchHandler;
import io.ringmq.daemon.pipeline.LimitStats;
import io.ringmq.daemon.pipeline.CommandRingProducer;
import io.ringmq.daemon.pipeline.JournalSyncWakeUp;
import io.ringmq.daemon.pipeline.RunDefaults;
import io.ringmq.daemon.pipeline.RingFailure;
import io.ringmq.daemon.pipeline.StorageHeadroom;
import io.ringmq.daemon.pipeline.Stage;
import io.ringmq.daemon.pipeline.StageHistograms;
import io.ringmq.daemon.pipeline.StageRecordingSink;
import io.ringmq.daemon.pipeline.StageTimedHandler;
import io.ringmq.daemon.pipeline.TickDemand;
import io.ringmq.core.state.StateDigest;
import io.ringmq.daemon.pipeline.StateReadLock;
import io.ringmq.daemon.replication.CatchUpServer;
import io.ringmq.daemon.replication.NodeAdminResponder;
import io.ringmq.daemon.replication.PairIdentity;
import io.ringmq.daemon.replication.PairLinks;
import io.ringmq.daemon.replication.StandbyFollower;
import io.ringmq.daemon.snapshot.Snapshotter;
import io.ringmq.journal.BatchCommit;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.FsyncPolicy;
import io.ringmq.journal.JournalHandler;
import io.ringmq.journal.JournalRetention;
import io.ringmq.replicator.NoReplication;
import io.ringmq.replicator.Replicator;
import io.ringmq.transport.NodeStatus;
import io.ringmq.transport.replication.EpochFence;
import io.ringmq.transport.replication.PairHeartbeat;
import io.ringmq.transport.replication.ReplicationFrames;
import io.ringmq.transport.server.ConnectAdmission;
import io.ringmq.transport.server.NodeAnswers;
import io.ringmq.transport.server.StandbyIngress;
import io.ringmq.transport.server.EgressFlusher;
import io.ringmq.transport.server.EgressPublisher;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The ringmq appliance, assembled from a validated {@link RingmqConfig}:
 * <pre>
 *  Aeron ─▶ IngressAdapter ─▶ CommandRingProducer ─▶ ring ─┬▶ JournalHandler (Chronicle) ─┬▶ DispatchHandler ─┐
 *          (transport-aeron)   (ingress agent)              └▶ Replicator ─────────────────┘  (QueueStateMachine)
 *  Aeron ◀─ EgressPublisher (transport-aeron) ◀──────────────────────────────────────────────────────────────┘
 * </pre>
 * Start-up replays the journal through the state machine with outputs suppressed, then journals a NodeStarted
 * command (closing the previous run's sessions, so their in-flight messages are delivered again) before any
 * client command is taken. {@link #close()} stops ingress first, then drains the ring, so nothing taken is lost.
 */
public final class Daemon implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    /** Written into the Aeron directory so bin/ringmq-sweep-shm can tell live daemons from dead ones. */
    public static final String PID_FILE = "ringmq.pid";
    /** How long a stop waits for the ring to drain, and for each ring thread to end, before it gives up on them. */
    private static final long STOP_TIMEOUT_S = 30;

    private final DaemonContext ctx;
    private final RingmqConfig config;
    private final StageHistograms histograms = new StageHistograms();
    /** Whether any client is connected: the embedded media driver parks longer when idle only while none is. */
    private final ClientPresence clientPresence = new ClientPresence();
    /** The Disruptor's handler threads, joined at close. */
    private final List<Thread> ringThreads = new CopyOnWriteArrayList<>();
    private MediaDriver mediaDriver;
    private Aeron aeron;
    /** Its counters in the driver's CnC file, read by `ringmq stat` and the Prometheus endpoint. */
    private DaemonCounters counters;
    /** Null unless ringmq.metrics.prometheus.port is set. */
    private PrometheusEndpoint prometheus;
    /** Null unless ringmq.metrics.hlog.path is set. */
    private StageIntervalLog hlog;
    private ChronicleJournal journal;
    private JournalRetention retention;
    private volatile Disruptor<CommandEvent> disruptor;
    /** The ring's journal handler (a promotion starts a new one), for the counters' sampler. */
    private volatile JournalHandler journaling;
    private RingFailure ringFailure;
    private final Object fatalErrorLock = new Object();
    private Runnable fatalErrorListener;
    private EgressPublisher egress;
    private QueueStateMachine stateMachine;
    private Snapshotter snapshotter;
    private LimitStats limitStats;
    private DispatchHandler dispatchHandler;
    private volatile Replicator replicator = new NoReplication();
    /** The standby's ingress; null on a primary. */
    private volatile StandbyFollower follower;
    /** Whether the node runs as a standby now. */
    private volatile boolean standby;
    /** The standby's client ingress: node requests only; null on a primary. */
    private StandbyIngress standbyIngress;
    /** The newest epoch the standby has taken frames of; null on a primary. */
    private EpochFence fence;
    private PairIdentity pair;
    private FsyncPolicy fsync;
    /** The client ingress subscriptions: the standby's ingress reads them, then the primary's after a promotion. */
    private Subscription[] ingressSubscriptions;
    private final StateReadLock stateLock = new StateReadLock();
    /** Used by status requests only, on the node-admin thread, inside the state lock. */
    private final StateDigest digest = new StateDigest();
    private NodeAdminResponder nodeAdmin;
    private long recoveredSnapshotLogSequence;
    /** The primary's catch-up server and its thread; null on a standby or without a pair. */
    private CatchUpServer catchUp;
    private AgentRunner catchUpRunner;
    private volatile PairHeartbeat heartbeat;
    private AgentRunner heartbeatRunner;
    /** The epoch this node serves or follows in now: what its heartbeats carry. */
    private volatile long currentEpoch;
    /** A standby told to take over by its handing-over primary: acted on once. */
    private final AtomicBoolean takingOver = new AtomicBoolean();
    /** The primary's lease from the witness, and the link that renews it (or promotes); null without a witness. */
    private PrimaryLease lease;
    private WitnessLink witnessLink;
    private AgentRunner witnessRunner;
    /** Set while a promotion the witness granted runs: the replaced primary, this node's standby-to-be, is lost. */
    private boolean promotedAutomatically;
    private volatile CommandRingProducer ingress;
    private AgentRunner ingressRunner;
    private ScheduledExecutorService statsReporter;
    private long recoveredCommands;
    private boolean closed;

    private Daemon(final DaemonContext ctx)
    {
        this.ctx = ctx;
        this.config = ctx.settings();
    }

    /**
     * Starts a daemon as the context says; returns once it takes client commands. The daemon concludes the context,
     * owns it from then on and closes it when it closes.
     *
     * @throws IllegalStateException if another daemon or media driver already uses the configured Aeron directory.
     */
    public static Daemon launch(final DaemonContext ctx)
    {
        final Daemon daemon = new Daemon(ctx.conclude());
        try
        {
            daemon.start();
            return daemon;
        }
        catch (final RuntimeException | Error ex)
        {
            daemon.close();
            throw ex;
        }
    }

    private void start()
    {
        final String aeronDir = config.aeronDir().toString();
        if (config.aeronEmbedded())
        {
            // A pair's UDP link goes through the driver: it must not park long while the primary has no client.
            mediaDriver = EmbeddedMediaDriver.launch(config,
                config.replicationEnabled() ? () -> false : clientPresence::none);
        }
        ctx.concludeErrorHandling(); // the Aeron directory is this daemon's: a refused start made no data directory
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir).clientName("ringmq-daemon"));
        counters = new DaemonCounters(aeron);

        Recovery recovery = Recovery.run(config, ctx.epochNanoClock(), ctx.nanoClock(), ctx.journalRollClock());
        pair = PairIdentity.of(config);
        if (PairLinks.isStandby(config) && 0 != PairLinks.fetchSnapshotIfBehind(aeron, config, pair,
            Recovery.snapshotStore(config), recovery.stateMachine.lastLogSequence(), ctx.nanoClock()))
        {
            recovery.close(); // again, from the primary's snapshot just installed
            recovery = Recovery.run(config, ctx.epochNanoClock(), ctx.nanoClock(), ctx.journalRollClock());
        }
        stateMachine = recovery.stateMachine;
        journal = recovery.journal;
        retention = recovery.retention;
        snapshotter = recovery.snapshotter;
        recoveredSnapshotLogSequence = recovery.snapshotLogSequence;
        recoveredCommands = recovery.replayedCommands;
        fsync = recovery.fsync;

        final List<Subscription> subscriptions = new ArrayList<>();
        config.ingressChannels().forEach((key, channel) -> subscriptions.add(addIngressSubscription(key, channel)));
        ingressSubscriptions = subscriptions.toArray(new Subscription[0]);
        ringFailure = new RingFailure(ctx.errorHandler(), this::onRingFailure);
        nodeAdmin = new NodeAdminResponder(new PairNode(),
            new NodeAnswers(aeron, ctx.nanoClock(), config.clientConnectTimeoutNs()));
        if (null != pair && config.witnessEnabled())
        {
            lease = new PrimaryLease(ctx.nanoClock());
        }
        if (PairLinks.isStandby(config))
        {
            startStandby();
        }
        else
        {
            startPrimary(false);
        }
        startHeartbeat();
        startWitnessLink();
        startCounters();
        startStatsReporter();
    }

    /** Heartbeats with the other node of a pair, on a thread of their own that outlives role changes. */
    private void startHeartbeat()
    {
        if (null == pair)
        {
            return;
        }
        heartbeat = PairLinks.heartbeat(aeron, config, pair, ctx.nanoClock(),
            () -> standby ? ReplicationFrames.ROLE_STANDBY : ReplicationFrames.ROLE_PRIMARY,
            this::followedEpoch,
            this::pairLogSequence,
            this::onHandover);
        heartbeatRunner = new AgentRunner(PairLinks.heartbeatIdleStrategy(), ctx.errorHandler(), null, heartbeat);
        AgentRunner.startOnThread(heartbeatRunner);
    }

    /**
     * The link to the witness (automatic failover), on a thread of its own that outlives role changes: renews the
     * primary's lease; promotes the standby once the witness grants it the next epoch.
     */
    private void startWitnessLink()
    {
        if (null == lease)
        {
            return;
        }
        final int self = pair.ownEndpoint().equals(config.replicationPrimaryEndpoint()) ?
            WitnessRegistry.NODE_OF_PRIMARY_ENDPOINT : WitnessRegistry.NODE_OF_STANDBY_ENDPOINT;
        final int peer = WitnessRegistry.NODE_OF_PRIMARY_ENDPOINT + WitnessRegistry.NODE_OF_STANDBY_ENDPOINT - self;
        final String ownHost = pair.ownEndpoint().substring(0, pair.ownEndpoint().lastIndexOf(':'));
        witnessLink = new WitnessLink(aeron, config.replicationWitnessEndpoint(), ownHost, self,
            new WitnessLink.Node()
            {
                public boolean isStandby()
                {
                    return standby;
                }

                public long epoch()
                {
                    return followedEpoch();
                }

                public int inSyncStandby()
                {
                    final Replicator shipping = replicator;
                    return shipping.isActive() && shipping.inSync() && shipping.standbyConnected() && peerAlive() ?
                        peer : WitnessRegistry.NO_NODE;
                }

                public boolean mayPromote()
                {
                    final StandbyFollower following = follower;
                    return standby && null != following && !peerAlive() && !following.isCatchingUp() &&
                        0 == following.installedSnapshotLogSequence();
                }

                public void promote(final long epoch)
                {
                    final Thread promotion = new Thread(() -> promoteAutomatically(epoch), "ringmq-auto-promote");
                    promotion.setDaemon(true);
                    promotion.start();
                }
            },
            lease, ctx.nanoClock(), config.replicationWitnessLeaseNs());
        witnessRunner = new AgentRunner(PairLinks.heartbeatIdleStrategy(), ctx.errorHandler(), null, witnessLink);
        AgentRunner.startOnThread(witnessRunner);
    }

    /** Whether a receipt waits for the in-sync standby's ack now: what lets a primary without a lease serve. */
    private boolean receiptsWaitForStandby()
    {
        final Replicator shipping = replicator;
        return ReplicationAck.NONE != config.replicationAck() && shipping.isActive() && shipping.inSync();
    }

    /** The dispatcher, behind the lease's gate when a witness is configured. */
    private EventHandler<CommandEvent> leaseGated(final EventHandler<CommandEvent> dispatcher)
    {
        return null == lease ? dispatcher : lease.gate(dispatcher, this::receiptsWaitForStandby);
    }

    /**
     * The epoch this node is in: a primary's own; a standby's, the newest its primary's frames carried (the fence's),
     * which moves on while it follows. currentEpoch alone stays at what the standby recovered, so a standby that
     * started behind an EpochStarted would ask the witness for an epoch the registry has left (found by
     * FailoverFaultIT: no second automatic failover after a rejoin).
     */
    private long followedEpoch()
    {
        final EpochFence fencing = fence;
        return standby && null != fencing ? Math.max(currentEpoch, fencing.epoch()) : currentEpoch;
    }

    /** The standby won epoch {@code epoch} at the witness: the promote path, on its own thread. */
    private synchronized void promoteAutomatically(final long epoch)
    {
        if (closed || !standby || epoch != followedEpoch() + 1)
        {
            LOG.error("automatic failover: the witness granted epoch {}, but this node {}: not promoted", epoch,
                closed ? "is stopping" : !standby ? "is the primary already" : "follows epoch " + followedEpoch());
            return;
        }
        promotedAutomatically = true;
        final String refusal;
        try
        {
            refusal = becomePrimary(" (automatic failover: the witness granted epoch " + epoch + ")");
        }
        finally
        {
            promotedAutomatically = false;
        }
        if (null != refusal)
        {
            LOG.error("automatic failover: not promoted: {}", refusal);
        }
    }

    /** This node's last log sequence as its heartbeats tell it: received (standby) or shipped (primary). */
    private long pairLogSequence()
    {
        final StandbyFollower following = follower;
        return standby && null != following ? following.lastLogSequence() : replicator.shippedLogSequence();
    }

    /** A ring of preallocated command slots, its handler threads recorded for close. */
    private Disruptor<CommandEvent> newRing()
    {
        ringThreads.clear();
        return new Disruptor<>(
            CommandEvent::new,
            config.ringSize(),
            (runnable) ->
            {
                final Thread thread = new Thread(runnable, "ringmq-ring");
                ringThreads.add(thread);
                return thread;
            },
            ProducerType.SINGLE,
            ctx.ringWaitStrategy());
    }

    /**
     * The primary's pipeline: clients' commands through the ingress onto the ring, journaled and shipped to the
     * standby (if any), applied, answered. A standby promoted runs it over the state it already has (no replay): its
     * first commands are the new epoch's EpochStarted and a NodeStarted, which closes the old primary's sessions so
     * what they had in flight is delivered again.
     *
     * @param promoted whether this node was the standby until now: it starts epoch + 1.
     */
    private void startPrimary(final boolean promoted)
    {
        final long lastLogSequence = stateMachine.lastLogSequence();
        final long epoch = stateMachine.epoch() + (promoted ? 1 : 0);
        final NanoClock syncClock = ctx.nanoClock();
        final BatchCommit batchCommit =
            fsync.batchCommit(config.journalFsyncIntervalNs(), syncClock, counters.countingSyncer(syncClock));
        replicator =
            PairLinks.replicator(aeron, config, pair, lastLogSequence, syncClock, epoch, promotedAutomatically);
        final TickDemand tickDemand = new TickDemand();
        disruptor = newRing();
        ingress = new CommandRingProducer(
            ingressSubscriptions,
            disruptor.getRingBuffer(),
            ctx.epochNanoClock(),
            ctx.nanoClock(),
            config.maxMessageBytes(),
            config.maxHeaderBytes(),
            lastLogSequence,
            tickDemand,
            config.tickIntervalNs(),
            RunDefaults.of(config),
            new JournalSyncWakeUp(batchCommit, syncClock),
            StorageHeadroom.of(journalDirectory(config), config.journalMinFreeSpaceBytes()),
            ConnectAdmission.of(
                config.responseMaxTermLength(), config.responseAllowedHosts(), config.maxConnectsPerSecond()),
            (throwable) -> ringFailure.agentFailed("the ingress agent", throwable),
            nodeAdmin)
            .startingEpoch(promoted ? epoch : 0)
            .notBefore(stateMachine.lastTimestampNs());

        egress = new EgressPublisher(
            aeron,
            ctx.epochNanoClock()::nanoTime, // the daemon's clock: a stalled client is judged by the same time the commands carry
            config.egressBackPressureTimeoutNs(),
            config.egressSessionBufferBytes(),
            config.maxMessageBytes(),
            config.maxHeaderBytes(),
            ingress::sessionLost);
        stateMachine.outputSink(
            new StageRecordingSink(counters.countingErrors(egress), stateMachine::nowNs, histograms));

        final JournalHandler journalHandler = new JournalHandler(journal, batchCommit, retention);
        final EventHandler<CommandEvent> journalStage = timed(journalHandler, Stage.INGRESS_TO_JOURNALED);
        dispatchHandler =
            new DispatchHandler(stateMachine, ctx.nanoClock(), histograms.recorder(Stage.INGRESS_TO_DISPATCHED),
                tickDemand, egress, snapshotter)
                .clientPresence(clientPresence)
                .stateLock(stateLock)
                .counters(counters.stateCounters(), disruptor.getRingBuffer()::getCursor);
        limitStats = dispatchHandler.limitStats();
        disruptor.setDefaultExceptionHandler(ringFailure);
        if (replicator.isActive())
        {
            disruptor.handleEventsWith(ringFailure.gate(journalStage), timed(replicator, Stage.INGRESS_TO_REPLICATED))
                .then(ringFailure.gate(leaseGated(dispatchHandler)));
        }
        else
        {
            // No standby: a no-op handler would still cost a thread polling the ring (8-10% of a core here).
            disruptor.handleEventsWith(ringFailure.gate(journalStage))
                .then(ringFailure.gate(leaseGated(dispatchHandler)));
        }
        disruptor.start();
        standby = false;
        currentEpoch = epoch;
        journaling = journalHandler;

        ingressRunner = new AgentRunner(
            ctx.ingressIdleStrategy(),
            (throwable) -> ringFailure.agentFailed("the ingress agent", throwable),
            null,
            ingress);
        AgentRunner.startOnThread(ingressRunner);
        if (replicator.isActive())
        {
            catchUp = PairLinks.catchUpServer(aeron, config, pair, epoch, journal, Recovery.snapshotStore(config),
                ctx.nanoClock());
            catchUpRunner = new AgentRunner(PairLinks.catchUpIdleStrategy(), ctx.errorHandler(), null, catchUp);
            AgentRunner.startOnThread(catchUpRunner);
        }

        LOG.info("ringmq daemon ready{}: data {}, aeron {}, ingress {} stream {}{}, epoch {}, replication {}",
            promoted ? " (promoted from standby)" : "", config.dataDir(), config.aeronDir(), config.ingressChannel(),
            config.ingressStreamId(), config.ingressUdpChannel().map((c) -> " and " + c).orElse(""), epoch,
            replicator.isActive() ? "to the standby at " + pair.peerEndpoint() + ", ack " + config.replicationAck() :
            "off");
    }

    /**
     * The standby of a pair: the same ring, journal and state machine, fed by the primary's replication stream
     * instead of clients, outputs suppressed and no ticks of its own, so time and every command come from the primary.
     * Its client ingress answers node requests (status, promote) and refuses Connects with NOT_PRIMARY: nothing a
     * client sends reaches its ring, so its journal stays the primary's, record for record.
     */
    private void startStandby()
    {
        final long lastLogSequence = stateMachine.lastLogSequence();
        final BatchCommit batchCommit = fsync.batchCommit(
            config.journalFsyncIntervalNs(), ctx.nanoClock(), counters.countingSyncer(ctx.nanoClock()));
        disruptor = newRing();
        stateMachine.outputSink(OutputSink.NONE);
        final JournalHandler journaling = new JournalHandler(journal, batchCommit, retention);
        final EventHandler<CommandEvent> journalHandler =
            ringFailure.gate(timed(journaling, Stage.INGRESS_TO_JOURNALED));
        dispatchHandler = new DispatchHandler(
            stateMachine, ctx.nanoClock(), histograms.recorder(Stage.INGRESS_TO_DISPATCHED), new TickDemand(),
            EgressFlusher.NONE, snapshotter)
            .stateLock(stateLock)
            .counters(counters.stateCounters(), disruptor.getRingBuffer()::getCursor);
        limitStats = dispatchHandler.limitStats();
        disruptor.setDefaultExceptionHandler(ringFailure);
        disruptor.handleEventsWith(journalHandler).then(ringFailure.gate(dispatchHandler));
        disruptor.start();
        standby = true;
        takingOver.set(false);
        currentEpoch = stateMachine.epoch();
        this.journaling = journaling;
        fence = new EpochFence(stateMachine.epoch());
        follower = PairLinks.follower(aeron, config, pair, disruptor.getRingBuffer(), ctx.nanoClock(),
            journaling::appendedSequence, () -> disruptor.getSequenceValueFor(journalHandler), lastLogSequence, fence,
            Recovery.snapshotStore(config));
        standbyIngress = new StandbyIngress(ingressSubscriptions, config.maxMessageBytes(), ctx.epochNanoClock(),
            ConnectAdmission.of(
                config.responseMaxTermLength(), config.responseAllowedHosts(), config.maxConnectsPerSecond()),
            nodeAdmin);
        ingressRunner = new AgentRunner(PairLinks.waitIdleStrategy(),
            (throwable) -> ringFailure.agentFailed("the standby follower", throwable), null,
            new CompositeAgent(follower, standbyIngress));
        AgentRunner.startOnThread(ingressRunner);
        LOG.info("ringmq standby ready: data {}, aeron {}, following the primary at {} from log sequence {} on {}, " +
            "epoch {}, ack {}", config.dataDir(), config.aeronDir(), pair.peerEndpoint(), lastLogSequence,
            pair.ownEndpoint(), stateMachine.epoch(), config.replicationAck());
    }

    /**
     * Makes this standby the primary (manual failover): stops following, lets the ring drain (every command received
     * is journaled and applied), then starts the primary's pipeline over the same state in the next epoch, which it
     * ships to the other node when that comes back as a standby.
     *
     * @param force promote even when not caught up, or while the primary is still connected.
     * @return null once promoted, else why not: a refusal changes nothing; a ring that fails or does not drain while
     *         the standby stops leaves the node serving nothing (the message says to restart it).
     */
    public synchronized String promote(final boolean force)
    {
        if (closed)
        {
            return "the daemon is stopping";
        }
        if (!standby)
        {
            return "this node is the primary already (epoch " + stateMachine.epoch() + "): only a standby is promoted";
        }
        final StandbyFollower following = follower;
        if (!force)
        {
            if (following.isConnected())
            {
                return "the primary at " + pair.peerEndpoint() + " is still connected: stop it first (two primaries " +
                    "would both take clients), or promote with --force";
            }
            if (0 != following.installedSnapshotLogSequence())
            {
                return "this standby installed the primary's snapshot at log sequence " +
                    following.installedSnapshotLogSequence() + " and applies nothing until it restarts: restart it " +
                    "first, or promote with --force to serve the state it has";
            }
            if (following.isCatchingUp())
            {
                return "this standby is not caught up: it is at log sequence " + following.lastLogSequence() +
                    " and catching up, so the primary receipted commands it lacks; promote with --force to serve " +
                    "without them";
            }
        }
        return becomePrimary(force ? " (forced)" : "");
    }

    /**
     * The standby's side of a planned switchover (on the heartbeat thread, which must not wait): the primary has
     * stopped taking commands and this standby has acked every one up to {@code logSequence}; it promotes itself on a
     * thread of its own, once, as soon as it has received them all.
     */
    private void onHandover(final long epoch, final long logSequence)
    {
        if (!standby || epoch != followedEpoch() || !takingOver.compareAndSet(false, true))
        {
            return; // a primary already, a handover of another epoch, or taking over already
        }
        final Thread takeOver = new Thread(() -> takeOver(logSequence), "ringmq-take-over");
        takeOver.setDaemon(true);
        takeOver.start();
    }

    private void takeOver(final long logSequence)
    {
        final String refusal = promoteOnHandover(logSequence);
        if (null != refusal)
        {
            LOG.error("planned switchover: the primary handed over after log sequence {}, but this standby did not " +
                "take over: {}", logSequence, refusal);
        }
    }

    private synchronized String promoteOnHandover(final long logSequence)
    {
        if (closed || !standby)
        {
            return closed ? "the daemon is stopping" : "not a standby";
        }
        final StandbyFollower following = follower;
        final long deadlineNs = ctx.nanoClock().nanoTime() + TimeUnit.SECONDS.toNanos(STOP_TIMEOUT_S);
        while (following.lastLogSequence() < logSequence) // it acked them: they are here, or arriving
        {
            if (ctx.nanoClock().nanoTime() - deadlineNs > 0)
            {
                return "it has received up to log sequence " + following.lastLogSequence() + " only";
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        // No "primary still connected" check: the primary has stopped taking commands and waits for this promotion.
        return becomePrimary(" (planned switchover: the primary handed over after log sequence " + logSequence + ")");
    }

    /** Stops following, lets the ring drain, and starts the primary's pipeline in the next epoch. */
    private String becomePrimary(final String why)
    {
        final StandbyFollower following = follower;
        LOG.warn("promoting this standby to primary{}: stopping the follower at log sequence {}", why,
            following.lastLogSequence());
        stopIngress();
        standbyIngress = null;
        try
        {
            disruptor.shutdown(STOP_TIMEOUT_S, TimeUnit.SECONDS); // every command received is journaled and applied
        }
        catch (final com.lmax.disruptor.TimeoutException ex)
        {
            return "the standby's ring did not drain within " + STOP_TIMEOUT_S + " s: not promoted (restart it)";
        }
        if (!joinRingThreads() || ringFailure.hasFailed())
        {
            return "the standby's ring failed: not promoted, restart it (" + ringFailure.failure() + ")";
        }
        follower = null;
        final long epoch = stateMachine.epoch() + 1;
        startPrimary(true);
        return awaitEpochApplied(epoch);
    }

    /**
     * Planned switchover, the primary's side: stops taking commands (the ingress stops; what clients send meanwhile is
     * not taken, never receipted), lets the ring drain (every command journaled, acked by the standby, applied,
     * answered), hands over to the standby (HANDOVER frames in place of heartbeats) and, once the standby beats in the
     * next epoch, becomes its standby in this process: the same journal and state, which equal the new primary's up
     * to its EpochStarted, so it follows without divergence.
     *
     * @return null once this node follows the new primary, else why not: a refusal changes nothing.
     */
    public synchronized String switchover()
    {
        final PairHeartbeat beating = heartbeat;
        final String refusal = closed ? "the daemon is stopping" :
            null == pair ? "this daemon has no pair: nothing to switch over to" :
            standby ? "this node is the standby: switch over at the primary (" + pair.peerEndpoint() + ")" :
            ReplicationAck.NONE == config.replicationAck() ? "ringmq.replication.ack=NONE: the standby's acks are " +
                "not awaited, so nothing says when it has every command; stop this node and promote the standby" :
            !replicator.inSync() || !replicator.standbyConnected() || !beating.peerAlive() ? "the standby at " +
                pair.peerEndpoint() + " is not in sync or not heard (status: inSync, peerAlive): a switchover " +
                "hands over to a caught-up standby only" : null;
        if (null != refusal)
        {
            return refusal;
        }
        final long startNs = ctx.nanoClock().nanoTime();
        final long epoch = currentEpoch;
        LOG.warn("planned switchover: this primary stops taking commands and hands over to the standby at {}",
            pair.peerEndpoint());
        stopIngress();
        try
        {
            disruptor.shutdown(STOP_TIMEOUT_S, TimeUnit.SECONDS); // journaled, acked by the standby, applied
        }
        catch (final com.lmax.disruptor.TimeoutException ex)
        {
            replicator.stopping();
            disruptor.halt();
        }
        if (!joinRingThreads() || ringFailure.hasFailed() || !replicator.inSync() || 0 != replicator.lagCommands())
        {
            return "switchover failed while draining (" + (ringFailure.hasFailed() ? ringFailure.failure() :
                "the standby fell out of sync or the ring did not drain within " + STOP_TIMEOUT_S + " s") +
                "): this node takes no commands; restart it";
        }
        final long lastLogSequence = stateMachine.lastLogSequence(); // the ring has drained: no other reader
        replicator.close();
        replicator = new NoReplication();
        CloseHelper.quietClose(catchUpRunner); // its subscription is this endpoint's, which the follower takes
        catchUpRunner = null;
        egress.closeAll();
        beating.handOver(lastLogSequence);
        final long deadlineNs = startNs + TimeUnit.SECONDS.toNanos(STOP_TIMEOUT_S);
        while (beating.peerEpoch() <= epoch)
        {
            if (ctx.nanoClock().nanoTime() - deadlineNs > 0)
            {
                beating.endHandover();
                return "the standby at " + pair.peerEndpoint() + " did not take over within " + STOP_TIMEOUT_S +
                    " s (see its log): this node takes no commands; promote one of the two with bin/ringmq promote";
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        beating.endHandover();
        startStandby();
        LOG.warn("planned switchover: the node at {} is the primary of epoch {}; this node follows it from log " +
            "sequence {} (handed over in {} ms)", pair.peerEndpoint(), beating.peerEpoch(), lastLogSequence,
            TimeUnit.NANOSECONDS.toMillis(ctx.nanoClock().nanoTime() - startNs));
        return null;
    }

    /**
     * Waits until the new primary's first command, its EpochStarted, is applied, so a status asked after the promote
     * answers shows the new epoch.
     *
     * @return null once applied, else why not.
     */
    private String awaitEpochApplied(final long epoch)
    {
        final NanoClock clock = ctx.nanoClock();
        final long deadlineNs = clock.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_TIMEOUT_S);
        try
        {
            while (true)
            {
                final Long applied = stateLock.read(TimeUnit.SECONDS.toNanos(1), stateMachine::epoch);
                if (null != applied && applied >= epoch)
                {
                    return null;
                }
                if (ringFailure.hasFailed() || clock.nanoTime() - deadlineNs > 0)
                {
                    return "promoted, but epoch " + epoch + " is not applied yet: " +
                        (ringFailure.hasFailed() ? ringFailure.failure() : "the ring is slow (see the daemon's log)");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // the ingress journals it at its start
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "interrupted while promoting";
        }
    }

    /**
     * What this node is and where its state stands: role, epoch, the log sequence and digest of its state (read
     * between ring batches), lag and sync with the other node. Thread-safe; waits up to the client connect timeout
     * for the dispatcher to finish a batch.
     *
     * @return the status, or null if the state could not be read in time.
     */
    public NodeStatus status() throws InterruptedException
    {
        final Replicator shipping = replicator;
        final StandbyFollower following = follower;
        final boolean isStandby = standby && null != following;
        final long[] state = stateLock.read(config.clientConnectTimeoutNs(), () -> new long[]{
            stateMachine.epoch(), stateMachine.lastLogSequence(), stateMachine.digest(digest),
            stateMachine.lastTimestampNs()});
        if (null == state)
        {
            return null;
        }
        if (isStandby)
        {
            final long lag = Math.max(0, following.lastLogSequence() - state[1]);
            final long lagMicros = 0 == lag ? 0 : Math.max(0, following.lastTimestampNs() - state[3]) / 1000;
            return new NodeStatus(NodeStatus.STANDBY, state[0], state[1], state[2], lag, lagMicros,
                following.isConnected() && !following.isCatchingUp() && 0 == following.installedSnapshotLogSequence() &&
                    0 == lag, pair.peerEndpoint(), peerAlive(), witnessReachable());
        }
        final long lag = shipping.lagCommands();
        final long lagMicros = 0 == lag ? 0 :
            Math.max(0, ctx.nanoClock().nanoTime() - shipping.behindSinceNs()) / 1000;
        return new NodeStatus(NodeStatus.PRIMARY, state[0], state[1], state[2], lag, lagMicros,
            shipping.isActive() && shipping.inSync() && shipping.standbyConnected(),
            null == pair ? "" : pair.ownEndpoint(), peerAlive(), witnessReachable());
    }

    /** Whether the pair's witness answers this node (false without a witness). */
    private boolean witnessReachable()
    {
        return null != witnessLink && witnessLink.witnessReachable();
    }

    /** Whether the other node of the pair beats (false without a pair). */
    private boolean peerAlive()
    {
        final PairHeartbeat beating = heartbeat;
        return null != beating && beating.peerAlive();
    }

    /** The link to the pair's witness (automatic failover); null without a witness. */
    public WitnessLink witnessLink()
    {
        return witnessLink;
    }

    /** Whether this node runs as the standby of a pair now (until promoted). */
    public boolean isStandby()
    {
        return standby;
    }

    /** The node as its {@link NodeAdminResponder} sees it. */
    private final class PairNode implements NodeAdminResponder.Node
    {
        public NodeStatus status() throws InterruptedException
        {
            return Daemon.this.status();
        }

        public String promote(final boolean force)
        {
            return Daemon.this.promote(force);
        }

        public String switchover()
        {
            return Daemon.this.switchover();
        }

        public String primaryEndpoint()
        {
            return null == pair ? "" : pair.peerEndpoint();
        }
    }

    /** The handler, its stage timed to the end of each batch it handles, on its own thread. */
    private EventHandler<CommandEvent> timed(final EventHandler<CommandEvent> handler, final Stage stage)
    {
        return new StageTimedHandler(handler, ctx.nanoClock(), histograms.recorder(stage), config.ringSize());
    }

    /** The daemon-wide counters other threads' figures feed, sampled on a thread of their own (see DaemonCounters). */
    private void startCounters()
    {
        // Through the fields, not the objects of today: a promotion replaces the ring and its journal handler.
        counters
            .sample(RingmqCounter.RING_REMAINING, () -> disruptor.getRingBuffer().remainingCapacity())
            .sample(RingmqCounter.JOURNAL_POSITION, () -> journaling.journaledLogSequence())
            .sample(RingmqCounter.SNAPSHOTS, snapshotter::writtenSnapshots)
            .sample(RingmqCounter.FRAMES_REFUSED, this::rejectedFrames)
            .sample(RingmqCounter.REPLICATION_LAG, () -> replicator.lagCommands())
            .sample(RingmqCounter.REPLICATION_IN_SYNC, () -> replicator.inSync() ? 1 : 0)
            .stages(histograms, ctx.nanoClock())
            .startSampling();
        if (config.metricsPrometheusPort() > 0)
        {
            prometheus = PrometheusEndpoint.start(config.metricsPrometheusPort(), counters::report,
                () -> TimeUnit.NANOSECONDS.toMillis(ctx.epochNanoClock().nanoTime()));
            LOG.info("Prometheus endpoint on http://0.0.0.0:{}/metrics", prometheus.port());
        }
        config.metricsHlogPath().ifPresent((path) ->
        {
            hlog = new StageIntervalLog(path, histograms, ctx.nanoClock(),
                () -> TimeUnit.NANOSECONDS.toMillis(ctx.epochNanoClock().nanoTime()))
                .start(config.metricsHlogIntervalNs());
            LOG.info("stage latencies logged to {} every {} ms", path,
                TimeUnit.NANOSECONDS.toMillis(config.metricsHlogIntervalNs()));
        });
    }

    private void startStatsReporter()
    {
        if (config.statsReportIntervalNs() > 0)
        {
            statsReporter = Executors.newSingleThreadScheduledExecutor((runnable) ->
            {
                final Thread thread = new Thread(runnable, "ringmq-stats");
                thread.setDaemon(true);
                return thread;
            });
            statsReporter.scheduleAtFixedRate(() -> LOG.info(statsLine()),
                config.statsReportIntervalNs(), config.statsReportIntervalNs(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * @throws IllegalStateException naming the key when the media driver refuses the channel (a UDP port in use, say:
     *                               what {@link IngressChannels} cannot know before the driver tries).
     */
    private Subscription addIngressSubscription(final String key, final String channel)
    {
        try
        {
            return aeron.addSubscription(channel, config.ingressStreamId(), (image) -> {}, (image) ->
            {
                final CommandRingProducer ingress = this.ingress;
                if (null != ingress)
                {
                    ingress.onUnavailableImage(image);
                }
            });
        }
        catch (final RegistrationException ex)
        {
            throw new IllegalStateException("the media driver cannot subscribe to " + key + "=" + channel + ": " +
                ex.getMessage(), ex);
        }
    }

    /** Where the daemon keeps its journal: {@code <ringmq.data.dir>/journal}. */
    public static Path journalDirectory(final RingmqConfig config)
    {
        return config.dataDir().resolve("journal");
    }

    public RingmqConfig config()
    {
        return config;
    }

    /** What this daemon was built from, concluded: its clocks, error handler and log, strategies. */
    public DaemonContext context()
    {
        return ctx;
    }

    /** Commands replayed from the journal at start (after the snapshot recovery started from, if any). */
    public long recoveredCommands()
    {
        return recoveredCommands;
    }

    /** Log sequence of the snapshot recovery started from; 0 if it replayed the journal from the start. */
    public long recoveredSnapshotLogSequence()
    {
        return recoveredSnapshotLogSequence;
    }

    /** What start-up recovered, for people: "N commands (S from snapshot + J from the journal)". */
    public String recoveredDescription()
    {
        return 0 == recoveredSnapshotLogSequence ? recoveredCommands + " commands" :
            (recoveredSnapshotLogSequence + recoveredCommands) + " commands (" + recoveredSnapshotLogSequence +
            " from a snapshot + " + recoveredCommands + " from the journal)";
    }

    public StageHistograms histograms()
    {
        return histograms;
    }

    /** Stage latencies since the last call and since start, with the error counters. */
    public String statsLine()
    {
        return histograms.report() + " | frames refused " + rejectedFrames() + " (connects " + refusedConnects() +
            ", unanswered " + unansweredConnects() + "), not sent " + framesNotSent() +
            ", naming another's session " + foreignCommands() +
            " | journal files deleted " + journalFilesDeleted() + " (" +
            (null == retention ? 0 : retention.freedBytes()) + " bytes), snapshots failed " + failedSnapshots() +
            (null == limitStats ? "" : " | " + limitStats) + " | replication " +
            (null == follower ? replicator.stats() : follower.stats()) +
            (null == catchUp ? "" : ", " + catchUp.stats()) +
            (null == fence ? "" : ", epoch " + fence.epoch() + ", older-epoch frames refused " + fence.refusedFrames()) +
            (null == standbyIngress ? "" : ", client frames dropped " + standbyIngress.droppedFrames());
    }

    /** Snapshots that could not be captured or written since start (each logged; the daemon went on). */
    public long failedSnapshots()
    {
        return null == snapshotter ? 0 : snapshotter.failedSnapshots();
    }

    /** What queue limits did since the state began (the journal's first command), as of the last ring batch. */
    public LimitStats limitStats()
    {
        return limitStats;
    }

    /** Commands that named a session other than their sender's since start: answered to no one. */
    public long foreignCommands()
    {
        return null == dispatchHandler ? 0 : dispatchHandler.foreignCommands();
    }

    public long rejectedFrames()
    {
        return null == ingress ? 0 : ingress.adapter().rejectedFrames();
    }

    /**
     * Connects the ingress refused since start (a response channel the daemon may not take, too many Connects); they
     * count among {@link #rejectedFrames()}.
     */
    public long refusedConnects()
    {
        return null == ingress ? 0 : ingress.adapter().refusedConnects();
    }

    /** Of the {@link #refusedConnects()}, those answered nothing (a channel the daemon may not publish to). */
    public long unansweredConnects()
    {
        return null == ingress ? 0 : ingress.adapter().unansweredConnects();
    }

    /** Journal roll-cycle files deleted by retention since start. */
    public long journalFilesDeleted()
    {
        return null == retention ? 0 : retention.deletedFiles();
    }

    public long framesNotSent()
    {
        return null == egress ? 0 : egress.framesNotSent();
    }

    /**
     * Stops taking commands, lets every command already on the ring reach the journal and the state machine, then
     * releases everything. Idempotent.
     */
    public void close()
    {
        if (null != nodeAdmin)
        {
            nodeAdmin.close(); // outside the monitor: a promotion it is running holds it until done
        }
        closeWithinMonitor();
    }

    private synchronized void closeWithinMonitor()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        CloseHelper.quietClose(prometheus);
        CloseHelper.quietClose(hlog);
        if (null != statsReporter)
        {
            statsReporter.shutdownNow();
        }
        stopIngress();
        CloseHelper.quietClose(catchUpRunner); // before the journal it reads is closed
        CloseHelper.quietClose(heartbeatRunner); // the other node takes this one as lost within its timeout
        CloseHelper.quietClose(witnessRunner);
        if (null != lease)
        {
            lease.stop(); // a dispatcher held for want of a lease must not keep the ring from draining
        }
        replicator.stopping(); // a standby that is gone must not keep the ring from draining
        if (null != disruptor)
        {
            try
            {
                disruptor.shutdown(STOP_TIMEOUT_S, TimeUnit.SECONDS); // until every published command is handled
            }
            catch (final com.lmax.disruptor.TimeoutException ex)
            {
                LOG.error("the ring did not drain within {} s: stopping without the commands still on it (those " +
                    "journaled are applied by the next start)", STOP_TIMEOUT_S);
                disruptor.halt();
            }
            // halt() does not wait for the handlers' onShutdown (the journal's last sync, its appender's close):
            // the journal must not be closed under them. After a ring failure the state machine may be half-way
            // through a command: no snapshot of it.
            if (joinRingThreads() && null != snapshotter && !ringFailure.hasFailed())
            {
                snapshotter.snapshotNow(stateMachine); // the ring has drained: the next start replays nothing
            }
        }
        CloseHelper.quietClose(snapshotter);
        CloseHelper.quietClose(counters);
        if (null != egress)
        {
            egress.closeAll();
        }
        CloseHelper.quietClose(journal);
        CloseHelper.quietClose(aeron);
        CloseHelper.quietClose(mediaDriver);
        CloseHelper.quietClose(ctx);
    }

    /**
     * Runs {@code listener} once if a ring handler fails (the journal cannot append, the state machine cannot apply):
     * the daemon then applies and answers nothing more, and whoever runs it should {@link #close()} it and exit
     * non-zero. Runs it at once if that has already happened.
     */
    public void onFatalError(final Runnable listener)
    {
        final boolean failed;
        synchronized (fatalErrorLock) // not the daemon's monitor: close() holds that while the ring drains
        {
            fatalErrorListener = listener;
            failed = null != ringFailure && ringFailure.hasFailed();
        }
        if (failed)
        {
            listener.run();
        }
    }

    /** What made the daemon stop working, for people; null while nothing has. */
    public String fatalError()
    {
        return null == ringFailure ? null : ringFailure.failure();
    }

    private void onRingFailure()
    {
        final Runnable listener;
        synchronized (fatalErrorLock)
        {
            listener = fatalErrorListener;
        }
        if (null != listener)
        {
            listener.run();
        }
    }

    /**
     * Stops the ingress agent, waiting for it at most {@link #STOP_TIMEOUT_S} (AgentRunner's own close waits for good):
     * a stop goes on to drain the ring without it.
     */
    private void stopIngress()
    {
        if (null == ingressRunner)
        {
            return;
        }
        try
        {
            ingressRunner.close((int)TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_S), (thread) ->
            {
                throw new IllegalStateException("the ingress agent did not stop within " + STOP_TIMEOUT_S + " s");
            });
        }
        catch (final IllegalStateException ex)
        {
            LOG.error("{}: stopping without it", ex.getMessage());
        }
    }

    /** @return true if every ring thread stopped. */
    private boolean joinRingThreads()
    {
        for (final Thread thread : ringThreads)
        {
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_S));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                LOG.warn("interrupted while waiting for ring thread {} to stop", thread.getName());
                return false;
            }
            if (thread.isAlive())
            {
                LOG.warn("ring thread {} did not stop within {} s", thread.getName(), STOP_TIMEOUT_S);
                return false;
            }
        }
        return true;
    }
}
