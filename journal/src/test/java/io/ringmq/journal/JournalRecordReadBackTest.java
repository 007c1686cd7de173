package io.ringmq.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Single records read back by log sequence, as the egress reads the payloads of kept messages that left memory. */
class JournalRecordReadBackTest
{
    @TempDir
    Path dir;

    @Test
    void readsEachRecordAskedForInOrderByJumpsBackAndForthAndNotOnesThatAreNotThere()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY", FsyncPolicy.NONE))
        {
            final List<byte[]> appended = new ArrayList<>();
            for (long logSequence = 1; logSequence <= 50; logSequence++)
            {
                final byte[] command = Records.command(logSequence, 16 + (int)(logSequence % 7), logSequence);
                journal.append(Records.direct(command), 0, command.length);
                appended.add(command);
            }
            final JournalRecordReadBack readBack = new JournalRecordReadBack(journal);

            for (final long logSequence : new long[]{1, 2, 3, 40, 41, 7, 50, 49, 8})
            {
                final List<byte[]> read = new ArrayList<>();
                assertTrue(readBack.read(logSequence, (buffer, offset, length) ->
                    read.add(Records.copy(buffer, offset, length))), "record " + logSequence);
                assertArrayEquals(appended.get((int)logSequence - 1), read.get(0), "record " + logSequence);
            }
            assertFalse(readBack.read(51, (buffer, offset, length) -> {}), "not written yet");
            assertFalse(readBack.read(0, (buffer, offset, length) -> {}), "no record 0");
            assertTrue(readBack.read(5, (buffer, offset, length) -> {}), "still readable after a miss");
        }
    }
}
