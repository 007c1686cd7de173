package io.ringmq.daemon.failover;

import io.aeron.Aeron;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A node's link to the witness, on a thread of its own (never the ring's): an Aeron Cluster client of the witness's
 * one-member cluster.
 * <ul>
 *     <li>Primary: asks for its lease every quarter lease ({@link WitnessMessages#RENEW}, naming the standby its
 *     receipts wait for, if in sync); a grant extends the {@link PrimaryLease}, a refusal revokes it.</li>
 *     <li>Standby: reads the registry once a lease (keeping its session alive in between); once {@link Node#mayPromote()} (it is caught up and the primary's heartbeat
 *     is lost) asks for epoch + 1 ({@link WitnessMessages#PROMOTE}) every quarter lease until the witness grants or
 *     the primary is heard again; a grant starts {@link Node#promote(long)} (which must not run on this thread).</li>
 * </ul>
 * An unreachable witness (a request unanswered for two leases) is logged once per outage and counted; the link
 * reconnects by itself. The witness counts as reachable from its first answer on a session, not from the session's
 * connect: a fresh session's first answers may be lost (and the node's start may keep this thread from asking), and
 * that must not read as an outage.
 * <p>
 * Not thread-safe: runs on its own agent thread, except the read-only accessors.
 */
public final class WitnessLink implements Agent
{
    private static final Logger LOG = LoggerFactory.getLogger(WitnessLink.class);

    /** The node as the link sees it. */
    public interface Node
    {
        boolean isStandby();

        /** The epoch the node serves (primary) or follows (standby) in. */
        long epoch();

        /** Primary: the standby its receipts wait for now, or {@link WitnessRegistry#NO_NODE}. */
        int inSyncStandby();

        /** Standby: caught up and the primary's heartbeat lost. */
        boolean mayPromote();

        /** Standby: the witness granted it {@code epoch}; promote now (on a thread of its own). */
        void promote(long epoch);
    }

    private final Aeron aeron;
    private final String ingressEndpoints;
    private final String egressChannel;
    private final int nodeId;
    private final Node node;
    private final PrimaryLease lease;
    private final NanoClock clock;
    private final long intervalNs;
    private final long leaseNs;
    private final long unreachableAfterNs;
    private final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(WitnessMessages.REQUEST_LENGTH));
    private final EgressListener egress = this::onAnswer;
    private AeronCluster.AsyncConnect connecting;
    private AeronCluster cluster;
    private long nextRequestNs;
    private long nextConnectNs;
    private long lastContactNs;
    /** Whether the witness answered on this session. */
    private boolean answered;
    /** Whether a request sent since the last answer waits for one; since when. */
    private boolean awaiting;
    private long awaitingSinceNs;
    private long nextReadNs;
    private long refusedEpoch = -1;
    private boolean promoting;
    private volatile boolean reachable;
    private volatile long registryEpoch = -1;
    private volatile int registryInSyncStandby = WitnessRegistry.NO_NODE;
    private volatile long outages;

    /**
     * @param witnessEndpoint {@code ringmq.replication.witness.endpoint}.
     * @param egressHost      where this node takes the witness's answers (its own pair endpoint's host).
     * @param nodeId          {@link WitnessRegistry#NODE_OF_PRIMARY_ENDPOINT} or the other.
     * @param leaseNs         the lease length: requests go every quarter of it.
     */
    public WitnessLink(
        final Aeron aeron,
        final String witnessEndpoint,
        final String egressHost,
        final int nodeId,
        final Node node,
        final PrimaryLease lease,
        final NanoClock clock,
        final long leaseNs)
    {
        this.aeron = aeron;
        this.ingressEndpoints = WitnessEndpoints.of(witnessEndpoint).ingressEndpoints();
        this.egressChannel = "aeron:udp?endpoint=" + egressHost + ":0|term-length=256k";
        this.nodeId = nodeId;
        this.node = node;
        this.lease = lease;
        this.clock = clock;
        this.intervalNs = Math.max(1, leaseNs / 4);
        this.leaseNs = leaseNs;
        this.unreachableAfterNs = 2 * leaseNs;
        this.lastContactNs = clock.nanoTime();
    }

    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        int work = null == cluster ? connect(nowNs) : 0;
        if (null != cluster)
        {
            work += cluster.pollEgress();
            if (cluster.isClosed())
            {
                disconnect(nowNs, "its session closed");
            }
            else if (nowNs - nextRequestNs >= 0)
            {
                nextRequestNs = nowNs + intervalNs;
                work += ask(nowNs);
            }
        }
        noteReachability(nowNs);
        return work;
    }

    private int connect(final long nowNs)
    {
        try
        {
            if (null == connecting)
            {
                if (nowNs - nextConnectNs < 0)
                {
                    return 0;
                }
                connecting = AeronCluster.asyncConnect(new AeronCluster.Context()
                    .aeron(aeron)
                    .ownsAeronClient(false)
                    .ingressChannel("aeron:udp?term-length=256k")
                    .ingressEndpoints(ingressEndpoints)
                    .egressChannel(egressChannel)
                    .messageTimeoutNs(Math.max(unreachableAfterNs * 4, TimeUnit.SECONDS.toNanos(1)))
                    .egressListener(egress));
            }
            cluster = connecting.poll();
            if (null == cluster)
            {
                return 0;
            }
            connecting = null;
            lastContactNs = nowNs;
            nextRequestNs = nowNs;
            answered = false;
            awaiting = false;
            LOG.info("failover: connected to the witness at {}", ingressEndpoints);
            return 1;
        }
        catch (final RuntimeException ex) // a timeout, the witness's answer missing: try again after a while
        {
            CloseHelper.quietClose(connecting);
            connecting = null;
            nextConnectNs = nowNs + intervalNs;
            LOG.debug("failover: cannot connect to the witness: {}", ex.toString());
            return 0;
        }
    }

    private int ask(final long nowNs)
    {
        final long epoch = node.epoch();
        if (!node.isStandby())
        {
            promoting = false;
            WitnessMessages.request(request, WitnessMessages.RENEW, nodeId, epoch, node.inSyncStandby(), nowNs);
        }
        else if (!promoting && node.mayPromote())
        {
            WitnessMessages.request(request, WitnessMessages.PROMOTE, nodeId, epoch, WitnessRegistry.NO_NODE, nowNs);
        }
        else if (nowNs - nextReadNs >= 0)
        {
            // Once a lease, not every interval: each request is an entry in the witness's log.
            nextReadNs = nowNs + leaseNs;
            WitnessMessages.request(request, WitnessMessages.READ, nodeId, epoch, WitnessRegistry.NO_NODE, nowNs);
        }
        else
        {
            cluster.sendKeepAlive(); // the session's other intervals
            return 1;
        }
        if (cluster.offer(request, 0, WitnessMessages.REQUEST_LENGTH) <= 0)
        {
            return 0;
        }
        if (!awaiting)
        {
            awaiting = true;
            awaitingSinceNs = nowNs;
        }
        return 1;
    }

    private void onAnswer(
        final long clusterSessionId,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        if (length < WitnessMessages.ANSWER_LENGTH)
        {
            return;
        }
        final long sentNs = WitnessMessages.answerCorrelationId(buffer, offset);
        lastContactNs = Math.max(lastContactNs, sentNs);
        answered = true;
        if (awaiting && sentNs - awaitingSinceNs >= 0) // the answer to the oldest request waiting, or a later one
        {
            awaiting = false;
        }
        final boolean granted = WitnessMessages.granted(buffer, offset);
        final long registryEpoch = WitnessMessages.registryEpoch(buffer, offset);
        this.registryEpoch = registryEpoch;
        this.registryInSyncStandby = WitnessMessages.registryInSyncStandby(buffer, offset);
        switch (WitnessMessages.type(buffer, offset))
        {
            case WitnessMessages.RENEW ->
            {
                if (granted)
                {
                    lease.grant(sentNs, WitnessMessages.leaseNs(buffer, offset));
                    refusedEpoch = -1;
                }
                else
                {
                    lease.revoke();
                    if (refusedEpoch != registryEpoch)
                    {
                        refusedEpoch = registryEpoch;
                        LOG.error("failover: the witness refused this primary's lease: its registry names node {} " +
                            "primary of epoch {} (this node serves epoch {}); this node receipts only what its " +
                            "standby acks", WitnessMessages.registryPrimary(buffer, offset), registryEpoch,
                            node.epoch());
                    }
                }
            }
            case WitnessMessages.PROMOTE ->
            {
                if (granted && !promoting)
                {
                    promoting = true;
                    lease.grant(sentNs, WitnessMessages.leaseNs(buffer, offset));
                    LOG.warn("failover: the witness granted this standby epoch {}: promoting", registryEpoch);
                    node.promote(registryEpoch);
                }
            }
            default ->
            {
            }
        }
    }

    private void noteReachability(final long nowNs)
    {
        final boolean now = null != cluster && answered && (!awaiting || nowNs - awaitingSinceNs < unreachableAfterNs);
        if (now != reachable)
        {
            reachable = now;
            if (now)
            {
                LOG.info("failover: the witness at {} is reachable: automatic failover on", ingressEndpoints);
            }
            else
            {
                outages++;
                LOG.error("failover: the witness at {} is unreachable: no automatic failover until it is back " +
                    "(the pair keeps serving; see README, Automatic failover)", ingressEndpoints);
            }
        }
        if (null != cluster && nowNs - lastContactNs > 4 * unreachableAfterNs)
        {
            disconnect(nowNs, "no answer for " + TimeUnit.NANOSECONDS.toMillis(nowNs - lastContactNs) + " ms");
        }
    }

    private void disconnect(final long nowNs, final String why)
    {
        LOG.debug("failover: reconnecting to the witness: {}", why);
        CloseHelper.quietClose(cluster);
        cluster = null;
        nextConnectNs = nowNs + intervalNs;
    }

    /** Whether the witness answered this node's session, and no request of it has waited two leases since. */
    public boolean witnessReachable()
    {
        return reachable;
    }

    /** The registry's epoch as the witness's last answer told it; -1 before any. */
    public long registryEpoch()
    {
        return registryEpoch;
    }

    /** The standby the registry named in sync at the witness's last answer. */
    public int registryInSyncStandby()
    {
        return registryInSyncStandby;
    }

    /** Times the witness became unreachable since start. */
    public long witnessOutages()
    {
        return outages;
    }

    public void onClose()
    {
        CloseHelper.quietCloseAll(connecting, cluster);
    }

    public String roleName()
    {
        return "ringmq-witness-link";
    }
}
