package io.ringmq.journal;

import io.ringmq.core.state.JournalRecords;
import org.agrona.DirectBuffer;

/**
 * Reads single records back from the live journal by log sequence: the payloads of kept messages that left memory,
 * for the egress ({@link io.ringmq.core.state.PayloadReadBack}). One {@link JournalReader} is opened at the first read
 * and kept: a seek back delivers messages in queue order, whose records mostly follow one another, so the next one
 * is usually where the reader already is and only a jump moves it (by index, as catch-up does). The reader takes the
 * journal's read lock for one record at a time, so retention is never held up for longer.
 * <p>
 * Not thread-safe: the thread that applies commands (the dispatcher) creates it and reads through it.
 */
public final class JournalRecordReadBack implements JournalRecords
{
    private final ChronicleJournal journal;
    private final JournalReader.Sink sink = this::onRecord;
    private JournalReader reader;
    private RecordHandler handler;
    private boolean handed;

    public JournalRecordReadBack(final ChronicleJournal journal)
    {
        this.journal = journal;
    }

    public boolean read(final long logSequence, final RecordHandler handler)
    {
        if (logSequence < 1)
        {
            return false;
        }
        if (null == reader)
        {
            reader = journal.reader();
        }
        if ((reader.isBroken() || reader.nextLogSequence() != logSequence) && !reader.seekAfter(logSequence - 1))
        {
            return false;
        }
        this.handler = handler;
        handed = false;
        reader.read(sink, 1);
        this.handler = null;
        return handed;
    }

    private boolean onRecord(final DirectBuffer buffer, final int offset, final int length)
    {
        handler.onRecord(buffer, offset, length);
        handed = true;
        return true;
    }
}
