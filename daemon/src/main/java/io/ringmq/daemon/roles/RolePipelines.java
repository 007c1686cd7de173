package io.ringmq.daemon.roles;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.aeron.Image;
import io.ringmq.config.CpuList;
import io.ringmq.config.ReplicationAck;
import io.ringmq.config.RingThreads;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.PayloadReadBack;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.daemon.Daemon;
import io.ringmq.daemon.DaemonContext;
import io.ringmq.daemon.DivergedSuffix;
import io.ringmq.daemon.ThreadAffinity;
import io.ringmq.daemon.pipeline.CommandRingProducer;
import io.ringmq.daemon.pipeline.DispatchHandler;
import io.ringmq.daemon.pipeline.JournalStages;
import io.ringmq.daemon.pipeline.JournalSyncWakeUp;
import io.ringmq.daemon.pipeline.IngressOnRingThread;
import io.ringmq.daemon.pipeline.JournalThenDispatch;
import io.ringmq.daemon.pipeline.LimitStats;
import io.ringmq.daemon.pipeline.RunDefaults;
import io.ringmq.daemon.pipeline.Stage;
import io.ringmq.daemon.pipeline.StageRecordingSink;
import io.ringmq.daemon.pipeline.StageTimedHandler;
import io.ringmq.daemon.pipeline.StorageHeadroom;
import io.ringmq.daemon.pipeline.TickDemand;
import io.ringmq.daemon.replication.CatchUpServer;
import io.ringmq.daemon.replication.PairLinks;
import io.ringmq.daemon.replication.StandbyFollower;
import io.ringmq.journal.BatchCommit;
import io.ringmq.journal.JournalHandler;
import io.ringmq.journal.JournalRecordReadBack;
import io.ringmq.replicator.NoReplication;
import io.ringmq.replicator.Replicator;
import io.ringmq.transport.replication.EpochFence;
import io.ringmq.transport.server.ConnectAdmission;
import io.ringmq.transport.server.EgressFlusher;
import io.ringmq.transport.server.EgressPublisher;
import io.ringmq.transport.server.StandbyIngress;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The pipeline a node runs in its role now, and what starts and stops it: the primary's (clients' commands through the
 * ingress onto the ring, journaled, shipped, applied, answered) or the standby's (the primary's replication stream onto
 * the same ring, outputs suppressed). A role change stops one and starts the other over the same journal and state;
 * {@link Promotion} and {@link Switchover} decide when, holding this object's monitor, as a stop does.
 */
public final class RolePipelines
{
    private static final Logger LOG = LoggerFactory.getLogger(RolePipelines.class);
    /** How long a stop waits for the ring to drain, and for each ring thread to end, before it gives up on them. */
    static final long STOP_TIMEOUT_S = 30;

    private final NodeParts parts;
    private final DaemonContext ctx;
    private final RingmqConfig config;
    /** The CPUs the node started on, where pinning is set; null otherwise. */
    private final BitSet startCpus;
    /** The recovered state the pipelines run over: replaced when a running standby loads the primary's snapshot. */
    private volatile RecoveredState state;
    /** The state machine of {@link #state}, for the pipelines' own thread (replaced with it, under this monitor). */
    private QueueStateMachine stateMachine;
    /** The Disruptor's handler threads, joined at a stop. */
    private final List<Thread> ringThreads = new CopyOnWriteArrayList<>();
    private volatile Disruptor<CommandEvent> disruptor;
    /** The ring's journal handler (a promotion starts a new one), for the counters' sampler. */
    private volatile JournalHandler journaling;
    private EgressPublisher egress;
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
    private volatile EpochFence fence;
    /** The primary's catch-up server and its thread; null on a standby or without a pair. */
    private CatchUpServer catchUp;
    private AgentRunner catchUpRunner;
    /** The epoch this node serves or follows in now: what its heartbeats carry. */
    private volatile long currentEpoch;
    /** A standby told to take over by its handing-over primary: acted on once. */
    final AtomicBoolean takingOver = new AtomicBoolean();
    /** Set while a promotion the witness granted runs: the replaced primary, this node's standby-to-be, is lost. */
    boolean promotedAutomatically;
    private volatile CommandRingProducer ingress;
    private AgentRunner ingressRunner;
    /** The ingress run by the ring's thread, when one thread runs the pipeline; null otherwise. */
    private IngressOnRingThread ingressOnRing;
    /** Set by a stop, under this object's monitor: no role change starts after it. */
    boolean closed;

    public RolePipelines(final NodeParts parts, final RecoveredState recovered)
    {
        this.parts = parts;
        this.ctx = parts.ctx();
        this.config = parts.config();
        this.state = recovered;
        this.stateMachine = recovered.stateMachine();
        // Pinning set: remember the CPUs of the thread that starts the node (not pinned), for threads a pinned one starts.
        this.startCpus = config.affinities().values().stream().allMatch(CpuList::isEmpty) ? null :
            ThreadAffinity.currentCpus();
    }

    /** Starts the pipeline of the role the config names. */
    public synchronized void start()
    {
        if (PairLinks.isStandby(config))
        {
            startStandby();
        }
        else
        {
            startPrimary(false);
        }
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
        return null == parts.lease() ? dispatcher : parts.lease().gate(dispatcher, this::receiptsWaitForStandby);
    }

    /** A ring of preallocated command slots, its handler threads recorded for a stop. */
    private Disruptor<CommandEvent> newRing()
    {
        return newRing(ctx.ringWaitStrategy());
    }

    private Disruptor<CommandEvent> newRing(final WaitStrategy waitStrategy)
    {
        ringThreads.clear();
        return new Disruptor<>(
            CommandEvent::new,
            config.ringSize(),
            (runnable) ->
            {
                // Each ring thread pins itself to the next CPU of ringmq.affinity.ring (if set) as it starts.
                final Runnable pinned =
                    ThreadAffinity.pinning("the ring", config.affinityRing(), ringThreads.size(), runnable);
                final Thread thread = new Thread(pinned, "ringmq-ring");
                ringThreads.add(thread);
                return thread;
            },
            ProducerType.SINGLE,
            waitStrategy);
    }

    /**
     * The primary's pipeline: clients' commands through the ingress onto the ring, journaled and shipped to the
     * standby (if any), applied, answered. A standby promoted runs it over the state it already has (no replay): its
     * first commands are the new epoch's EpochStarted and a NodeStarted, which closes the old primary's sessions so
     * what they had in flight is delivered again.
     *
     * @param promoted whether this node was the standby until now: it starts epoch + 1.
     */
    void startPrimary(final boolean promoted)
    {
        final long lastLogSequence = stateMachine.lastLogSequence();
        final long epoch = stateMachine.epoch() + (promoted ? 1 : 0);
        // A promoted node's first command is the new epoch's EpochStarted, at the log sequence after its last.
        final long epochFirstLogSequence = promoted ? lastLogSequence + 1 : stateMachine.epochFirstLogSequence();
        final NanoClock syncClock = ctx.nanoClock();
        replicator = PairLinks.replicator(
            parts.aeron(), config, parts.pair(), lastLogSequence, syncClock, epoch, promotedAutomatically);
        final boolean oneThread = !replicator.isActive() && RingThreads.ONE == config.ringThreads();
        final JournalStages journalStages = JournalStages.of(state.journal(), state.retention(), state.fsync(),
            config.journalFsyncIntervalNs(), syncClock, syncer(syncClock), !oneThread);
        final BatchCommit batchCommit = journalStages.batchCommit();
        final TickDemand tickDemand = new TickDemand();
        final ErrorHandler ingressFailed = (throwable) -> parts.ringFailure().agentFailed("the ingress agent", throwable);
        ingressOnRing = oneThread ?
            new IngressOnRingThread(ctx.ingressIdleStrategy(),
                IngressOnRingThread.maxBatchCommands(state.fsync(), config.ringSize()), ingressFailed,
                ctx.nanoClock()) : null;
        disruptor = oneThread ? newRing(ingressOnRing) : newRing();
        ingress = new CommandRingProducer(
            parts.ingressSubscriptions(),
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
            StorageHeadroom.of(Daemon.journalDirectory(config), config.journalMinFreeSpaceBytes()),
            connectAdmission(),
            ingressFailed,
            parts.nodeAdmin())
            .startingEpoch(promoted ? epoch : 0)
            .notBefore(stateMachine.lastTimestampNs())
            .tickWhile(replicator::wantsACommand);

        egress = new EgressPublisher(
            parts.aeron(),
            ctx.epochNanoClock()::nanoTime, // the daemon's clock: a stalled client is judged by the same time the commands carry
            config.egressBackPressureTimeoutNs(),
            config.egressSessionBufferBytes(),
            config.maxMessageBytes(),
            config.maxHeaderBytes(),
            ingress::sessionLost)
            .epoch(epoch);
        // Kept messages' payloads left memory: read back from the journal here, outside the state machine.
        stateMachine.outputSink(new StageRecordingSink(new PayloadReadBack(
            parts.counters().countingErrors(egress), new JournalRecordReadBack(state.journal())),
            stateMachine::nowNs, parts.histograms()));

        final JournalHandler journalHandler = journalStages.journalHandler();
        final EventHandler<CommandEvent> journalStage = timed(journalHandler, Stage.INGRESS_TO_JOURNALED);
        dispatchHandler = new DispatchHandler(stateMachine, ctx.nanoClock(), parts.histograms(), tickDemand, egress,
            state.snapshotter())
            .clientPresence(parts.clientPresence())
            .stateLock(parts.stateLock())
            .counters(parts.counters().stateCounters(),
                oneThread ? DispatchHandler.RING_NEVER_EMPTY : disruptor.getRingBuffer()::getCursor);
        limitStats = dispatchHandler.limitStats();
        disruptor.setDefaultExceptionHandler(parts.ringFailure());
        if (oneThread)
        {
            // One thread polls the ingress, journals (and syncs) and dispatches: see IngressOnRingThread.
            // The ring is empty at every batch's end here: the counters' copy waits for a quiet spell instead.
            ingressOnRing.ingress(ingress).whenIdle(dispatchHandler::copyCountersNow);
            disruptor.handleEventsWith(ingressOnRing.runningWith(new JournalThenDispatch(
                parts.ringFailure().gate(journalStage), parts.ringFailure().gate(leaseGated(dispatchHandler)),
                disruptor.getRingBuffer())));
        }
        else
        {
            // No standby: no replicator stage, as a no-op handler would still cost a thread polling the ring (8-10%
            // of a core here). A syncing fsync policy adds the sync stage between the journal and the dispatcher.
            journalStages.wire(disruptor, parts.ringFailure().gate(journalStage),
                replicator.isActive() ? timed(replicator, Stage.INGRESS_TO_REPLICATED) : null,
                parts.ringFailure().gate(leaseGated(dispatchHandler)), parts.ringFailure()::gate);
        }
        disruptor.start();
        standby = false;
        currentEpoch = epoch;
        journaling = journalHandler;

        ingressRunner = null;
        if (!oneThread)
        {
            ingressRunner = new AgentRunner(ctx.ingressIdleStrategy(), ingressFailed, null, ingress);
            AgentRunner.startOnThread(ingressRunner, ThreadAffinity.factory("the ingress", config.affinityIngress()));
        }
        if (replicator.isActive())
        {
            catchUp = PairLinks.catchUpServer(parts.aeron(), config, parts.pair(), epoch, epochFirstLogSequence,
                state.journal(),
                parts.snapshotStore().get(), ctx.nanoClock());
            catchUpRunner = new AgentRunner(PairLinks.catchUpIdleStrategy(), ctx.errorHandler(), null, catchUp);
            AgentRunner.startOnThread(catchUpRunner);
        }

        LOG.info("ringmq daemon ready{}: data {}, aeron {}, ingress {} stream {}{}, epoch {}, replication {}",
            promoted ? " (promoted from standby)" : "", config.dataDir(), config.aeronDir(), config.ingressChannel(),
            config.ingressStreamId(), config.ingressUdpChannel().map((c) -> " and " + c).orElse(""), epoch,
            replicator.isActive() ? "to the standby at " + parts.pair().peerEndpoint() + ", ack " +
            config.replicationAck() : "off");
    }

    /**
     * The standby of a pair: the same ring, journal and state machine, fed by the primary's replication stream
     * instead of clients, outputs suppressed and no ticks of its own, so time and every command come from the primary.
     * Its client ingress answers node requests (status, promote) and refuses Connects with NOT_PRIMARY: nothing a
     * client sends reaches its ring, so its journal stays the primary's, record for record.
     */
    void startStandby()
    {
        final long lastLogSequence = stateMachine.lastLogSequence();
        final JournalStages journalStages = JournalStages.of(state.journal(), state.retention(), state.fsync(),
            config.journalFsyncIntervalNs(), ctx.nanoClock(), syncer(ctx.nanoClock()), true);
        ingressOnRing = null;
        disruptor = newRing();
        stateMachine.outputSink(OutputSink.NONE);
        final JournalHandler journaling = journalStages.journalHandler();
        final EventHandler<CommandEvent> journalHandler =
            parts.ringFailure().gate(timed(journaling, Stage.INGRESS_TO_JOURNALED));
        dispatchHandler = new DispatchHandler(
            stateMachine, ctx.nanoClock(), parts.histograms(), new TickDemand(),
            EgressFlusher.NONE, state.snapshotter())
            .stateLock(parts.stateLock())
            .counters(parts.counters().stateCounters(), disruptor.getRingBuffer()::getCursor);
        limitStats = dispatchHandler.limitStats();
        disruptor.setDefaultExceptionHandler(parts.ringFailure());
        journalStages.wire(
            disruptor, journalHandler, null, parts.ringFailure().gate(dispatchHandler), parts.ringFailure()::gate);
        disruptor.start();
        standby = true;
        takingOver.set(false);
        currentEpoch = stateMachine.epoch();
        this.journaling = journaling;
        fence = new EpochFence(stateMachine.epoch());
        follower = PairLinks.follower(parts.aeron(), config, parts.pair(), disruptor.getRingBuffer(),
            ctx.nanoClock(), journaling::appendedSequence, journalStages.syncedSequence(disruptor, journalHandler),
            lastLogSequence, fence, parts.snapshotStore().get(), this::onSnapshotInstalled, this::onDiverged);
        standbyIngress = new StandbyIngress(parts.ingressSubscriptions(), config.maxMessageBytes(),
            ctx.epochNanoClock(), connectAdmission(), parts.nodeAdmin());
        ingressRunner = new AgentRunner(PairLinks.waitIdleStrategy(),
            (throwable) -> parts.ringFailure().agentFailed("the standby follower", throwable), null,
            new CompositeAgent(follower, standbyIngress));
        AgentRunner.startOnThread(ingressRunner,
            ThreadAffinity.factory("the standby's ingress", config.affinityIngress()));
        LOG.info("ringmq standby ready: data {}, aeron {}, following the primary at {} from log sequence {} on {}, " +
            "epoch {}, ack {}", config.dataDir(), config.aeronDir(), parts.pair().peerEndpoint(), lastLogSequence,
            parts.pair().ownEndpoint(), stateMachine.epoch(), config.replicationAck());
    }

    private ConnectAdmission connectAdmission()
    {
        return ConnectAdmission.of(
            config.responseMaxTermLength(), config.responseAllowedHosts(), config.maxConnectsPerSecond());
    }

    /**
     * Stops the standby's pipeline for a promotion: its follower and client ingress stop, the ring drains (every
     * command received is journaled and applied).
     *
     * @return null once drained, else why not (the node then serves nothing).
     */
    String stopStandby()
    {
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
        if (!joinRingThreads() || parts.ringFailure().hasFailed())
        {
            return "the standby's ring failed: not promoted, restart it (" + parts.ringFailure().failure() + ")";
        }
        follower = null;
        return null;
    }

    /**
     * The follower installed the primary's snapshot (the range this standby missed was deleted by the primary's
     * retention while it ran): loads it on a thread of its own, the follower's must not wait for its own stop.
     */
    private void onSnapshotInstalled(final long snapshotLogSequence)
    {
        restartStandbyOnItsOwnThread("ringmq-snapshot-load", () -> loadInstalledSnapshot(snapshotLogSequence));
    }

    /**
     * The primary answered the follower that this node's log left the pair's history at {@code divergedFrom} (an old
     * primary come back while the primary was down at its start, or demoted): sets the suffix aside and starts the
     * standby again from the prefix, on a thread of its own, the follower's must not wait for its own stop.
     */
    private void onDiverged(final long divergedFrom)
    {
        restartStandbyOnItsOwnThread("ringmq-rejoin", () -> setAsideDivergedSuffix(divergedFrom));
    }

    /**
     * Started by the follower, which may be pinned: the restart (and the journal prefault thread its recovery starts)
     * gets the CPUs the node started with instead of sharing the follower's.
     */
    private void restartStandbyOnItsOwnThread(final String name, final Runnable restart)
    {
        final Thread restarting = new Thread(ThreadAffinity.onCpus(startCpus, restart), name);
        restarting.setDaemon(true);
        restarting.start();
    }

    /**
     * What a start does around recovery, with the standby's pipeline stopped: the ring drains, the journal (which
     * ends before the snapshot) is closed and, by the recovery, moved aside; the state is loaded from the snapshot and
     * a new journal begins after it; the standby's pipeline starts again from there and catches up the rest.
     */
    private synchronized void loadInstalledSnapshot(final long snapshotLogSequence)
    {
        final String what = "the primary's snapshot at log sequence " + snapshotLogSequence;
        if (restartStandby(what, () -> {}))
        {
            LOG.warn("standby: loaded {}; following from log sequence {}", what, stateMachine.lastLogSequence());
        }
    }

    /**
     * What a start does when the primary says this node's log diverged, with the standby's pipeline stopped: the
     * journal is closed, its records from the point of divergence set aside with the snapshots that hold them
     * ({@link DivergedSuffix}), the state recovered from what is left; the standby then catches up from the primary.
     */
    private synchronized void setAsideDivergedSuffix(final long divergedFrom)
    {
        final long epoch = stateMachine.epoch();
        if (restartStandby("the prefix of its log before log sequence " + divergedFrom,
            () -> DivergedSuffix.setAside(config, divergedFrom, epoch)))
        {
            LOG.warn("standby: rejoined from log sequence {} (epoch {}): catching up from the primary",
                stateMachine.lastLogSequence(), stateMachine.epoch());
        }
    }

    /**
     * Stops the standby's pipeline (the ring drains), closes the state, runs {@code beforeRecovery} over the closed
     * data directory, recovers the state again and starts the standby's pipeline over it. Under this monitor.
     *
     * @return whether the standby runs again (else the failure was logged or reported to the ring's failure handler).
     */
    private boolean restartStandby(final String what, final Runnable beforeRecovery)
    {
        if (closed || !standby)
        {
            return false;
        }
        LOG.warn("standby: loading {} in this process: stopping the standby's pipeline", what);
        final String failure = stopStandby();
        if (null != failure)
        {
            LOG.error("standby: {} is not loaded: {}", what, failure.replace("not promoted", "not loaded"));
            return false;
        }
        state.close();
        try
        {
            beforeRecovery.run();
            state = parts.recovery().get();
        }
        catch (final RuntimeException ex)
        {
            parts.ringFailure().agentFailed("loading " + what, ex);
            return false;
        }
        stateMachine = state.stateMachine();
        startStandby();
        return true;
    }

    /**
     * Stops the primary's pipeline for a switchover: the ingress stops, the ring drains (journaled, acked by the
     * standby, applied), the replicator and catch-up server close, clients are let go.
     *
     * @return null once drained with the standby in sync, else why not (the node then takes no commands).
     */
    String stopPrimaryForHandover()
    {
        stopIngress();
        replicator.drainForHandover(); // a standby slow to ack is waited for, not dropped: the handover needs it
        try
        {
            disruptor.shutdown(STOP_TIMEOUT_S, TimeUnit.SECONDS); // journaled, acked by the standby, applied
        }
        catch (final com.lmax.disruptor.TimeoutException ex)
        {
            replicator.stopping();
            disruptor.halt();
        }
        if (!joinRingThreads() || parts.ringFailure().hasFailed() || !replicator.inSync() ||
            0 != replicator.lagCommands())
        {
            return "switchover failed while draining (" + (parts.ringFailure().hasFailed() ?
                parts.ringFailure().failure() : "the standby fell out of sync or the ring did not drain within " +
                STOP_TIMEOUT_S + " s") + "): this node takes no commands; restart it";
        }
        replicator.close();
        replicator = new NoReplication();
        CloseHelper.quietClose(catchUpRunner); // its subscription is this endpoint's, which the follower takes
        catchUpRunner = null;
        egress.closeAll();
        return null;
    }

    /**
     * The first half of a node's stop: takes no more commands (ingress, follower, catch-up server stop). No role
     * change starts after it.
     */
    public synchronized void stopTakingCommands()
    {
        closed = true;
        stopIngress();
        CloseHelper.quietClose(catchUpRunner); // before the journal it reads is closed
    }

    /**
     * The second half of a node's stop: lets every command already on the ring reach the journal and the state
     * machine, and snapshots the state if the ring drained whole.
     */
    public synchronized void drain()
    {
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
            if (joinRingThreads() && null != state.snapshotter() && !parts.ringFailure().hasFailed())
            {
                state.snapshotter().snapshotNow(stateMachine); // the ring has drained: the next start replays nothing
            }
        }
    }

    /** The last of a node's stop: lets go of the clients' response publications. */
    public synchronized void closeEgress()
    {
        if (null != egress)
        {
            egress.closeAll();
        }
    }

    /**
     * Stops the ingress agent, waiting for it at most {@link #STOP_TIMEOUT_S} (AgentRunner's own close waits for good):
     * a stop goes on to drain the ring without it.
     */
    private void stopIngress()
    {
        if (null != ingressOnRing)
        {
            stopIngressOnRing();
            return;
        }
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

    private void stopIngressOnRing()
    {
        try
        {
            if (!ingressOnRing.stopIngress(STOP_TIMEOUT_S, TimeUnit.SECONDS))
            {
                LOG.error("the ingress on the ring thread did not stop within {} s: stopping without it", STOP_TIMEOUT_S);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while stopping the ingress on the ring thread");
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

    /** How this node's journal syncs: counted, timed into the journal_sync stage, slow ones warned of. */
    private BatchCommit.Syncer syncer(final NanoClock clock)
    {
        return parts.counters().countingSyncer(
            clock, parts.histograms().recorder(Stage.JOURNAL_SYNC), config.journalFsyncSlowNs());
    }

    /** The handler, its stage timed to the end of each batch it handles, on its own thread. */
    private EventHandler<CommandEvent> timed(final EventHandler<CommandEvent> handler, final Stage stage)
    {
        return new StageTimedHandler(handler, ctx.nanoClock(), parts.histograms().recorder(stage), config.ringSize());
    }

    /** An image of the client ingress went away: the primary's ingress closes its sessions. */
    public void onUnavailableImage(final Image image)
    {
        final CommandRingProducer taking = ingress;
        if (null != taking)
        {
            taking.onUnavailableImage(image);
        }
    }

    /** This node's last log sequence as its heartbeats tell it: received (standby) or shipped (primary). */
    public long pairLogSequence()
    {
        final StandbyFollower following = follower;
        return standby && null != following ? following.lastLogSequence() : replicator.shippedLogSequence();
    }

    NodeParts parts()
    {
        return parts;
    }

    /** The recovered state the pipelines run over now. */
    public RecoveredState state()
    {
        return state;
    }

    /** Whether the node runs as a standby now. */
    public boolean isStandby()
    {
        return standby;
    }

    /**
     * The epoch this node serves or follows in now: a standby's is the newest it has taken frames of, so once it
     * follows a promoted primary its heartbeats carry that primary's epoch (which fences heartbeats of older ones).
     */
    public long currentEpoch()
    {
        final EpochFence following = standby ? fence : null;
        return null == following ? currentEpoch : Math.max(currentEpoch, following.epoch());
    }

    /** The standby's follower; null on a primary. */
    public StandbyFollower follower()
    {
        return follower;
    }

    /** What ships to the standby; a no-op without one. */
    public Replicator replicator()
    {
        return replicator;
    }

    public Disruptor<CommandEvent> ring()
    {
        return disruptor;
    }

    public JournalHandler journaling()
    {
        return journaling;
    }

    /** The primary's client ingress; null on a standby. */
    public CommandRingProducer ingress()
    {
        return ingress;
    }

    public EgressPublisher egress()
    {
        return egress;
    }

    public LimitStats limitStats()
    {
        return limitStats;
    }

    public DispatchHandler dispatchHandler()
    {
        return dispatchHandler;
    }

    /** The replication figures of the role now, for the stats line. */
    public String replicationStats()
    {
        final StandbyFollower following = follower;
        return (null == following ? replicator.stats() : following.stats()) +
            (null == catchUp ? "" : ", " + catchUp.stats()) +
            (null == fence ? "" : ", epoch " + fence.epoch() + ", older-epoch frames refused " + fence.refusedFrames()) +
            (null == standbyIngress ? "" : ", client frames dropped " + standbyIngress.droppedFrames());
    }
}
