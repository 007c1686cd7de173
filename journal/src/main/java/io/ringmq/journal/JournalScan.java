package io.ringmq.journal;

import io.ringmq.core.protocol.CommandHeader;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Reads a journal from the start, checking every record (its checksum, and that its log sequence follows the one
 * before) before handing it on, then looks at what lies after the last good record. Stops at the first record it
 * cannot trust and reports it as a {@link JournalDamage}: either a torn tail (an append cut short, which has no
 * header yet) or damage (anything else, wherever it is), for the caller to act on.
 * <p>
 * Not thread-safe: one scan per call, on the caller's thread.
 */
final class JournalScan
{
    /** Receives each good record; the buffer is valid only during the call. */
    @FunctionalInterface
    interface Visitor
    {
        void onRecord(long index, DirectBuffer buffer, int offset, int length);
    }

    /**
     * @param records         good records handed on.
     * @param lastLogSequence log sequence of the last of them, 0 if none.
     * @param damage          the first record not trusted, or null when the whole journal is good.
     */
    record Result(long records, long lastLogSequence, JournalDamage damage)
    {
    }

    private final SingleChronicleQueue queue;
    private final int maxRecordBytes;
    private final RecordReader reader = new RecordReader();
    private final RecordChecksum checksum = new RecordChecksum();

    JournalScan(final SingleChronicleQueue queue, final int maxRecordBytes)
    {
        this.queue = queue;
        this.maxRecordBytes = maxRecordBytes;
    }

    Result scan(final Visitor visitor, final ReplayProgress progress)
    {
        return scan(-1, visitor, progress);
    }

    /**
     * @param fromIndex Chronicle index to start at (a record found by {@link ChronicleJournal#indexAfter}), or -1 for
     *                  the start; records before it are not checked.
     */
    Result scan(final long fromIndex, final Visitor visitor, final ReplayProgress progress)
    {
        long records = 0;
        long lastLogSequence = 0;
        long lastIndex = -1;
        long lastDataEnd = -1;
        final ExcerptTailer started;
        try
        {
            started = startTailer(fromIndex);
        }
        catch (final RuntimeException ex)
        {
            // A queue file whose own header Chronicle cannot read (cut short or overwritten): none of its records can
            // be reached, so it is damage like any other, reported the same way rather than as Chronicle's failure.
            return new Result(0, 0, damage(firstIndex(), -1, "Chronicle cannot open the first queue file in " +
                queue.file() + " to read it (" + printable(ex) + ")", 0, 0, false));
        }
        try (ExcerptTailer tailer = started)
        {
            progress.start();
            while (true)
            {
                final DocumentContext document;
                try
                {
                    document = tailer.readingDocument();
                }
                catch (final RuntimeException ex)
                {
                    return new Result(records, lastLogSequence, damage(
                        lastIndex + 1, -1, "the reader fails on it: " + ex, records, 0, false));
                }
                String problem = null;
                long problemIndex = -1;
                long problemPosition = -1;
                try (document)
                {
                    if (!document.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = document.wire().bytes();
                    problem = check(bytes, records, lastLogSequence);
                    if (null != problem)
                    {
                        problemIndex = document.index();
                        problemPosition = bytes.readPosition() - 4;
                    }
                    else
                    {
                        final DirectBuffer record = reader.view();
                        lastLogSequence = CommandHeader.logSequence(record, RecordChecksum.LENGTH);
                        lastDataEnd = bytes.readLimit();
                        lastIndex = document.index();
                        visitor.onRecord(
                            lastIndex, record, RecordChecksum.LENGTH, record.capacity() - RecordChecksum.LENGTH);
                        records++;
                    }
                }
                if (null != problem)
                {
                    // Counted once the damaged document is closed: only then has the tailer moved past it.
                    final long readableAfter = countReadable(tailer);
                    return new Result(records, lastLogSequence, wholeRecordDamage(
                        problemIndex, problemPosition, problem, records, readableAfter));
                }
                progress.onRecord(lastLogSequence);
            }
        }
        return new Result(records, lastLogSequence, inspectTail(records, lastIndex, lastDataEnd));
    }

    private ExcerptTailer startTailer(final long fromIndex)
    {
        final ExcerptTailer tailer = queue.createTailer();
        try
        {
            if (fromIndex < 0 || !tailer.moveToIndex(fromIndex))
            {
                tailer.toStart();
            }
            return tailer;
        }
        catch (final RuntimeException ex)
        {
            tailer.close();
            throw ex;
        }
    }

    /** Chronicle's message may quote the damaged bytes themselves. */
    private static String printable(final Exception ex)
    {
        return ex.toString().replaceAll("\\p{Cntrl}+", " ").strip();
    }

    /** The index the journal's first roll cycle starts at, found without reading its file; -1 if even that fails. */
    private long firstIndex()
    {
        try
        {
            return queue.rollCycle().toIndex(queue.firstCycle(), 0);
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
    }

    /** Null when the record is good; leaves it wrapped in {@link RecordReader#view()}. */
    private String check(final Bytes<?> bytes, final long recordsBefore, final long previousLogSequence)
    {
        final long length = bytes.readRemaining();
        if (length < RecordChecksum.LENGTH + CommandHeader.LENGTH || length > maxRecordBytes)
        {
            return length + " bytes long, outside [" + (RecordChecksum.LENGTH + CommandHeader.LENGTH) + ", " +
                maxRecordBytes + "]";
        }
        final DirectBuffer record;
        try
        {
            record = reader.wrap(bytes);
        }
        catch (final IllegalStateException ex)
        {
            return ex.getMessage();
        }
        final int stored = record.getInt(0, ByteOrder.LITTLE_ENDIAN);
        final int actual = checksum.compute(record, RecordChecksum.LENGTH, record.capacity() - RecordChecksum.LENGTH);
        if (stored != actual)
        {
            return "checksum 0x" + Integer.toHexString(actual) + " does not match the stored 0x" +
                Integer.toHexString(stored);
        }
        final long logSequence = CommandHeader.logSequence(record, RecordChecksum.LENGTH);
        if (recordsBefore > 0 && logSequence != previousLogSequence + 1)
        {
            return "log sequence " + logSequence + " where " + (previousLogSequence + 1) + " should follow (a record " +
                "is missing or out of place)";
        }
        return null;
    }

    /** Readable documents from the tailer's position on (after a damaged one); stops at anything unreadable. */
    private static long countReadable(final ExcerptTailer tailer)
    {
        long count = 0;
        try
        {
            while (true)
            {
                try (DocumentContext document = tailer.readingDocument())
                {
                    if (!document.isPresent())
                    {
                        return count;
                    }
                    count++;
                }
            }
        }
        catch (final RuntimeException ex)
        {
            return count;
        }
    }

    /**
     * A record with a whole header that fails its check. Chronicle writes a header only once its record is whole (see
     * {@link JournalTail}), so a kill never leaves one; it is damage, even when last, unless it is what a mapped write
     * cut short by a full disk leaves, with nothing good after it: a torn tail, never acknowledged (its batch never
     * ended), dropped like a killed writer's.
     */
    private JournalDamage wholeRecordDamage(
        final long index, final long position, final String problem, final long before, final long readableAfter)
    {
        final JournalDamage damage = damage(index, position, problem, before, readableAfter, false);
        if (null == damage.file() || position < 0)
        {
            return damage;
        }
        final JournalTail.Inspection failedWrite = JournalTail.inspectFailedRecord(damage.file(), position,
            maxRecordBytes);
        // Set aside in place at the next log sequence (see CutShortWrite): only after a record that says which.
        return JournalTail.Kind.TORN == failedWrite.kind() && null != commandBefore(index) ?
            new JournalDamage(index, damage.file(), position, problem + ": " + failedWrite.reason(), before, 0, true) :
            damage;
    }

    /** The log sequence and time of a record's command header. */
    record CommandStamp(long logSequence, long timestampNs)
    {
    }

    /** The command header of the record before Chronicle index {@code index} (in its cycle or an earlier one). */
    CommandStamp commandBefore(final long index)
    {
        try (ExcerptTailer tailer = queue.createTailer().direction(TailerDirection.BACKWARD))
        {
            if (!tailer.moveToIndex(index))
            {
                return null;
            }
            try (DocumentContext at = tailer.readingDocument())
            {
                if (!at.isPresent())
                {
                    return null;
                }
            }
            try (DocumentContext before = tailer.readingDocument())
            {
                if (!before.isPresent() || before.index() >= index)
                {
                    return null;
                }
                final DirectBuffer record = reader.wrap(before.wire().bytes());
                return new CommandStamp(CommandHeader.logSequence(record, RecordChecksum.LENGTH),
                    CommandHeader.timestampNs(record, RecordChecksum.LENGTH));
            }
        }
        catch (final RuntimeException ex)
        {
            return null; // unreadable: nothing to take the log sequence from
        }
    }

    private JournalDamage inspectTail(final long records, final long lastIndex, final long lastDataEnd)
    {
        final long indexedLast = queue.lastIndex();
        if (0 == records)
        {
            return indexedLast < 0 ? null : damage(queue.firstIndex(), -1,
                "the queue lists records up to index 0x" + Long.toHexString(indexedLast) + " but none can be read",
                0, 1, false);
        }

        final int cycle = queue.rollCycle().toCycle(lastIndex);
        final Path file = fileOf(cycle);
        final long position = JournalTail.nextHeaderPosition(lastDataEnd);
        final JournalTail.Inspection tail = JournalTail.inspect(file, position, maxRecordBytes);
        switch (tail.kind())
        {
            case TORN:
                return new JournalDamage(lastIndex + 1, file, position, tail.reason(), records, 0, true);
            case DAMAGED:
                return new JournalDamage(lastIndex + 1, file, position, tail.reason(), records, 1, false);
            default:
                break;
        }
        if (indexedLast > lastIndex)
        {
            return new JournalDamage(lastIndex + 1, file, position, "the queue's index lists records up to 0x" +
                Long.toHexString(indexedLast) + " but reading stops after 0x" + Long.toHexString(lastIndex),
                records, Math.max(1, indexedLast - lastIndex), false);
        }
        return null;
    }

    private JournalDamage damage(
        final long index,
        final long position,
        final String reason,
        final long before,
        final long after,
        final boolean torn)
    {
        Path file = null;
        if (index >= 0)
        {
            try
            {
                file = fileOf(queue.rollCycle().toCycle(index));
            }
            catch (final RuntimeException ignore)
            {
                // no file for that cycle: the damage is described without one
            }
        }
        return new JournalDamage(index, file, position, reason, before, after, torn);
    }

    private Path fileOf(final int cycle)
    {
        final SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (null == store)
        {
            throw new IllegalStateException("no journal file for cycle " + cycle + " in " + queue.file());
        }
        try
        {
            return store.file().toPath();
        }
        finally
        {
            queue.closeStore(store);
        }
    }
}
