package io.ringmq.transport.replication;

import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.ringmq.transport.OfferOutcome;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Failure detection between the two nodes of a pair: sends the other node a HEARTBEAT (this node's role, epoch and last
 * log sequence) every interval, and takes the other node as lost when none of its heartbeats has arrived for the
 * timeout. Its own timeout, far shorter than Aeron's connection liveness (10 s by default), which a failover that must
 * finish within a second cannot wait for. A loss and a return are each logged once.
 * <p>
 * A planned switchover goes through here too: a primary that has drained and seen its standby ack everything
 * {@link #handOver hands over}, sending HANDOVER frames in place of heartbeats; the standby's agent tells its
 * {@link HandoverListener} (every time one arrives: the listener acts once).
 * <p>
 * Fenced by epoch like replication frames: a heartbeat (or HANDOVER) of an epoch older than this node's comes from a
 * node that has since been replaced (an old primary back in its old epoch, a standby that has not yet taken a frame of
 * the new one): it is refused, counted, and logged once per spell, so it neither keeps that node "alive" here nor
 * tells this node anything.
 * <p>
 * On a loss it replaces its publication: a peer that restarts listens with a new subscription, which the old
 * publication's session would reach only after Aeron's own timeouts; a new one reaches it as soon as it is there.
 * <p>
 * Not thread-safe: {@link #doWork()} runs on one thread (its own agent runner); the peer's figures are volatile for
 * status readers.
 */
public final class PairHeartbeat implements Agent
{
    private static final Logger LOG = LoggerFactory.getLogger(PairHeartbeat.class);
    private static final long NO_HANDOVER = -1;

    /** Told when the other node, the primary, hands over to this one (on the heartbeat thread: must not block). */
    @FunctionalInterface
    public interface HandoverListener
    {
        /**
         * @param epoch       the handing-over primary's epoch: this node is to promote itself into the next one.
         * @param logSequence the primary's last command, which this node has acked.
         */
        void onHandover(long epoch, long logSequence);
    }

    private final Supplier<ExclusivePublication> publications;
    private final Subscription subscription;
    private final NanoClock nanoClock;
    private final long intervalNs;
    private final long timeoutNs;
    private final IntSupplier ownRole;
    private final LongSupplier epoch;
    private final LongSupplier logSequence;
    private final String peerName;
    private final HandoverListener handoverListener;
    private volatile long handoverLogSequence = NO_HANDOVER;
    private final UnsafeBuffer frame;
    private final int frameLength;
    /** The other node's client addresses as last received, raw, to decode only when they change. */
    private final UnsafeBuffer peerAddressBytes =
        new UnsafeBuffer(new byte[ReplicationFrames.MAX_CLIENT_ADDRESS_BYTES]);
    private int peerAddressLength = -1;
    private volatile String peerClientAddress = "";
    private final FragmentHandler onFragment = this::onFragment;
    private final long startedNs;
    private ExclusivePublication publication;
    private long nowNs;
    private long lastSentNs;
    private long sentHandover = NO_HANDOVER;
    private long sentEpoch;
    private int sentRole = -1;
    private boolean heardSinceStart;
    private boolean silenceAtStartLogged;
    private volatile boolean peerAlive;
    private volatile long lastHeardNs;
    private volatile long peerEpoch;
    private volatile long peerLogSequence;
    private volatile long losses;
    private volatile long refusedHeartbeats;
    /** Whether the last heartbeat that arrived was refused: a refusal is logged once per spell of them. */
    private boolean refusing;

    /**
     * @param publications adds a publication to the other node's endpoint on the heartbeat stream (again after a loss).
     * @param subscription this node's endpoint on the heartbeat stream.
     * @param ownRole      {@link ReplicationFrames#ROLE_PRIMARY} or {@link ReplicationFrames#ROLE_STANDBY} now.
     * @param epoch        this node's epoch now (read by this thread once per heartbeat).
     * @param logSequence  this node's last log sequence now.
     * @param peerName     how the log names the other node (its endpoint).
     * @param handoverListener told when the other node hands over to this one.
     * @param clientAddress    where clients reach this node (its UDP ingress endpoint, its Aeron directory), sent with
     *                         every heartbeat so the other node, as a standby, can redirect clients here; "" for none.
     */
    public PairHeartbeat(
        final Supplier<ExclusivePublication> publications,
        final Subscription subscription,
        final NanoClock nanoClock,
        final long intervalNs,
        final long timeoutNs,
        final IntSupplier ownRole,
        final LongSupplier epoch,
        final LongSupplier logSequence,
        final String peerName,
        final HandoverListener handoverListener,
        final String clientAddress)
    {
        final byte[] address = clientAddress.getBytes(StandardCharsets.UTF_8);
        final int addressBytes = address.length <= ReplicationFrames.MAX_CLIENT_ADDRESS_BYTES ? address.length : 0;
        this.frameLength = ReplicationFrames.HEARTBEAT_LENGTH + Integer.BYTES + addressBytes;
        this.frame = new UnsafeBuffer(ByteBuffer.allocateDirect(frameLength));
        frame.putInt(ReplicationFrames.HEARTBEAT_CLIENT_ADDRESS_OFFSET, addressBytes);
        frame.putBytes(ReplicationFrames.HEARTBEAT_CLIENT_ADDRESS_OFFSET + Integer.BYTES, address, 0, addressBytes);
        this.publications = publications;
        this.publication = publications.get();
        this.subscription = subscription;
        this.nanoClock = nanoClock;
        this.intervalNs = intervalNs;
        this.timeoutNs = timeoutNs;
        this.ownRole = ownRole;
        this.epoch = epoch;
        this.logSequence = logSequence;
        this.peerName = peerName;
        this.handoverListener = handoverListener;
        this.startedNs = nanoClock.nanoTime();
        this.lastSentNs = startedNs - intervalNs; // the first duty cycle beats at once
    }

    public String roleName()
    {
        return "ringmq-heartbeat";
    }

    public int doWork()
    {
        nowNs = nanoClock.nanoTime();
        int work = subscription.poll(onFragment, 16);
        work += beatIfDue();
        if (peerAlive && nowNs - lastHeardNs >= timeoutNs)
        {
            onLoss();
            work++;
        }
        else if (!heardSinceStart && !silenceAtStartLogged && nowNs - startedNs >= timeoutNs)
        {
            silenceAtStartLogged = true;
            LOG.warn("pair heartbeat: no heartbeat from the other node at {} within {} ms of this node's start: it " +
                "is taken as down until one arrives", peerName, TimeUnit.NANOSECONDS.toMillis(timeoutNs));
        }
        return work;
    }

    public void onClose()
    {
        CloseHelper.quietCloseAll(publication, subscription);
    }

    /**
     * From now on sends HANDOVER frames in place of heartbeats: the other node, the standby, is to promote itself.
     * Thread-safe.
     *
     * @param lastLogSequence this primary's last command, which the standby has acked.
     */
    public void handOver(final long lastLogSequence)
    {
        handoverLogSequence = lastLogSequence;
    }

    /** Back to heartbeats (a handover that did not happen, or one done: this node is a standby now). Thread-safe. */
    public void endHandover()
    {
        handoverLogSequence = NO_HANDOVER;
    }

    /** Whether a heartbeat of the other node arrived within the timeout. */
    public boolean peerAlive()
    {
        return peerAlive;
    }

    /** The other node's epoch in its last heartbeat (0 before the first). */
    public long peerEpoch()
    {
        return peerEpoch;
    }

    /** Where clients reach the other node, as its heartbeats say ("" until one says it, or from an older release). */
    public String peerClientAddress()
    {
        return peerClientAddress;
    }

    /** The other node's last log sequence in its last heartbeat. */
    public long peerLogSequence()
    {
        return peerLogSequence;
    }

    /** When (this agent's nano clock) the other node's last heartbeat arrived; meaningless before the first. */
    public long lastHeardNs()
    {
        return lastHeardNs;
    }

    /** Heartbeats (and HANDOVERs) refused for an epoch older than this node's. */
    public long refusedHeartbeats()
    {
        return refusedHeartbeats;
    }

    /** How many times the other node was taken as lost. */
    public long losses()
    {
        return losses;
    }

    /**
     * Beats when the interval is up, or at once when what it tells has changed (a promotion's new epoch, a role, a
     * handover: the other node learns it within a duty cycle, not an interval). A heartbeat not sent (no peer
     * connected, back pressure) is tried again at the next duty cycle, after the runner's idle (1 ms).
     */
    private int beatIfDue()
    {
        final long handover = handoverLogSequence;
        final long currentEpoch = epoch.getAsLong();
        final int role = ownRole.getAsInt();
        if (nowNs - lastSentNs < intervalNs && handover == sentHandover && currentEpoch == sentEpoch && role == sentRole)
        {
            return 0;
        }
        final boolean handingOver = NO_HANDOVER != handover;
        ReplicationFrames.writeHeartbeat(
            frame, handingOver, role, currentEpoch, handingOver ? handover : logSequence.getAsLong());
        if (OfferOutcome.SENT != OfferOutcome.offer(publication, frame, 0, frameLength))
        {
            return 0; // no work done: the runner idles before the retry (a peer that is down must not make this spin)
        }
        lastSentNs = nowNs;
        sentHandover = handover;
        sentEpoch = currentEpoch;
        sentRole = role;
        return 1;
    }

    private void onLoss()
    {
        peerAlive = false;
        losses++; // single writer: this thread
        LOG.warn("pair heartbeat: the other node at {} is lost: no heartbeat for {} ms (timeout {} ms; last from it: " +
            "epoch {}, log sequence {})", peerName, TimeUnit.NANOSECONDS.toMillis(nowNs - lastHeardNs),
            TimeUnit.NANOSECONDS.toMillis(timeoutNs), peerEpoch, peerLogSequence);
        CloseHelper.quietClose(publication);
        publication = publications.get();
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < ReplicationFrames.HEARTBEAT_LENGTH ||
            ReplicationFrames.VERSION != ReplicationFrames.version(buffer, offset) ||
            ReplicationFrames.HEARTBEAT != ReplicationFrames.type(buffer, offset) &&
            ReplicationFrames.HANDOVER != ReplicationFrames.type(buffer, offset))
        {
            return; // not a heartbeat of this version: the other node runs another release, and shows as lost
        }
        final long frameEpoch = ReplicationFrames.commandsEpoch(buffer, offset);
        if (frameEpoch < epoch.getAsLong())
        {
            refuse(frameEpoch);
            return;
        }
        refusing = false;
        peerEpoch = frameEpoch;
        peerLogSequence = ReplicationFrames.heartbeatLogSequence(buffer, offset);
        lastHeardNs = nowNs;
        heardSinceStart = true;
        takeClientAddress(buffer, offset, length);
        if (!peerAlive)
        {
            peerAlive = true;
            LOG.info("pair heartbeat: the other node at {} is alive ({}, epoch {}, log sequence {})", peerName,
                ReplicationFrames.ROLE_STANDBY == ReplicationFrames.count(buffer, offset) ? "standby" : "primary",
                peerEpoch, peerLogSequence);
        }
        if (ReplicationFrames.HANDOVER == ReplicationFrames.type(buffer, offset))
        {
            handoverListener.onHandover(peerEpoch, peerLogSequence);
        }
    }

    private void refuse(final long frameEpoch)
    {
        if (!refusing)
        {
            refusing = true;
            LOG.warn("pair heartbeat: refused a heartbeat of epoch {} from the node at {}: this node is in epoch {} " +
                "(it is not taken as alive; further refusals in a row are counted, not logged)", frameEpoch, peerName,
                epoch.getAsLong());
        }
        refusedHeartbeats++; // single writer: this thread
    }

    /** Takes the client addresses a heartbeat carries, decoding them only when they differ from the last ones. */
    private void takeClientAddress(final DirectBuffer buffer, final int offset, final int length)
    {
        final int at = offset + ReplicationFrames.HEARTBEAT_CLIENT_ADDRESS_OFFSET;
        if (length < ReplicationFrames.HEARTBEAT_CLIENT_ADDRESS_OFFSET + Integer.BYTES)
        {
            return; // a node of an earlier release: no addresses
        }
        final int addressLength = buffer.getInt(at);
        if (addressLength < 0 || addressLength > ReplicationFrames.MAX_CLIENT_ADDRESS_BYTES ||
            length < ReplicationFrames.HEARTBEAT_CLIENT_ADDRESS_OFFSET + Integer.BYTES + addressLength)
        {
            return;
        }
        if (addressLength == peerAddressLength && sameBytes(buffer, at + Integer.BYTES, addressLength))
        {
            return;
        }
        peerAddressBytes.putBytes(0, buffer, at + Integer.BYTES, addressLength);
        peerAddressLength = addressLength;
        peerClientAddress = peerAddressBytes.getStringWithoutLengthUtf8(0, addressLength);
    }

    private boolean sameBytes(final DirectBuffer buffer, final int at, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (peerAddressBytes.getByte(i) != buffer.getByte(at + i))
            {
                return false;
            }
        }
        return true;
    }
}
