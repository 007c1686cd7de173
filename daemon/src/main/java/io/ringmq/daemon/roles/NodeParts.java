package io.ringmq.daemon.roles;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.DaemonContext;
import io.ringmq.daemon.counters.DaemonCounters;
import io.ringmq.daemon.failover.PrimaryLease;
import io.ringmq.daemon.pipeline.ClientPresence;
import io.ringmq.daemon.pipeline.RingFailure;
import io.ringmq.daemon.pipeline.StageHistograms;
import io.ringmq.daemon.pipeline.StateReadLock;
import io.ringmq.daemon.replication.NodeAdminResponder;
import io.ringmq.daemon.replication.PairIdentity;
import io.ringmq.daemon.snapshot.SnapshotStore;

import java.util.function.Supplier;

/**
 * What a node's pipelines are built on and outlives every role change: the Aeron client and its counters, the client
 * ingress subscriptions, the node-admin responder (the recovered state is {@link RecoveredState}, which a standby can
 * replace).
 *
 * @param pair  null without a pair.
 * @param lease the primary's lease from the witness; null without a witness.
 * @param snapshotStore the node's snapshot files, opened anew for each reader (a catch-up server, a follower).
 * @param recovery      recovers the state from the newest snapshot and the journal after it, as a start does (a
 *                      journal that ends before that snapshot is moved aside).
 */
public record NodeParts(
    DaemonContext ctx,
    RingmqConfig config,
    Aeron aeron,
    DaemonCounters counters,
    StageHistograms histograms,
    ClientPresence clientPresence,
    PairIdentity pair,
    Subscription[] ingressSubscriptions,
    StateReadLock stateLock,
    NodeAdminResponder nodeAdmin,
    RingFailure ringFailure,
    PrimaryLease lease,
    Supplier<SnapshotStore> snapshotStore,
    Supplier<RecoveredState> recovery)
{
}
