package io.ringmq.daemon;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.exceptions.RegistrationException;
import io.ringmq.config.RingmqConfig;
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
import io.ringmq.daemon.pipeline.RingFailure;
import io.ringmq.daemon.pipeline.StageHistograms;
import io.ringmq.daemon.pipeline.StateReadLock;
import io.ringmq.daemon.replication.NodeAdminResponder;
import io.ringmq.daemon.replication.PairIdentity;
import io.ringmq.daemon.replication.EpochDivergence;
import io.ringmq.daemon.replication.PairLinks;
import io.ringmq.daemon.replication.StandbySnapshotFetch;
import io.ringmq.daemon.roles.NodeParts;
import io.ringmq.daemon.roles.PairWitnessNode;
import io.ringmq.daemon.roles.Promotion;
import io.ringmq.daemon.roles.RecoveredState;
import io.ringmq.daemon.roles.RolePipelines;
import io.ringmq.daemon.roles.RoleStatus;
import io.ringmq.daemon.roles.Switchover;
import io.ringmq.transport.NodeStatus;
import io.ringmq.transport.replication.PairHeartbeat;
import io.ringmq.transport.replication.ReplicationFrames;
import io.ringmq.transport.server.NodeAnswers;
import io.ringmq.transport.server.EgressPublisher;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

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

    private final DaemonContext ctx;
    private final RingmqConfig config;
    private final StageHistograms histograms = new StageHistograms();
    /** Whether any client is connected: the embedded media driver parks longer when idle only while none is. */
    private final ClientPresence clientPresence = new ClientPresence();
    private MediaDriver mediaDriver;
    private Aeron aeron;
    /** Its counters in the driver's CnC file, read by `ringmq stat` and the Prometheus endpoint. */
    private DaemonCounters counters;
    /** Null unless ringmq.metrics.prometheus.port is set. */
    private PrometheusEndpoint prometheus;
    /** Null unless ringmq.metrics.hlog.path is set. */
    private StageIntervalLog hlog;
    private RingFailure ringFailure;
    /** What start-up recovered; the pipelines own it (and may replace it) once they exist. */
    private RecoveredState recovered;
    private final Object fatalErrorLock = new Object();
    private Runnable fatalErrorListener;
    private PairIdentity pair;
    private final StateReadLock stateLock = new StateReadLock();
    private NodeAdminResponder nodeAdmin;
    private long recoveredSnapshotLogSequence;
    /** The pipeline of the node's role now, and what changes it (see the roles package); null until started. */
    private volatile RolePipelines pipelines;
    private Promotion promotion;
    private Switchover switchover;
    private RoleStatus roleStatus;
    private volatile PairHeartbeat heartbeat;
    private AgentRunner heartbeatRunner;
    /** The primary's lease from the witness, and the link that renews it (or promotes); null without a witness. */
    private PrimaryLease lease;
    private WitnessLink witnessLink;
    private AgentRunner witnessRunner;
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
        try (TimerSlack ignored = TimerSlack.forThreadsStartedHere(daemon.config.timerSlackNs()))
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
        ringFailure = new RingFailure(ctx.errorHandler(), this::onRingFailure);
        final Aeron.Context aeronContext = new Aeron.Context().aeronDirectoryName(aeronDir).clientName("ringmq-daemon")
            .errorHandler(new AeronClientErrors(aeronDir, ctx.errorHandler(), ringFailure)); // never Aeron's exit
        if (0 != ctx.aeronDriverTimeoutNs())
        {
            aeronContext.driverTimeoutMs(Math.max(1, TimeUnit.NANOSECONDS.toMillis(ctx.aeronDriverTimeoutNs())));
        }
        aeron = Aeron.connect(aeronContext);
        counters = new DaemonCounters(aeron);

        Recovery recovery = Recovery.run(config, ctx.epochNanoClock(), ctx.nanoClock(), ctx.journalRollClock());
        pair = PairIdentity.of(config);
        if (PairLinks.isStandby(config))
        {
            recovery = rejoin(recovery);
        }
        recovered = recovery.state();
        recoveredSnapshotLogSequence = recovery.snapshotLogSequence;
        recoveredCommands = recovery.replayedCommands;

        final List<Subscription> subscriptions = new ArrayList<>();
        config.ingressChannels().forEach((key, channel) -> subscriptions.add(addIngressSubscription(key, channel)));
        final Subscription[] ingressSubscriptions = subscriptions.toArray(new Subscription[0]);
        nodeAdmin = new NodeAdminResponder(new PairNode(),
            new NodeAnswers(aeron, ctx.nanoClock(), config.clientConnectTimeoutNs()));
        if (null != pair && config.witnessEnabled())
        {
            lease = new PrimaryLease(ctx.nanoClock());
        }
        final RolePipelines roles = new RolePipelines(new NodeParts(ctx, config, aeron, counters, histograms,
            clientPresence, pair, ingressSubscriptions,
            stateLock, nodeAdmin, ringFailure, lease, () -> Recovery.snapshotStore(config),
            () -> Recovery.run(config, ctx.epochNanoClock(), ctx.nanoClock(), ctx.journalRollClock()).state()),
            recovered);
        promotion = new Promotion(roles, this::peerHeardGone);
        roleStatus = new RoleStatus(roles, this::peerAlive, this::witnessReachable);
        pipelines = roles;
        roles.start();
        startHeartbeat();
        switchover = new Switchover(roles, heartbeat);
        startWitnessLink();
        startCounters();
        startStatsReporter();
    }

    /**
     * A standby's start, after its own recovery: asks the primary whether this node's log left the pair's history (an
     * old primary come back) and, if so, sets its records from that point aside and recovers again from the prefix;
     * then installs the primary's snapshot if the primary's journal no longer holds what this node misses.
     *
     * @return the recovery the node runs over (a new one when either happened; the one given is closed).
     */
    private Recovery rejoin(final Recovery recovery)
    {
        Recovery current = recovery;
        StandbySnapshotFetch.Answer answer = askPrimary(current);
        if (EpochDivergence.NONE != answer.divergedFrom())
        {
            final long epoch = current.stateMachine.epoch();
            current.close();
            DivergedSuffix.setAside(config, answer.divergedFrom(), epoch);
            current = Recovery.run(config, ctx.epochNanoClock(), ctx.nanoClock(), ctx.journalRollClock());
            answer = askPrimary(current); // from the prefix kept: the primary may have to send its snapshot
        }
        if (0 != answer.installedSnapshot())
        {
            current.close(); // again, from the primary's snapshot just installed
            current = Recovery.run(config, ctx.epochNanoClock(), ctx.nanoClock(), ctx.journalRollClock());
        }
        return current;
    }

    private StandbySnapshotFetch.Answer askPrimary(final Recovery recovery)
    {
        return PairLinks.askPrimaryAtStart(aeron, config, pair, Recovery.snapshotStore(config),
            recovery.stateMachine.lastLogSequence(), recovery.stateMachine.epoch(), ctx.nanoClock());
    }

    /** Heartbeats with the other node of a pair, on a thread of their own that outlives role changes. */
    private void startHeartbeat()
    {
        if (null == pair)
        {
            return;
        }
        final RolePipelines roles = pipelines;
        heartbeat = PairLinks.heartbeat(aeron, config, pair, ctx.nanoClock(),
            () -> roles.isStandby() ? ReplicationFrames.ROLE_STANDBY : ReplicationFrames.ROLE_PRIMARY,
            roles::currentEpoch,
            roles::pairLogSequence,
            promotion::onHandover);
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
            new PairWitnessNode(pipelines, promotion, this::peerAlive, peer),
            lease, ctx.nanoClock(), config.replicationWitnessLeaseNs());
        witnessRunner = new AgentRunner(PairLinks.heartbeatIdleStrategy(), ctx.errorHandler(), null, witnessLink);
        AgentRunner.startOnThread(witnessRunner);
    }

    /**
     * Makes this standby the primary (manual failover), see {@link Promotion#promote(boolean)}.
     *
     * @return null once promoted, else why not.
     */
    public String promote(final boolean force)
    {
        return promotion.promote(force);
    }

    /**
     * Planned switchover, the primary's side, see {@link Switchover#switchover()}.
     *
     * @return null once this node follows the new primary, else why not: a refusal changes nothing.
     */
    public String switchover()
    {
        return switchover.switchover();
    }

    /**
     * What this node is and where its state stands (see {@link RoleStatus}). Thread-safe.
     *
     * @return the status, or null if the state could not be read in time.
     */
    public NodeStatus status() throws InterruptedException
    {
        return roleStatus.status();
    }

    /**
     * The log sequence this node's state has reached, without {@link #status()}'s digest: for a caller that polls
     * progress (a catch-up being timed) and must not stall the dispatcher with a walk of the state each time.
     *
     * @return the log sequence, or -1 if the state could not be read in time.
     */
    public long appliedLogSequence() throws InterruptedException
    {
        return roleStatus.logSequence();
    }

    /** Whether the pair's witness answers this node (false without a witness). */
    private boolean witnessReachable()
    {
        return null != witnessLink && witnessLink.witnessReachable();
    }

    /** Whether the other node's heartbeats, heard since this node started, have stopped (false without a pair). */
    private boolean peerHeardGone()
    {
        final PairHeartbeat beating = heartbeat;
        return null != beating && 0 != beating.lastHeardNs() && !beating.peerAlive();
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
        final RolePipelines roles = pipelines;
        return null != roles && roles.isStandby();
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

        /** Where clients reach the primary, as its heartbeats say; its pair endpoint until one has said it. */
        public String primaryEndpoint()
        {
            final PairHeartbeat beating = heartbeat;
            final String clientAddress = null == beating ? "" : beating.peerClientAddress();
            return null == pair ? "" : clientAddress.isEmpty() ? pair.peerEndpoint() : clientAddress;
        }
    }

    /** The daemon-wide counters other threads' figures feed, sampled on a thread of their own (see DaemonCounters). */
    private void startCounters()
    {
        // Through the fields, not the objects of today: a promotion replaces the ring and its journal handler.
        counters
            .sample(RingmqCounter.RING_REMAINING, () -> pipelines.ring().getRingBuffer().remainingCapacity())
            .sample(RingmqCounter.JOURNAL_POSITION, () -> pipelines.journaling().journaledLogSequence())
            .sample(RingmqCounter.SNAPSHOTS, () -> state().snapshotter().writtenSnapshots())
            .sample(RingmqCounter.FRAMES_REFUSED, this::rejectedFrames)
            .sample(RingmqCounter.REPLICATION_LAG, () -> pipelines.replicator().lagCommands())
            .sample(RingmqCounter.REPLICATION_IN_SYNC, () -> pipelines.replicator().inSync() ? 1 : 0)
            .sample(RingmqCounter.GROUPS_EXPIRED, () -> expired(DispatchHandler::expiredGroups))
            .sample(RingmqCounter.QUEUES_EXPIRED, () -> expired(DispatchHandler::expiredQueues))
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
                final RolePipelines roles = pipelines;
                if (null != roles)
                {
                    roles.onUnavailableImage(image);
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
            (null == state() ? 0 : state().retention().freedBytes()) + " bytes), snapshots failed " + failedSnapshots() +
            (null == limitStats() ? "" : " | " + limitStats()) + " | replication " +
            (null == pipelines ? "off" : pipelines.replicationStats()) +
            (null == heartbeat ? "" : ", older-epoch heartbeats refused " + heartbeat.refusedHeartbeats());
    }

    /** Snapshots that could not be captured or written since start (each logged; the daemon went on). */
    public long failedSnapshots()
    {
        return null == state() ? 0 : state().snapshotter().failedSnapshots();
    }

    /** What queue limits did since the state began (the journal's first command), as of the last ring batch. */
    public LimitStats limitStats()
    {
        final RolePipelines roles = pipelines;
        return null == roles ? null : roles.limitStats();
    }

    /** Commands that named a session other than their sender's since start: answered to no one. */
    /** What the live run's dispatcher counted as expired; 0 while there is none (a standby, or before live). */
    private long expired(final ToLongFunction<DispatchHandler> count)
    {
        final DispatchHandler dispatching = null == pipelines ? null : pipelines.dispatchHandler();
        return null == dispatching ? 0 : count.applyAsLong(dispatching);
    }

    public long foreignCommands()
    {
        final DispatchHandler dispatching = null == pipelines ? null : pipelines.dispatchHandler();
        return null == dispatching ? 0 : dispatching.foreignCommands();
    }

    public long rejectedFrames()
    {
        return null == ingress() ? 0 : ingress().adapter().rejectedFrames();
    }

    /**
     * Connects the ingress refused since start (a response channel the daemon may not take, too many Connects); they
     * count among {@link #rejectedFrames()}.
     */
    public long refusedConnects()
    {
        return null == ingress() ? 0 : ingress().adapter().refusedConnects();
    }

    /** Of the {@link #refusedConnects()}, those answered nothing (a channel the daemon may not publish to). */
    public long unansweredConnects()
    {
        return null == ingress() ? 0 : ingress().adapter().unansweredConnects();
    }

    /** Journal roll-cycle files deleted by retention since start. */
    public long journalFilesDeleted()
    {
        return null == state() ? 0 : state().retention().deletedFiles();
    }

    public long framesNotSent()
    {
        final EgressPublisher egress = null == pipelines ? null : pipelines.egress();
        return null == egress ? 0 : egress.framesNotSent();
    }

    /** The recovered state the node runs over now (a standby may replace it); null before recovery. */
    private RecoveredState state()
    {
        final RolePipelines roles = pipelines;
        return null == roles ? recovered : roles.state();
    }

    /** The primary's client ingress now; null on a standby or before the start. */
    private CommandRingProducer ingress()
    {
        final RolePipelines roles = pipelines;
        return null == roles ? null : roles.ingress();
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
        final RolePipelines roles = pipelines;
        if (null != roles)
        {
            roles.stopTakingCommands(); // waits for a role change under way
        }
        CloseHelper.quietClose(heartbeatRunner); // the other node takes this one as lost within its timeout
        CloseHelper.quietClose(witnessRunner);
        if (null != lease)
        {
            lease.stop(); // a dispatcher held for want of a lease must not keep the ring from draining
        }
        if (null != roles)
        {
            roles.drain();
        }
        final RecoveredState state = state();
        if (null != state)
        {
            CloseHelper.quietClose(state.snapshotter());
        }
        CloseHelper.quietClose(counters);
        if (null != roles)
        {
            roles.closeEgress();
        }
        if (null != state)
        {
            CloseHelper.quietClose(state.journal());
        }
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
}
