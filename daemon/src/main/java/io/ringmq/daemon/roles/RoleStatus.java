package io.ringmq.daemon.roles;

import io.ringmq.core.state.StateDigest;
import io.ringmq.daemon.replication.StandbyFollower;
import io.ringmq.replicator.Replicator;
import io.ringmq.transport.NodeStatus;

import java.util.function.BooleanSupplier;

/** What a node is and where its state stands, as `bin/ringmq status` shows it. */
public final class RoleStatus
{
    private final RolePipelines pipelines;
    private final NodeParts parts;
    private final BooleanSupplier peerAlive;
    private final BooleanSupplier witnessReachable;
    /** Used by status requests only, on the node-admin thread, inside the state lock. */
    private final StateDigest digest = new StateDigest();

    /**
     * @param peerAlive        whether the other node of the pair beats (false without a pair).
     * @param witnessReachable whether the pair's witness answers this node (false without a witness).
     */
    public RoleStatus(
        final RolePipelines pipelines, final BooleanSupplier peerAlive, final BooleanSupplier witnessReachable)
    {
        this.pipelines = pipelines;
        this.parts = pipelines.parts();
        this.peerAlive = peerAlive;
        this.witnessReachable = witnessReachable;
    }

    /**
     * The log sequence the state has reached (read between ring batches), without the digest: cheap enough to poll
     * while the node works (a digest walks the whole state, and the dispatcher waits for it).
     *
     * @return the log sequence, or -1 if the state could not be read in time.
     */
    public long logSequence() throws InterruptedException
    {
        final var stateMachine = pipelines.state().stateMachine();
        final Long logSequence =
            parts.stateLock().read(parts.config().clientConnectTimeoutNs(), stateMachine::lastLogSequence);
        return null == logSequence ? -1 : logSequence;
    }

    /**
     * Role, epoch, the log sequence and digest of its state (read between ring batches), lag and sync with the other
     * node. Waits up to the client connect timeout for the dispatcher to finish a batch.
     *
     * @return the status, or null if the state could not be read in time.
     */
    public NodeStatus status() throws InterruptedException
    {
        final Replicator shipping = pipelines.replicator();
        final StandbyFollower following = pipelines.follower();
        final boolean isStandby = pipelines.isStandby() && null != following;
        final var stateMachine = pipelines.state().stateMachine();
        final long[] state = parts.stateLock().read(parts.config().clientConnectTimeoutNs(), () -> new long[]{
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
                    0 == lag, parts.pair().peerEndpoint(), peerAlive.getAsBoolean(), witnessReachable.getAsBoolean());
        }
        final long lag = shipping.lagCommands();
        final long lagMicros = 0 == lag ? 0 :
            Math.max(0, parts.ctx().nanoClock().nanoTime() - shipping.behindSinceNs()) / 1000;
        // The epoch it serves: a promoted primary holding its EpochStarted for a standby (HOLD) is in it already.
        return new NodeStatus(NodeStatus.PRIMARY, Math.max(state[0], pipelines.currentEpoch()), state[1], state[2], lag,
            lagMicros,
            shipping.isActive() && shipping.inSync() && shipping.standbyConnected(),
            null == parts.pair() ? "" : parts.pair().ownEndpoint(), peerAlive.getAsBoolean(),
            witnessReachable.getAsBoolean());
    }
}
