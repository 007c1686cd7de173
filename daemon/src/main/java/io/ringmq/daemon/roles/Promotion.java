package io.ringmq.daemon.roles;

import io.ringmq.daemon.replication.StandbyFollower;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A standby becoming the primary, in the three ways it can: told to (bin/ringmq promote), handed over to by its
 * primary (planned switchover), or granted the next epoch by the witness (automatic failover). Each holds the
 * pipelines' monitor, so no two role changes, and no stop, run at once.
 */
public final class Promotion
{
    private static final Logger LOG = LoggerFactory.getLogger(Promotion.class);

    private final RolePipelines pipelines;
    private final NodeParts parts;
    private final BooleanSupplier primaryHeardGone;
    /** The last handover epoch logged as not taken; the heartbeat thread's own. */
    private long ignoredHandoverEpoch;

    /**
     * @param primaryHeardGone whether the pair's heartbeats, heard before, have stopped: the primary is gone although
     *                         its replication stream may still look connected until Aeron's image times out (~10 s).
     */
    public Promotion(final RolePipelines pipelines, final BooleanSupplier primaryHeardGone)
    {
        this.pipelines = pipelines;
        this.parts = pipelines.parts();
        this.primaryHeardGone = primaryHeardGone;
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
    public String promote(final boolean force)
    {
        synchronized (pipelines)
        {
            if (pipelines.closed)
            {
                return "the daemon is stopping";
            }
            if (!pipelines.isStandby())
            {
                return "this node is the primary already (epoch " + pipelines.state().stateMachine().epoch() + "): only a " +
                    "standby is promoted";
            }
            final StandbyFollower following = pipelines.follower();
            if (!force)
            {
                if (following.isConnected() && !primaryHeardGone.getAsBoolean())
                {
                    return "the primary at " + parts.pair().peerEndpoint() + " is still connected: stop it first " +
                        "(two primaries would both take clients), or promote with --force";
                }
                if (0 != following.installedSnapshotLogSequence())
                {
                    return "this standby installed the primary's snapshot at log sequence " +
                        following.installedSnapshotLogSequence() + " and applies nothing until it has loaded it (in " +
                        "a moment): try again, or promote with --force to serve the state it has";
                }
                if (following.isCatchingUp())
                {
                    return "this standby is not caught up: it is at log sequence " + following.lastLogSequence() +
                        " and catching up, so the primary receipted commands it lacks; promote with --force to " +
                        "serve without them";
                }
            }
            return becomePrimary(force ? " (forced)" : "");
        }
    }

    /**
     * The standby's side of a planned switchover (on the heartbeat thread, which must not wait): the primary has
     * stopped taking commands and this standby has acked every one up to {@code logSequence}; it promotes itself on a
     * thread of its own, once, as soon as it has received them all.
     */
    public void onHandover(final long epoch, final long logSequence)
    {
        if (pipelines.isStandby() && epoch != pipelines.currentEpoch() && epoch != ignoredHandoverEpoch)
        {
            // Logged once per epoch (HANDOVER frames come every duty cycle): a switchover that hangs says why here.
            ignoredHandoverEpoch = epoch;
            LOG.warn("planned switchover: a handover of epoch {} (after log sequence {}) is not taken: this standby " +
                "follows epoch {}", epoch, logSequence, pipelines.currentEpoch());
        }
        if (!pipelines.isStandby() || epoch != pipelines.currentEpoch() ||
            !pipelines.takingOver.compareAndSet(false, true))
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

    private String promoteOnHandover(final long logSequence)
    {
        synchronized (pipelines)
        {
            if (pipelines.closed || !pipelines.isStandby())
            {
                return pipelines.closed ? "the daemon is stopping" : "not a standby";
            }
            final StandbyFollower following = pipelines.follower();
            final NanoClock clock = parts.ctx().nanoClock();
            final long startNs = clock.nanoTime();
            final long deadlineNs = startNs + TimeUnit.SECONDS.toNanos(RolePipelines.STOP_TIMEOUT_S);
            boolean waitLogged = false;
            while (following.lastLogSequence() < logSequence) // it acked them: they are here, or arriving
            {
                if (!waitLogged && clock.nanoTime() - startNs > TimeUnit.SECONDS.toNanos(1))
                {
                    waitLogged = true; // they should be here already: a hang says what it waits for
                    LOG.warn("planned switchover: taking over after log sequence {}, but this standby has received " +
                        "up to {} so far (catching up: {})", logSequence, following.lastLogSequence(),
                        following.isCatchingUp());
                }
                if (clock.nanoTime() - deadlineNs > 0)
                {
                    return "it has received up to log sequence " + following.lastLogSequence() + " only";
                }
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
            // No "primary still connected" check: the primary has stopped taking commands and waits for this.
            return becomePrimary(" (planned switchover: the primary handed over after log sequence " + logSequence +
                ")");
        }
    }

    /** The standby won epoch {@code epoch} at the witness: the promote path, on a thread of its own. */
    public void promoteAutomatically(final long epoch)
    {
        synchronized (pipelines)
        {
            final long following = pipelines.currentEpoch();
            if (pipelines.closed || !pipelines.isStandby() || epoch != following + 1)
            {
                LOG.error("automatic failover: the witness granted epoch {}, but this node {}: not promoted", epoch,
                    pipelines.closed ? "is stopping" : !pipelines.isStandby() ? "is the primary already" :
                    "follows epoch " + following);
                return;
            }
            pipelines.promotedAutomatically = true;
            final String refusal;
            try
            {
                refusal = becomePrimary(" (automatic failover: the witness granted epoch " + epoch + ")");
            }
            finally
            {
                pipelines.promotedAutomatically = false;
            }
            if (null != refusal)
            {
                LOG.error("automatic failover: not promoted: {}", refusal);
            }
        }
    }

    /** Stops following, lets the ring drain, and starts the primary's pipeline in the next epoch. */
    private String becomePrimary(final String why)
    {
        LOG.warn("promoting this standby to primary{}: stopping the follower at log sequence {}", why,
            pipelines.follower().lastLogSequence());
        final String failure = pipelines.stopStandby();
        if (null != failure)
        {
            return failure;
        }
        final long epoch = pipelines.state().stateMachine().epoch() + 1;
        pipelines.startPrimary(true);
        return awaitEpochApplied(epoch);
    }

    /**
     * Waits until the new primary's first command, its EpochStarted, is applied, so a status asked after the promote
     * answers shows the new epoch; under {@code ringmq.replication.standby.lost=HOLD} with no standby connected, that
     * waits for a standby to come and ack it, so the promote is answered then without waiting (and says so in the log).
     *
     * @return null once applied, or held for a standby, else why not.
     */
    private String awaitEpochApplied(final long epoch)
    {
        final NanoClock clock = parts.ctx().nanoClock();
        final long deadlineNs = clock.nanoTime() + TimeUnit.SECONDS.toNanos(RolePipelines.STOP_TIMEOUT_S);
        try
        {
            while (true)
            {
                final Long applied = parts.stateLock().read(TimeUnit.SECONDS.toNanos(1),
                    pipelines.state().stateMachine()::epoch);
                if (null != applied && applied >= epoch)
                {
                    return null;
                }
                if (pipelines.replicator().holdsForAbsentStandby())
                {
                    LOG.warn("promoted to epoch {}, but with ringmq.replication.standby.lost=HOLD every command, this " +
                        "epoch's start included, waits for a standby to ack it, and none is connected: start the " +
                        "other node with --role standby (it catches up and then the held commands are answered)",
                        epoch);
                    return null;
                }
                if (parts.ringFailure().hasFailed() || clock.nanoTime() - deadlineNs > 0)
                {
                    return "promoted, but epoch " + epoch + " is not applied yet: " + (parts.ringFailure().hasFailed() ?
                        parts.ringFailure().failure() : "the ring is slow (see the daemon's log)");
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
}
