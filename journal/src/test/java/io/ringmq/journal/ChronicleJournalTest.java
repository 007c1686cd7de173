package io.ringmq.journal;

import io.ringmq.core.protocol.CommandHeader;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChronicleJournalTest
{
    @TempDir
    Path dir;

    @Test
    void replaysEveryRecordVerbatimAfterReopen()
    {
        final int count = 10_000;
        final Random random = new Random(42);
        final List<byte[]> expected = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final int bodyLength;
            if (i == 0)
            {
                bodyLength = 0;
            }
            else if (i == count / 2)
            {
                bodyLength = 100 * 1024;
            }
            else
            {
                bodyLength = random.nextInt(300);
            }
            expected.add(Records.command(i + 1, bodyLength, i));
        }

        try (ChronicleJournal journal = ChronicleJournal.open(dir, "daily"))
        {
            for (int i = 0; i < count; i++)
            {
                final byte[] command = expected.get(i);
                // Odd records from a heap buffer with a non-zero offset, to cover both copy paths.
                if ((i & 1) == 0)
                {
                    journal.append(Records.direct(command), 0, command.length);
                }
                else
                {
                    final byte[] padded = new byte[command.length + 7];
                    System.arraycopy(command, 0, padded, 7, command.length);
                    journal.append(new UnsafeBuffer(padded), 7, command.length);
                }
            }
            assertEquals(count, journal.lastLogSequence());
        }

        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            assertEquals(count, journal.lastLogSequence());
            final long[] replayed = new long[1];
            Records.assertSameRecords(expected, Records.replayAll(journal, replayed));
            assertEquals(count, replayed[0]);
        }
    }

    @Test
    void emptyJournalHasNoRecordsAndLastSequenceZero()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "FAST_DAILY"))
        {
            assertEquals(0, journal.lastLogSequence());
            assertEquals(0, journal.replay((buffer, offset, length) -> { throw new AssertionError("no records"); }));
            assertEquals(dir, journal.directory());
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "FAST_DAILY"))
        {
            assertEquals(0, journal.lastLogSequence());
            assertEquals(0, journal.replay((buffer, offset, length) -> { throw new AssertionError("no records"); }));
        }
    }

    @Test
    void appendsAfterReopenContinueTheJournal()
    {
        final byte[] first = Records.command(7, 10, 1);
        final byte[] second = Records.command(8, 20, 2);
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "HOURLY"))
        {
            journal.append(Records.direct(first), 0, first.length);
            journal.sync();
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "HOURLY"))
        {
            journal.append(Records.direct(second), 0, second.length);
            assertEquals(8, journal.lastLogSequence());
            final long[] replayed = new long[1];
            Records.assertSameRecords(List.of(first, second), Records.replayAll(journal, replayed));
        }
    }

    @Test
    void replaysAcrossRollCycleFiles() throws IOException
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.HOURS.toNanos(1_000_000));
        final List<byte[]> expected = new ArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.open(dir, LegacyRollCycles.MINUTELY, clock, 0))
        {
            for (int i = 1; i <= 30; i++)
            {
                final byte[] command = Records.command(i, i * 3, i);
                expected.add(command);
                journal.append(Records.direct(command), 0, command.length);
                if (i % 10 == 0)
                {
                    clock.advanceMillis(TimeUnit.MINUTES.toMillis(1));
                }
            }
        }
        try (Stream<Path> files = Files.list(dir))
        {
            assertEquals(3, files.filter(path -> path.toString().endsWith(".cq4")).count(), "one file per minute");
        }

        try (ChronicleJournal journal = ChronicleJournal.open(dir, LegacyRollCycles.MINUTELY, clock, 0))
        {
            assertEquals(30, journal.lastLogSequence());
            final long[] replayed = new long[1];
            Records.assertSameRecords(expected, Records.replayAll(journal, replayed));
        }
    }

    @Test
    void replayAfterALogSequenceSeeksPastEveryEarlierRecordAcrossRollCycles()
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.HOURS.toNanos(1_000_000));
        try (ChronicleJournal journal = ChronicleJournal.open(dir, LegacyRollCycles.MINUTELY, clock, 0))
        {
            for (int i = 1; i <= 30; i++)
            {
                final byte[] command = Records.command(i, i * 3, i);
                journal.append(Records.direct(command), 0, command.length);
                if (i % 10 == 0)
                {
                    clock.advanceMillis(TimeUnit.MINUTES.toMillis(1));
                }
            }
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir, LegacyRollCycles.MINUTELY, clock, 0))
        {
            for (final long after : new long[]{0, 1, 9, 10, 11, 20, 25, 29, 30, 31})
            {
                final List<Long> sequences = new ArrayList<>();
                final ReplayProgress progress = ReplayProgress.silent();
                final long handed = journal.replayAfter(after,
                    (buffer, offset, length) -> sequences.add(CommandHeader.logSequence(buffer, offset)), progress);
                final List<Long> expected = new ArrayList<>();
                for (long sequence = after + 1; sequence <= 30; sequence++)
                {
                    expected.add(sequence);
                }
                assertEquals(expected, sequences, "after " + after);
                assertEquals(expected.size(), handed);
                if (after >= 1 && after < 30)
                {
                    assertTrue(journal.indexAfter(after) >= 0, "seeks straight to the record after " + after);
                }
            }
        }
    }

    @Test
    void recordsStraddlingMappedChunksSurviveWhole()
    {
        // Smallest block size Chronicle allows: records of tens of KiB then regularly cross chunk boundaries.
        final Random random = new Random(7);
        final List<byte[]> expected = new ArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.open(dir, LegacyRollCycles.DAILY, null, 1 << 16))
        {
            final int maxBody = journal.maxRecordLength() - CommandHeader.LENGTH;
            for (int i = 1; i <= 300; i++)
            {
                final int bodyLength = i % 10 == 0 ? maxBody : random.nextInt(maxBody);
                final byte[] command = Records.command(i, bodyLength, i);
                expected.add(command);
                journal.append(Records.direct(command), 0, command.length);
            }

            final byte[] tooLong = Records.command(301, maxBody + 1, 301);
            assertThrows(
                IllegalArgumentException.class, () -> journal.append(Records.direct(tooLong), 0, tooLong.length));
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir, LegacyRollCycles.DAILY, null, 1 << 16))
        {
            final long[] replayed = new long[1];
            Records.assertSameRecords(expected, Records.replayAll(journal, replayed));
            assertEquals(300, journal.lastLogSequence());
        }
    }

    @Test
    void defaultMaxRecordLengthIsEightMiBLessTheChecksum()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            assertEquals((8 << 20) - RecordChecksum.LENGTH, journal.maxRecordLength());
        }
    }

    @Test
    void rejectsRecordShorterThanHeader()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
            assertThrows(
                IllegalArgumentException.class, () -> journal.append(buffer, 0, CommandHeader.LENGTH - 1));
            assertEquals(0, journal.replay((b, o, l) -> { }));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "MINUTELY", "hourly", "Daily", "FAST_HOURLY", "fast_daily", "LARGE_DAILY", "test_secondly" })
    void acceptsEveryDocumentedRollCycle(final String name)
    {
        final byte[] command = Records.command(3, 5, 3);
        try (ChronicleJournal journal = ChronicleJournal.open(dir, name))
        {
            journal.append(Records.direct(command), 0, command.length);
            assertEquals(3, journal.lastLogSequence());
        }
    }

    @Test
    void unknownRollCycleNamesTheAllowedOnes()
    {
        final IllegalArgumentException e = assertThrows(
            IllegalArgumentException.class, () -> ChronicleJournal.open(dir, "WEEKLYISH"));
        for (final String allowed : new String[]{
            "MINUTELY", "HOURLY", "DAILY", "FAST_HOURLY", "FAST_DAILY", "LARGE_DAILY", "TEST_SECONDLY" })
        {
            assertTrue(e.getMessage().contains(allowed), e.getMessage());
        }
        assertTrue(e.getMessage().contains("WEEKLYISH"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChronicleJournal.open(dir, null));
    }
}
