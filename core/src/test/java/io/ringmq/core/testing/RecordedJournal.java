package io.ringmq.core.testing;

import io.ringmq.core.state.JournalRecords;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

/** A test's journal as a list of records, record i + 1 at index i, handed back as the daemon's journal would. */
public final class RecordedJournal
{
    private RecordedJournal()
    {
    }

    public static JournalRecords of(final List<byte[]> records)
    {
        return (logSequence, handler) ->
        {
            if (logSequence < 1 || logSequence > records.size())
            {
                return false;
            }
            final byte[] record = records.get((int)logSequence - 1);
            handler.onRecord(new UnsafeBuffer(record), 0, record.length);
            return true;
        };
    }
}
