package io.ringmq.journal;

import io.ringmq.core.protocol.CommandHeader;
import net.openhft.chronicle.wire.Wires;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * What lies in a queue file after the last record a replay could read, read and (for a torn append) cleared straight
 * through the file, the way it is on disk.
 * <p>
 * How a killed writer leaves the file: this Chronicle version writes a document's header word only when the document
 * is complete (the writer holds the queue's write lock meanwhile), so an append cut short by {@code kill -9} leaves a
 * zero header followed by part of the record; older versions left a header marked not-complete. Either way no reader
 * sees it, and the next append writes its header in the same place; but if the new record is shorter, bytes of the
 * torn one stay behind it, where a later reader could take them for a header. So a torn tail is cleared (zeroed) at
 * start, before anything is appended.
 * <p>
 * Chronicle headers sit on 4-byte boundaries; the rest of a queue file past the last record is zeros (files grow
 * sparse, zero-filled).
 */
final class JournalTail
{
    /** Bytes after the last record that must be zero for the tail to count as clean without a closer look. */
    static final int CLEAN_WINDOW = 4096;

    enum Kind
    {
        /** Nothing after the last record. */
        CLEAN,
        /** An append cut short: bytes of one record and no complete header. */
        TORN,
        /** A complete record Chronicle did not read, or a record without header with good records after it. */
        DAMAGED
    }

    record Inspection(Kind kind, long position, String reason)
    {
    }

    private JournalTail()
    {
    }

    /** Where the header after a document whose data ends at {@code dataEnd} sits. */
    static long nextHeaderPosition(final long dataEnd)
    {
        return (dataEnd + 3) & ~3L;
    }

    /**
     * @param position       where the next header would be written.
     * @param maxRecordBytes the longest record (checksum included) the journal writes.
     */
    static Inspection inspect(final Path file, final long position, final int maxRecordBytes)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            return inspect(channel, position, maxRecordBytes);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read journal file " + file, ex);
        }
    }

    /**
     * For a whole record that failed its check: whether it, and anything after it, is a write cut short by a full
     * disk (see {@link CutShortWrite}) with nothing good after it. Then it is {@link Kind#TORN}, to be
     * cleared like any torn append; otherwise {@link Kind#DAMAGED}.
     *
     * @param position where the failing record's header is.
     */
    static Inspection inspectFailedRecord(final Path file, final long position, final int maxRecordBytes)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long end = CutShortWrite.end(channel, position, maxRecordBytes);
            if (end == position)
            {
                return new Inspection(Kind.DAMAGED, position, "a whole record that fails its check");
            }
            final Inspection after = inspect(channel, end, maxRecordBytes);
            if (Kind.DAMAGED == after.kind())
            {
                return new Inspection(Kind.DAMAGED, position, "a record cut short by a failed write, followed by " +
                    after.reason() + " at byte " + end);
            }
            return new Inspection(Kind.TORN, position, "a write cut short by a full disk (a whole header, then " +
                "pages never written: zeros to the end of the record), nothing good after it");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read journal file " + file, ex);
        }
    }

    private static Inspection inspect(final FileChannel channel, final long position, final int maxRecordBytes)
        throws IOException
    {
        final int header = readInt(channel, position);
        if (0 != header && Wires.isNotComplete(header)) // Chronicle counts 0 as not complete too
        {
            return new Inspection(Kind.TORN, position, "an append cut short (its header is marked not complete)");
        }
        if (0 != header)
        {
            return Wires.isEndOfFile(header) ? new Inspection(Kind.CLEAN, position, "end of file") :
                new Inspection(Kind.DAMAGED, position, "a complete header (0x" + Integer.toHexString(header) +
                ") that the reader could not follow");
        }
        if (isZero(channel, position + 4, CLEAN_WINDOW))
        {
            return new Inspection(Kind.CLEAN, position, "nothing written");
        }
        final long validAt = findValidRecord(channel, position + 4, maxRecordBytes);
        if (validAt >= 0)
        {
            return new Inspection(Kind.DAMAGED, position, "bytes without a header, followed by a good record at " +
                "byte " + validAt + " (a wiped header?)");
        }
        return new Inspection(Kind.TORN, position, "an append cut short (part of a record, no header yet)");
    }

    /**
     * Sets aside in place the records a write cut short by a full disk left from {@code position} on (see
     * {@link CutShortWrite}), forced to disk.
     *
     * @param before the command before the first of them.
     * @return where what follows them starts ({@code position} if there are none).
     */
    static long setAside(
        final Path file, final long position, final int maxRecordBytes, final JournalScan.CommandStamp before)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            return CutShortWrite.setAside(channel, position, maxRecordBytes, before.logSequence(), before.timestampNs());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot set aside the cut-short record in journal file " + file, ex);
        }
    }

    /**
     * Zeroes a torn record: from its header through the last non-zero byte within the longest record it can be.
     *
     * @return the number of bytes cleared.
     * @throws IllegalStateException if a good record lies within that reach: then it is not a torn tail, and nothing
     *                               is cleared.
     */
    static long clear(final Path file, final long position, final int maxRecordBytes)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long goodRecord = findValidRecord(channel, position + 4, maxRecordBytes);
            if (goodRecord >= 0)
            {
                throw new IllegalStateException("refusing to clear the journal from byte " + position + " of " + file +
                    ": a good record follows at byte " + goodRecord);
            }
            final long limit = Math.min(channel.size(), position + 4L + maxRecordBytes + CLEAN_WINDOW);
            final ByteBuffer region = read(channel, position, (int)Math.max(0, limit - position));
            int end = region.limit();
            while (end > 0 && 0 == region.get(end - 1))
            {
                end--;
            }
            if (end > 0)
            {
                channel.write(ByteBuffer.allocate(end), position);
                channel.force(false);
            }
            return end;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot clear the torn record in journal file " + file, ex);
        }
    }

    static boolean checksumMatches(final ByteBuffer region, final int at, final int length)
    {
        final CRC32C crc = new CRC32C();
        crc.update(region.array(), at + RecordChecksum.LENGTH, length - RecordChecksum.LENGTH);
        return (int)crc.getValue() == region.getInt(at);
    }

    /**
     * Looks for a complete data header whose record passes its checksum, at 4-byte steps from {@code from} through
     * the longest record: proof that good records follow, so what lies before them is damage, not a torn tail.
     */
    private static long findValidRecord(final FileChannel channel, final long from, final int maxRecordBytes)
        throws IOException
    {
        final long limit = Math.min(channel.size(), from + 2L * (maxRecordBytes + 8L));
        final ByteBuffer region = read(channel, from, (int)Math.max(0, limit - from));
        for (int at = 0; at + 8 <= region.limit(); at += 4)
        {
            final int header = region.getInt(at);
            if (!Wires.isReadyData(header) || Wires.isNotComplete(header))
            {
                continue;
            }
            final int length = Wires.lengthOf(header);
            if (length < RecordChecksum.LENGTH + CommandHeader.LENGTH || length > maxRecordBytes ||
                at + 4 + length > region.limit())
            {
                continue;
            }
            if (checksumMatches(region, at + 4, length))
            {
                return from + at;
            }
        }
        return -1;
    }

    private static boolean isZero(final FileChannel channel, final long position, final int length) throws IOException
    {
        final ByteBuffer bytes = read(channel, position, length);
        for (int i = 0; i < bytes.limit(); i++)
        {
            if (0 != bytes.get(i))
            {
                return false;
            }
        }
        return true;
    }

    static int readInt(final FileChannel channel, final long position) throws IOException
    {
        final ByteBuffer bytes = read(channel, position, 4);
        return bytes.limit() < 4 ? 0 : bytes.getInt(0);
    }

    static void writeFully(final FileChannel channel, final ByteBuffer bytes, final long position) throws IOException
    {
        long at = position;
        while (bytes.hasRemaining())
        {
            at += channel.write(bytes, at);
        }
    }

    /** Up to {@code length} bytes from {@code position} (fewer at the end of the file), little-endian. */
    static ByteBuffer read(final FileChannel channel, final long position, final int length)
        throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        long at = position;
        while (bytes.hasRemaining())
        {
            final int read = channel.read(bytes, at);
            if (read < 0)
            {
                break;
            }
            at += read;
        }
        bytes.flip();
        return bytes;
    }
}
