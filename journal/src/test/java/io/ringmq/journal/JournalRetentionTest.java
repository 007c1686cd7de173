package io.ringmq.journal;

import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.ring.CommandEvent;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalRetentionTest
{
    private static final int PER_CYCLE = 10;

    @TempDir
    Path dir;

    private final SetTimeProvider clock = new SetTimeProvider(TimeUnit.HOURS.toNanos(1_000_000));

    @Test
    void deletesOnlyCyclesWhoseRecordsAreAllCoveredAndKeepsAppendingAndReplaying() throws IOException
    {
        try (ChronicleJournal journal = open())
        {
            appendCycles(journal, 1, 4); // cycles hold 1-10, 11-20, 21-30, 31-40
            final long sizeOfFirstTwo = Files.size(cycleFiles().get(0)) + Files.size(cycleFiles().get(1));
            final JournalRetention retention = new JournalRetention(journal, true);

            retention.coveredUpTo(19); // 20 is in the second cycle: only the first is covered
            retention.onEndOfBatch(journal.lastLogSequence());
            assertEquals(3, cycleFiles().size());
            assertEquals(11, journal.firstLogSequence());

            retention.coveredUpTo(25); // the third cycle holds 26-30 still
            retention.onEndOfBatch(journal.lastLogSequence());
            assertEquals(2, cycleFiles().size());
            assertEquals(21, journal.firstLogSequence());
            assertEquals(2, retention.deletedFiles());
            assertEquals(sizeOfFirstTwo, retention.freedBytes());

            append(journal, 41);
            assertEquals(41, journal.lastLogSequence());
            assertEquals(range(21, 41), replayedLogSequences(journal));
            final List<Long> after = new ArrayList<>();
            journal.replayAfter(33, (buffer, offset, length) -> after.add(CommandHeader.logSequence(buffer, offset)),
                ReplayProgress.silent());
            assertEquals(range(34, 41), after);
        }

        try (ChronicleJournal reopened = open())
        {
            assertEquals(21, reopened.firstLogSequence());
            assertEquals(41, reopened.lastLogSequence());
            assertEquals(range(21, 41), replayedLogSequences(reopened));
        }
    }

    @Test
    void neverDeletesTheLastCycleEvenWhenEverythingIsCovered() throws IOException
    {
        try (ChronicleJournal journal = open())
        {
            appendCycles(journal, 1, 3);
            final JournalRetention retention = new JournalRetention(journal, true);
            retention.coveredUpTo(1_000);
            retention.onEndOfBatch(journal.lastLogSequence());

            assertEquals(1, cycleFiles().size());
            assertEquals(21, journal.firstLogSequence());
            append(journal, 31);
            assertEquals(range(21, 31), replayedLogSequences(journal));
        }
    }

    @Test
    void aRecordAfterThePointKeepsItsCycle() throws IOException
    {
        try (ChronicleJournal journal = open())
        {
            appendCycles(journal, 1, 3);
            final JournalRetention retention = new JournalRetention(journal, true);
            retention.coveredUpTo(9); // record 10 of the first cycle is not covered
            retention.onEndOfBatch(journal.lastLogSequence());

            assertEquals(3, cycleFiles().size());
            assertEquals(0, retention.deletedFiles());
            assertEquals(1, journal.firstLogSequence());
        }
    }

    @Test
    void waitsWhileAReaderHasTheJournalOpen() throws Exception
    {
        try (ChronicleJournal journal = open())
        {
            appendCycles(journal, 1, 3);
            final JournalRetention retention = new JournalRetention(journal, true);
            retention.coveredUpTo(20);

            final CountDownLatch reading = new CountDownLatch(1);
            final CountDownLatch done = new CountDownLatch(1);
            final Thread reader = new Thread(() ->
            {
                journal.replay((buffer, offset, length) ->
                {
                    if (1 == CommandHeader.logSequence(buffer, offset))
                    {
                        reading.countDown();
                        awaitQuietly(done);
                    }
                });
            });
            reader.start();
            assertTrue(reading.await(30, TimeUnit.SECONDS));

            retention.onEndOfBatch(journal.lastLogSequence());
            assertEquals(3, cycleFiles().size(), "nothing deleted under a reader");

            done.countDown();
            reader.join(TimeUnit.SECONDS.toMillis(30));
            retention.onEndOfBatch(journal.lastLogSequence());
            assertEquals(1, cycleFiles().size(), "deleted at the next batch end after the reader finished");
        }
    }

    @Test
    void learnsEachNewCycleAtABatchEndAndDeletesExactlyToTheBoundary() throws IOException
    {
        try (ChronicleJournal journal = open())
        {
            final JournalRetention retention = new JournalRetention(journal, true); // empty journal: nothing to read
            long logSequence = 1;
            for (int cycle = 0; cycle < 3; cycle++)
            {
                for (int i = 0; i < PER_CYCLE; i++)
                {
                    append(journal, logSequence);
                    retention.onEndOfBatch(logSequence++); // a batch per record, as under light load
                }
                clock.advanceMillis(TimeUnit.MINUTES.toMillis(1));
            }
            append(journal, logSequence);
            retention.onEndOfBatch(logSequence); // 31 in a fourth cycle

            retention.coveredUpTo(19);
            retention.onEndOfBatch(logSequence);
            assertEquals(3, cycleFiles().size());
            assertEquals(11, journal.firstLogSequence());

            retention.coveredUpTo(20);
            retention.onEndOfBatch(logSequence);
            assertEquals(2, cycleFiles().size());
            assertEquals(21, journal.firstLogSequence());
            assertEquals(range(21, 31), replayedLogSequences(journal));
        }
    }

    @Test
    void switchedOffDeletesNothing() throws IOException
    {
        try (ChronicleJournal journal = open())
        {
            appendCycles(journal, 1, 3);
            final JournalRetention retention = new JournalRetention(journal, false);
            retention.coveredUpTo(1_000);
            retention.onEndOfBatch(journal.lastLogSequence());

            assertEquals(3, cycleFiles().size());
            assertEquals(1, journal.firstLogSequence());
        }
    }

    @Test
    void theJournalHandlerAppliesRetentionAtTheEndOfABatch() throws IOException
    {
        try (ChronicleJournal journal = open())
        {
            appendCycles(journal, 1, 2);
            final JournalRetention retention = new JournalRetention(journal, true);
            final JournalHandler handler = new JournalHandler(journal, BatchCommit.NONE, retention);
            final CommandEvent event = new CommandEvent();
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[8]);
            event.set(21, 0, 1, 0, frame, 0, 8);
            retention.coveredUpTo(10);

            handler.onEvent(event, 0, false);
            assertEquals(3, cycleFiles().size(), "not before the end of the batch");
            event.set(22, 0, 1, 0, frame, 0, 8);
            handler.onEvent(event, 1, true);
            assertEquals(2, cycleFiles().size());
            assertEquals(11, journal.firstLogSequence());
        }
    }

    private ChronicleJournal open()
    {
        return ChronicleJournal.open(dir, LegacyRollCycles.MINUTELY, clock, 0);
    }

    /** Appends {@link #PER_CYCLE} records per cycle, then rolls to the next minute. */
    private void appendCycles(final ChronicleJournal journal, final long firstLogSequence, final int cycles)
    {
        long logSequence = firstLogSequence;
        for (int cycle = 0; cycle < cycles; cycle++)
        {
            for (int i = 0; i < PER_CYCLE; i++)
            {
                append(journal, logSequence++);
            }
            clock.advanceMillis(TimeUnit.MINUTES.toMillis(1));
        }
    }

    private static void append(final ChronicleJournal journal, final long logSequence)
    {
        final byte[] command = Records.command(logSequence, 8, logSequence);
        journal.append(Records.direct(command), 0, command.length);
    }

    private List<Path> cycleFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter((path) -> path.toString().endsWith(".cq4")).sorted().toList();
        }
    }

    private static List<Long> replayedLogSequences(final ChronicleJournal journal)
    {
        final List<Long> logSequences = new ArrayList<>();
        journal.replay((buffer, offset, length) -> logSequences.add(CommandHeader.logSequence(buffer, offset)));
        return logSequences;
    }

    private static List<Long> range(final long from, final long to)
    {
        final List<Long> values = new ArrayList<>();
        for (long value = from; value <= to; value++)
        {
            values.add(value);
        }
        return values;
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
