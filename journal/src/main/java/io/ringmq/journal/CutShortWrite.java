package io.ringmq.journal;

import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.TickEncoder;
import io.ringmq.core.protocol.CommandHeader;
import net.openhft.chronicle.wire.Wires;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Records that a write into the mapped queue file cut short by a full disk leaves behind when Chronicle completed the
 * document before the fault reached the writer (the JVM reports a fault in a mapped copy late, as an
 * {@link InternalError} "in a recent unsafe memory access"): a whole data header, a record that fails its checksum,
 * and zeros from a page boundary to its end (the pages the kernel could not allocate were never written, and read back
 * as the file's sparse zeros). A bit flipped by the disk leaves no such run of zeros, so it stays damage.
 * <p>
 * Such a record was never acknowledged (its batch never ended), like a torn append; but Chronicle has counted it (its
 * write position and index point at it), so it cannot be zeroed as a torn append is: the next append would go after
 * the zeros, where no reader looks. It is set aside in place instead: the same bytes become a Tick (the passage of
 * time only) at the next log sequence and the time of the record before it, zero padded, with a good checksum. The
 * command itself is lost with the pages that were never written.
 */
final class CutShortWrite
{
    /** The smallest page a mapped write can fault on (x86-64, aarch64 4K; larger pages are multiples of it). */
    private static final int PAGE_BYTES = 4096;
    /** The shortest record a Tick fills: checksum, command header, message header (a Tick has no body). */
    private static final int TICK_RECORD_BYTES =
        RecordChecksum.LENGTH + CommandHeader.LENGTH + MessageHeaderEncoder.ENCODED_LENGTH;

    private CutShortWrite()
    {
    }

    /**
     * Skips the records from {@code position} on that such a write left.
     *
     * @return where the first record that is not one starts ({@code position} if the first is not).
     */
    static long end(final FileChannel channel, final long position, final int maxRecordBytes) throws IOException
    {
        long at = position;
        while (true)
        {
            final int length = lengthIfCutShort(channel, at, maxRecordBytes);
            if (length < 0)
            {
                return at;
            }
            at = JournalTail.nextHeaderPosition(at + 4 + length);
        }
    }

    /**
     * Rewrites each record such a write left from {@code position} on as a Tick, forced to disk.
     *
     * @param previousLogSequence the log sequence of the record before the first (the Ticks take the next ones).
     * @param previousTimestampNs its time (the Ticks move no clock).
     * @return where the records set aside end.
     */
    static long setAside(
        final FileChannel channel,
        final long position,
        final int maxRecordBytes,
        final long previousLogSequence,
        final long previousTimestampNs) throws IOException
    {
        long at = position;
        long logSequence = previousLogSequence;
        int length;
        while ((length = lengthIfCutShort(channel, at, maxRecordBytes)) >= 0)
        {
            JournalTail.writeFully(channel, tick(length, ++logSequence, previousTimestampNs), at + 4);
            at = JournalTail.nextHeaderPosition(at + 4 + length);
        }
        channel.force(false);
        return at;
    }

    /** The record's length if the one at {@code position} is such a write's, or -1. */
    private static int lengthIfCutShort(final FileChannel channel, final long position, final int maxRecordBytes)
        throws IOException
    {
        final int header = JournalTail.readInt(channel, position);
        if (!Wires.isReadyData(header) || Wires.isNotComplete(header))
        {
            return -1;
        }
        final int length = Wires.lengthOf(header);
        if (length < TICK_RECORD_BYTES || length > maxRecordBytes)
        {
            return -1;
        }
        final ByteBuffer record = JournalTail.read(channel, position + 4, length);
        if (record.limit() < length || JournalTail.checksumMatches(record, 0, length) ||
            !endsInUnwrittenPages(record, position + 4))
        {
            return -1;
        }
        return length;
    }

    /** Whether the record's bytes are zeros from a page boundary (in the file) to its end. */
    private static boolean endsInUnwrittenPages(final ByteBuffer record, final long filePosition)
    {
        int zerosFrom = record.limit();
        while (zerosFrom > 0 && 0 == record.get(zerosFrom - 1))
        {
            zerosFrom--;
        }
        final long firstUnwrittenPage = (filePosition + zerosFrom + PAGE_BYTES - 1) & -PAGE_BYTES;
        return firstUnwrittenPage < filePosition + record.limit();
    }

    /** A record of {@code length} bytes (checksum first) holding a Tick, zero padded. */
    private static ByteBuffer tick(final int length, final long logSequence, final long timestampNs)
    {
        final UnsafeBuffer record = new UnsafeBuffer(new byte[length]);
        CommandHeader.write(record, RecordChecksum.LENGTH, logSequence, timestampNs, 0);
        new TickEncoder().wrapAndApplyHeader(
            record, RecordChecksum.LENGTH + CommandHeader.LENGTH, new MessageHeaderEncoder());
        record.putInt(0, new RecordChecksum().compute(record, RecordChecksum.LENGTH, length - RecordChecksum.LENGTH),
            ByteOrder.LITTLE_ENDIAN);
        return ByteBuffer.wrap(record.byteArray());
    }
}
