package io.ringmq.daemon.roles;

import io.ringmq.config.ReplicationAck;
import io.ringmq.replicator.Replicator;
import io.ringmq.transport.replication.PairHeartbeat;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** The primary's side of a planned switchover: it hands over to its caught-up standby and becomes its standby. */
public final class Switchover
{
    private static final Logger LOG = LoggerFactory.getLogger(Switchover.class);

    private final RolePipelines pipelines;
    private final NodeParts parts;
    /** The pair's heartbeats; null without a pair. */
    private final PairHeartbeat heartbeat;

    public Switchover(final RolePipelines pipelines, final PairHeartbeat heartbeat)
    {
        this.pipelines = pipelines;
        this.parts = pipelines.parts();
        this.heartbeat = heartbeat;
    }

    /**
     * Stops taking commands (the ingress stops; what clients send meanwhile is not taken, never receipted), lets the
     * ring drain (every command journaled, acked by the standby, applied, answered), hands over to the standby
     * (HANDOVER frames in place of heartbeats) and, once the standby beats in the next epoch, becomes its standby in
     * this process: the same journal and state, which equal the new primary's up to its EpochStarted, so it follows
     * without divergence.
     *
     * @return null once this node follows the new primary, else why not: a refusal changes nothing.
     */
    public String switchover()
    {
        synchronized (pipelines)
        {
            final String refusal = refusal();
            if (null != refusal)
            {
                return refusal;
            }
            final NanoClock clock = parts.ctx().nanoClock();
            final long startNs = clock.nanoTime();
            final long epoch = pipelines.currentEpoch();
            final String peer = parts.pair().peerEndpoint();
            LOG.warn("planned switchover: this primary stops taking commands and hands over to the standby at {}",
                peer);
            final String failure = pipelines.stopPrimaryForHandover();
            if (null != failure)
            {
                return failure;
            }
            final long lastLogSequence = pipelines.state().stateMachine().lastLogSequence(); // the ring has drained: no other reader
            heartbeat.handOver(lastLogSequence);
            final long deadlineNs = startNs + TimeUnit.SECONDS.toNanos(RolePipelines.STOP_TIMEOUT_S);
            while (heartbeat.peerEpoch() <= epoch)
            {
                if (clock.nanoTime() - deadlineNs > 0)
                {
                    heartbeat.endHandover();
                    return "the standby at " + peer + " did not take over within " + RolePipelines.STOP_TIMEOUT_S +
                        " s (its last heartbeat: epoch " + heartbeat.peerEpoch() + ", log sequence " +
                        heartbeat.peerLogSequence() + ", alive " + heartbeat.peerAlive() + "; see its log): this " +
                        "node takes no commands; promote one of the two with bin/ringmq promote";
                }
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
            heartbeat.endHandover();
            pipelines.startStandby();
            LOG.warn("planned switchover: the node at {} is the primary of epoch {}; this node follows it from log " +
                "sequence {} (handed over in {} ms)", peer, heartbeat.peerEpoch(), lastLogSequence,
                TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - startNs));
            return null;
        }
    }

    /** Why this node cannot switch over now; null if it can. */
    private String refusal()
    {
        final Replicator replicator = pipelines.replicator();
        return pipelines.closed ? "the daemon is stopping" :
            null == parts.pair() ? "this daemon has no pair: nothing to switch over to" :
            pipelines.isStandby() ? "this node is the standby: switch over at the primary (" +
                parts.pair().peerEndpoint() + ")" :
            ReplicationAck.NONE == parts.config().replicationAck() ? "ringmq.replication.ack=NONE: the standby's " +
                "acks are not awaited, so nothing says when it has every command; stop this node and promote the " +
                "standby" :
            !replicator.inSync() || !replicator.standbyConnected() || !heartbeat.peerAlive() ? "the standby at " +
                parts.pair().peerEndpoint() + " is not in sync or not heard (status: inSync, peerAlive): a " +
                "switchover hands over to a caught-up standby only" : null;
    }
}
