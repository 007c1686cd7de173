package io.ringmq.journal;

import io.ringmq.core.protocol.CommandHeader;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Reads a live journal from a log sequence on, while the writer goes on appending: what a standby's catch-up is served
 * from. A Chronicle tailer of its own, moved straight to the record's index (as recovery's replay from a snapshot
 * finds it), then read forward a bounded number of records per call; each record's checksum and log sequence are
 * checked, and the reader stops at the first that does not follow (it never hands on a record out of order).
 * <p>
 * Retention deletes roll-cycle files only while no reader holds the journal's read lock; a reader takes it for one
 * {@link #read} call at a time, so a long catch-up delays deletion by at most one call, never for its whole length.
 * <p>
 * Not thread-safe: one thread (the catch-up server's) creates, uses and closes it.
 */
public final class JournalReader implements AutoCloseable
{
    /** Takes one record; false when it has no room now (the record is read again on the next call). */
    @FunctionalInterface
    public interface Sink
    {
        boolean onRecord(DirectBuffer buffer, int offset, int length);
    }

    private final ChronicleJournal journal;
    private final ExcerptTailer tailer;
    private final RecordReader reader = new RecordReader();
    private final RecordChecksum checksum = new RecordChecksum();
    private long nextLogSequence;
    private boolean broken;

    JournalReader(final ChronicleJournal journal, final ExcerptTailer tailer)
    {
        this.journal = journal;
        this.tailer = tailer;
    }

    /**
     * Places the reader at the record after {@code logSequence}.
     *
     * @return false if the journal no longer holds that record (retention deleted it) or cannot be read from there.
     */
    public boolean seekAfter(final long logSequence)
    {
        journal.readers().readLock().lock();
        try
        {
            broken = false;
            nextLogSequence = logSequence + 1;
            final long first = journal.firstLogSequence();
            if (first < 0 || first > 0 && nextLogSequence < first)
            {
                return false;
            }
            final long index = 0 == logSequence ? -1 : journal.indexAfter(logSequence);
            if (index >= 0)
            {
                return tailer.moveToIndex(index);
            }
            if (0 != logSequence && logSequence >= journal.lastLogSequence())
            {
                tailer.toEnd(); // nothing to read yet: what the writer appends next is the record wanted
            }
            else
            {
                tailer.toStart(); // not pinned down (an old journal's odd layout): read from the start and skip
            }
            return true;
        }
        finally
        {
            journal.readers().readLock().unlock();
        }
    }

    /** The log sequence the next record handed on will have. */
    public long nextLogSequence()
    {
        return nextLogSequence;
    }

    /** Whether a record did not check out or did not follow the one before: nothing more comes from this reader. */
    public boolean isBroken()
    {
        return broken;
    }

    /**
     * Hands on up to {@code maxRecords} records, in order, each with its command bytes (header and frame) only.
     *
     * @return records handed on; 0 at the journal's end for now, when the sink has no room, or once broken.
     */
    public int read(final Sink sink, final int maxRecords)
    {
        return read(sink, maxRecords, Long.MAX_VALUE);
    }

    /**
     * As {@link #read(Sink, int)}, stopping once the records handed on hold {@code maxBytes} or more (the record that
     * reaches it included). The budget is checked before the next record is read, so ending a call on it costs no
     * re-seek: only a sink that refuses a record moves the tailer back to it.
     */
    public int read(final Sink sink, final int maxRecords, final long maxBytes)
    {
        if (broken)
        {
            return 0;
        }
        journal.readers().readLock().lock();
        try
        {
            int handed = 0;
            long bytes = 0;
            while (handed < maxRecords && bytes < maxBytes)
            {
                final long index;
                final boolean taken;
                try (DocumentContext document = tailer.readingDocument())
                {
                    if (!document.isPresent())
                    {
                        break;
                    }
                    index = document.index();
                    final DirectBuffer record = reader.wrap(document.wire().bytes());
                    final int length = record.capacity() - RecordChecksum.LENGTH;
                    if (length < CommandHeader.LENGTH ||
                        record.getInt(0, ByteOrder.LITTLE_ENDIAN) !=
                            checksum.compute(record, RecordChecksum.LENGTH, length))
                    {
                        broken = true;
                        break;
                    }
                    final long logSequence = CommandHeader.logSequence(record, RecordChecksum.LENGTH);
                    if (logSequence < nextLogSequence)
                    {
                        continue; // before the one wanted: read from the start, skipping
                    }
                    if (logSequence > nextLogSequence)
                    {
                        broken = true;
                        break;
                    }
                    taken = sink.onRecord(record, RecordChecksum.LENGTH, length);
                    bytes += length;
                }
                if (!taken)
                {
                    tailer.moveToIndex(index);
                    break;
                }
                nextLogSequence++;
                handed++;
            }
            return handed;
        }
        catch (final RuntimeException ex)
        {
            broken = true; // e.g. its file deleted under a reader that had moved past the lock: served afresh
            return 0;
        }
        finally
        {
            journal.readers().readLock().unlock();
        }
    }

    public void close()
    {
        tailer.close();
    }
}
