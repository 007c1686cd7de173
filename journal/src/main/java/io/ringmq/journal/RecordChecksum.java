package io.ringmq.journal;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.checksum.Crc32c;

import java.util.zip.CRC32C;

/**
 * CRC-32C of a command's bytes (its {@link io.ringmq.core.protocol.CommandHeader} and frame), stored in front of each
 * journal record so a replay can tell a damaged record from a good one. Uses the JDK's intrinsic CRC-32C: over a
 * heap array directly, over off-heap memory through Agrona's address-based wrapper; both give the same value.
 * <p>
 * Not thread-safe: one per thread (allocation-free once made).
 */
final class RecordChecksum
{
    /** Bytes the checksum takes in front of the command in each record. */
    static final int LENGTH = 4;

    private final CRC32C heap = new CRC32C();

    int compute(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] array = buffer.byteArray();
        if (null != array)
        {
            heap.reset();
            heap.update(array, (int)(buffer.addressOffset() - BufferUtil.ARRAY_BASE_OFFSET) + offset, length);
            return (int)heap.getValue();
        }
        return Crc32c.INSTANCE.compute(buffer.addressOffset(), offset, length);
    }
}
