package io.ringmq.daemon.roles;

import io.ringmq.daemon.failover.WitnessLink;
import io.ringmq.daemon.failover.WitnessRegistry;
import io.ringmq.daemon.replication.StandbyFollower;
import io.ringmq.replicator.Replicator;

import java.util.function.BooleanSupplier;

/** A node of a pair as its link to the witness sees it: its role and epoch, whether it may promote, and promoting. */
public final class PairWitnessNode implements WitnessLink.Node
{
    private final RolePipelines pipelines;
    private final Promotion promotion;
    private final BooleanSupplier peerAlive;
    /** The witness's id of the other node. */
    private final int peer;

    public PairWitnessNode(
        final RolePipelines pipelines, final Promotion promotion, final BooleanSupplier peerAlive, final int peer)
    {
        this.pipelines = pipelines;
        this.promotion = promotion;
        this.peerAlive = peerAlive;
        this.peer = peer;
    }

    public boolean isStandby()
    {
        return pipelines.isStandby();
    }

    public long epoch()
    {
        return pipelines.currentEpoch();
    }

    public int inSyncStandby()
    {
        final Replicator shipping = pipelines.replicator();
        return shipping.isActive() && shipping.inSync() && shipping.standbyConnected() && peerAlive.getAsBoolean() ?
            peer : WitnessRegistry.NO_NODE;
    }

    public boolean mayPromote()
    {
        final StandbyFollower following = pipelines.follower();
        return pipelines.isStandby() && null != following && !peerAlive.getAsBoolean() && !following.isCatchingUp() &&
            0 == following.installedSnapshotLogSequence();
    }

    /** On a thread of its own: the witness link's must go on beating. */
    public void promote(final long epoch)
    {
        final Thread promoting = new Thread(() -> promotion.promoteAutomatically(epoch), "ringmq-auto-promote");
        promoting.setDaemon(true);
        promoting.start();
    }
}
