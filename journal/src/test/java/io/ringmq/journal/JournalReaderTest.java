package io.ringmq.journal;

import io.ringmq.core.protocol.CommandHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading a journal from a log sequence on, as a standby's catch-up does, while the journal is still appended to. */
class JournalReaderTest
{
    @TempDir
    Path dir;

    @Test
    void readsTheRecordsAfterALogSequenceVerbatimThenWhatIsAppendedLater()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY", FsyncPolicy.NONE);
             JournalReader reader = journal.reader())
        {
            final List<byte[]> appended = append(journal, 1, 100);
            assertTrue(reader.seekAfter(40));
            final List<byte[]> read = new ArrayList<>();
            assertEquals(60, drain(reader, read, 25), "41 to 100, 25 at most per call");
            Records.assertSameRecords(appended.subList(40, 100), read);
            assertEquals(0, reader.read(collecting(read), 25), "at the end for now");

            appended.addAll(append(journal, 101, 10));
            assertEquals(10, reader.read(collecting(read), 25), "what came since");
            Records.assertSameRecords(appended.subList(40, 110), read);
            assertEquals(111, reader.nextLogSequence());
            assertFalse(reader.isBroken());
        }
    }

    @Test
    void atTheEndItWaitsForTheNextRecordAndFromZeroItReadsEverything()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY", FsyncPolicy.NONE);
             JournalReader reader = journal.reader())
        {
            assertTrue(reader.seekAfter(0), "an empty journal holds everything after 0: nothing yet");
            assertEquals(0, reader.read(collecting(new ArrayList<>()), 10));
            append(journal, 1, 5);
            final List<byte[]> read = new ArrayList<>();
            assertEquals(5, drain(reader, read, 10));

            assertTrue(reader.seekAfter(5), "the standby has it all");
            assertEquals(0, reader.read(collecting(read), 10));
            append(journal, 6, 1);
            assertEquals(1, reader.read(collecting(read), 10));
            assertEquals(6, CommandHeader.logSequence(Records.direct(read.get(5)), 0));
        }
    }

    @Test
    void aRangeTheJournalNoLongerHoldsIsRefused()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY", FsyncPolicy.NONE);
             JournalReader reader = journal.reader())
        {
            append(journal, 100, 10); // as if retention deleted 1 to 99
            assertFalse(reader.seekAfter(50), "51 is gone");
            assertTrue(reader.seekAfter(99), "100 is the first there is");
            assertEquals(10, drain(reader, new ArrayList<>(), 100));
        }
    }

    @Test
    void aRecordTheSinkHasNoRoomForIsReadAgain()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY", FsyncPolicy.NONE);
             JournalReader reader = journal.reader())
        {
            append(journal, 1, 3);
            assertTrue(reader.seekAfter(0));
            final List<Long> taken = new ArrayList<>();
            final boolean[] room = {true};
            final JournalReader.Sink sink = (buffer, offset, length) ->
            {
                if (!room[0])
                {
                    return false;
                }
                taken.add(CommandHeader.logSequence(buffer, offset));
                room[0] = taken.size() != 2; // full after the second
                return true;
            };
            assertEquals(2, reader.read(sink, 10));
            room[0] = true;
            assertEquals(1, reader.read(sink, 10));
            assertEquals(List.of(1L, 2L, 3L), taken);
        }
    }

    @Test
    void aByteBudgetEndsTheCallAtTheRecordThatReachesItAndTheNextCallGoesOn()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY", FsyncPolicy.NONE);
             JournalReader reader = journal.reader())
        {
            final List<byte[]> appended = append(journal, 1, 10);
            assertTrue(reader.seekAfter(0));
            final List<byte[]> read = new ArrayList<>();
            final long firstTwo = appended.get(0).length + appended.get(1).length;
            assertEquals(2, reader.read(collecting(read), 10, firstTwo), "the second record reaches the budget");
            assertEquals(1, reader.read(collecting(read), 10, 1), "one byte: the record that reaches it");
            assertEquals(7, reader.read(collecting(read), 10, Long.MAX_VALUE));
            Records.assertSameRecords(appended, read);
            assertEquals(11, reader.nextLogSequence());
        }
    }

    private static List<byte[]> append(final ChronicleJournal journal, final long first, final int count)
    {
        final List<byte[]> records = new ArrayList<>();
        for (long logSequence = first; logSequence < first + count; logSequence++)
        {
            final byte[] command = Records.command(logSequence, 16 + (int)(logSequence % 7), logSequence);
            journal.append(Records.direct(command), 0, command.length);
            records.add(command);
        }
        return records;
    }

    private static int drain(final JournalReader reader, final List<byte[]> into, final int perCall)
    {
        int total = 0;
        for (int read; (read = reader.read(collecting(into), perCall)) > 0; )
        {
            total += read;
        }
        return total;
    }

    private static JournalReader.Sink collecting(final List<byte[]> into)
    {
        return (buffer, offset, length) -> into.add(Records.copy(buffer, offset, length));
    }
}
