package io.ringmq.daemon.failover;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The pair's registry as the witness holds it: {epoch, primary, in-sync standby, the primary's lease expiry}, changed
 * only by compare-and-set. Pure: time arrives with each operation (the cluster log's timestamp of the request, so a
 * replay of the witness's log reaches the same registry), no I/O, no clock.
 * <ul>
 *     <li>{@link #renew}: the primary takes or renews its lease. Granted to the node that holds the registry's epoch,
 *     or to a node that announces a newer epoch than the registry's (a standby promoted by hand: its epoch was raised
 *     by an operator, and the old primary's next renewal is refused).</li>
 *     <li>{@link #promote}: the standby's compare-and-set to epoch + 1. Granted only if the registry still stands at
 *     the epoch the standby follows, the primary named the standby in sync at its last renewal, and the primary's
 *     lease expired at least the drift margin ago.</li>
 * </ul>
 * Node ids: {@link #NODE_OF_PRIMARY_ENDPOINT} for the node on {@code ringmq.replication.primary.endpoint}, {@link
 * #NODE_OF_STANDBY_ENDPOINT} for the other: fixed by endpoint, not by role, since roles swap at a failover.
 * <p>
 * Not thread-safe: owned by the witness's service thread (or a test).
 */
public final class WitnessRegistry
{
    public static final int NO_NODE = 0;
    public static final int NODE_OF_PRIMARY_ENDPOINT = 1;
    public static final int NODE_OF_STANDBY_ENDPOINT = 2;
    /** What {@link #encode} writes: epoch, expiry (8 bytes each), primary, in-sync standby (4 bytes each). */
    public static final int ENCODED_LENGTH = 24;

    private final long leaseNs;
    private final long driftNs;
    private long epoch;
    private int primary = NO_NODE;
    private int inSyncStandby = NO_NODE;
    private long leaseExpiryNs;

    /**
     * @param leaseNs how long a granted lease lasts from the request's timestamp.
     * @param driftNs how long after the lease's expiry a standby may take the next epoch.
     */
    public WitnessRegistry(final long leaseNs, final long driftNs)
    {
        this.leaseNs = leaseNs;
        this.driftNs = driftNs;
    }

    /**
     * The primary's lease request.
     *
     * @param node          the requesting node.
     * @param nodeEpoch     the epoch it serves in.
     * @param inSyncStandby the standby whose acks its receipts wait for now, or {@link #NO_NODE}.
     * @param nowNs         the request's timestamp.
     * @return whether the lease is granted (until {@code nowNs} + lease).
     */
    public boolean renew(final int node, final long nodeEpoch, final int inSyncStandby, final long nowNs)
    {
        final boolean holder = node == primary && nodeEpoch == epoch;
        if (!holder && nodeEpoch <= epoch)
        {
            return false; // another node's epoch, or an older one: a replaced primary
        }
        epoch = nodeEpoch;
        primary = node;
        this.inSyncStandby = inSyncStandby;
        leaseExpiryNs = nowNs + leaseNs;
        return true;
    }

    /**
     * The standby's compare-and-set to {@code expectedEpoch} + 1.
     *
     * @return whether it won: the registry then names it primary of the next epoch, with a fresh lease.
     */
    public boolean promote(final int node, final long expectedEpoch, final long nowNs)
    {
        if (expectedEpoch != epoch || node == primary || node != inSyncStandby || nowNs - leaseExpiryNs < driftNs)
        {
            return false;
        }
        epoch = expectedEpoch + 1;
        primary = node;
        inSyncStandby = NO_NODE;
        leaseExpiryNs = nowNs + leaseNs;
        return true;
    }

    public long epoch()
    {
        return epoch;
    }

    public int primary()
    {
        return primary;
    }

    public int inSyncStandby()
    {
        return inSyncStandby;
    }

    public long leaseExpiryNs()
    {
        return leaseExpiryNs;
    }

    public long leaseNs()
    {
        return leaseNs;
    }

    /** Writes the registry for a snapshot: {@link #ENCODED_LENGTH} bytes, little-endian. */
    public void encode(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putLong(offset, epoch, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + 8, leaseExpiryNs, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(offset + 16, primary, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(offset + 20, inSyncStandby, ByteOrder.LITTLE_ENDIAN);
    }

    /** Reads what {@link #encode} wrote. */
    public void decode(final DirectBuffer buffer, final int offset)
    {
        epoch = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
        leaseExpiryNs = buffer.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN);
        primary = buffer.getInt(offset + 16, ByteOrder.LITTLE_ENDIAN);
        inSyncStandby = buffer.getInt(offset + 20, ByteOrder.LITTLE_ENDIAN);
    }
}
