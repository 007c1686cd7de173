package io.ringmq.daemon.failover;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The witness's requests and answers, one fixed layout each, little-endian, written and read here only (the witness
 * and the nodes share this class):
 * <pre>
 *  request (32 bytes)                          answer (48 bytes)
 *  0  int  type (RENEW, PROMOTE, READ)         0  int  type (of the request answered)
 *  4  int  node                                4  int  granted (1) or refused (0)
 *  8  long epoch (RENEW: served; PROMOTE:      8  long correlation id (the request's)
 *          expected)                           16 long registry epoch
 *  16 int  in-sync standby (RENEW)             24 int  registry primary
 *  20 int  (unused)                            28 int  registry in-sync standby
 *  24 long correlation id (the sender's        32 long lease length (ns)
 *          nano time at sending)               40 long lease left at the witness (ns, negative: expired)
 * </pre>
 */
final class WitnessMessages
{
    static final int RENEW = 1;
    static final int PROMOTE = 2;
    static final int READ = 3;
    static final int REQUEST_LENGTH = 32;
    static final int ANSWER_LENGTH = 48;

    private WitnessMessages()
    {
    }

    static void request(
        final MutableDirectBuffer buffer,
        final int type,
        final int node,
        final long epoch,
        final int inSyncStandby,
        final long correlationId)
    {
        buffer.putInt(0, type, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(4, node, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(8, epoch, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(16, inSyncStandby, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(20, 0, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(24, correlationId, ByteOrder.LITTLE_ENDIAN);
    }

    static int type(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
    }

    static int node(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + 4, ByteOrder.LITTLE_ENDIAN);
    }

    static long epoch(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN);
    }

    static int inSyncStandby(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + 16, ByteOrder.LITTLE_ENDIAN);
    }

    static long requestCorrelationId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + 24, ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes the answer to a request of {@code type}: the registry as it stands after the request. */
    static void answer(
        final MutableDirectBuffer buffer,
        final int type,
        final boolean granted,
        final long correlationId,
        final WitnessRegistry registry,
        final long nowNs)
    {
        buffer.putInt(0, type, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(4, granted ? 1 : 0, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(8, correlationId, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(16, registry.epoch(), ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(24, registry.primary(), ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(28, registry.inSyncStandby(), ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(32, registry.leaseNs(), ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(40, registry.leaseExpiryNs() - nowNs, ByteOrder.LITTLE_ENDIAN);
    }

    static boolean granted(final DirectBuffer buffer, final int offset)
    {
        return 1 == buffer.getInt(offset + 4, ByteOrder.LITTLE_ENDIAN);
    }

    static long answerCorrelationId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN);
    }

    static long registryEpoch(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + 16, ByteOrder.LITTLE_ENDIAN);
    }

    static int registryPrimary(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + 24, ByteOrder.LITTLE_ENDIAN);
    }

    static int registryInSyncStandby(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + 28, ByteOrder.LITTLE_ENDIAN);
    }

    static long leaseNs(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + 32, ByteOrder.LITTLE_ENDIAN);
    }
}
