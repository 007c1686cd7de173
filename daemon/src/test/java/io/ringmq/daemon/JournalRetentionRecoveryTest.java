package io.ringmq.daemon;

import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.snapshot.SnapshotStore;
import io.ringmq.daemon.testing.TestDaemons;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.FsyncPolicy;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A running daemon deletes the journal's roll cycles its snapshots cover, keeps taking commands, and a restart from a
 * snapshot plus the remaining journal still holds every unacked message, including those journaled in deleted files.
 * Without a snapshot that covers the deleted records, start-up is refused.
 */
class JournalRetentionRecoveryTest
{
    private static final long TIMEOUT_MS = 30_000;
    private static final int PER_CYCLE = 1_100;
    private static final int CYCLES = 3;

    @TempDir
    Path tempDir;

    @Test
    void deletesCoveredCyclesWhileRunningAndRecoversFromSnapshotPlusTheRemainingJournal() throws IOException
    {
        final SetTimeProvider rollClock = new SetTimeProvider(TimeUnit.HOURS.toNanos(1_000_000));
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of(
            "ringmq.journal.roll.cycle", "MINUTELY",
            "ringmq.journal.fsync", "NONE",
            "ringmq.snapshot.every.commands", "1000",
            "ringmq.snapshot.interval", "0",
            "ringmq.snapshot.keep", "2"));
        final Path journalDir = Daemon.journalDirectory(config);
        final SnapshotStore store = new SnapshotStore(config.dataDir().resolve("snapshots"), config.snapshotKeep());
        final Set<Long> unacked = new HashSet<>();

        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(config).journalRollClock(rollClock));
            RingmqClient client = TestDaemons.connect(config))
        {
            final List<Long> seen = new ArrayList<>();
            client.consumer("orders", "billing", 4000, 0, (d) ->
            {
                if (d.sequence() % 3 == 0) // every third stays unacked: only a snapshot can hold it once deleted
                {
                    unacked.add(d.sequence());
                }
                else
                {
                    d.ack();
                }
                seen.add(d.sequence());
            });
            final Publisher publisher = client.publisher("orders");
            for (int cycle = 0; cycle < CYCLES; cycle++)
            {
                for (int i = 0; i < PER_CYCLE; i++)
                {
                    publisher.publish("m" + i);
                    client.poll();
                }
                final long last = publisher.publishAndWait("end of cycle " + cycle);
                pollUntil(client, () -> seen.contains(last), TIMEOUT_MS, "cycle " + cycle + " delivered");
                rollClock.advanceMillis(TimeUnit.MINUTES.toMillis(1));
            }

            // Snapshots are written on their own thread; each later batch end lets retention act on them.
            final Publisher sync = client.publisher("sync");
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (daemon.journalFilesDeleted() < 2 && System.nanoTime() < deadlineNs)
            {
                sync.publishAndWait("tick");
            }
            assertTrue(daemon.journalFilesDeleted() >= 2, "the first two minutes' files are covered and deleted");
            assertEquals(CYCLES + 1, filesPresentAndDeleted(daemon, journalDir, CYCLES + 1),
                "a file per minute, each either deleted or still there");
            assertTrue(daemon.statsLine().contains("journal files deleted " + daemon.journalFilesDeleted()));
            publisher.publishAndWait("after retention"); // the journal still appends
        }

        final long firstLogSequence;
        try (ChronicleJournal journal = ChronicleJournal.open(journalDir, "MINUTELY", FsyncPolicy.NONE))
        {
            firstLogSequence = journal.firstLogSequence();
        }
        assertTrue(firstLogSequence > 1, "the journal starts after the deleted cycles: " + firstLogSequence);

        // Drop the snapshot the graceful stop wrote, so the restart takes an older one and replays the journal's tail.
        final List<Path> snapshots = store.snapshotsNewestFirst();
        assertEquals(2, snapshots.size());
        Files.delete(snapshots.get(0));
        final long olderSnapshot = store.oldestLogSequence();
        assertTrue(olderSnapshot >= firstLogSequence - 1, "retention kept every record after the oldest snapshot");

        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(config).journalRollClock(rollClock));
            RingmqClient client = TestDaemons.connect(config))
        {
            assertEquals(olderSnapshot, daemon.recoveredSnapshotLogSequence());
            assertTrue(daemon.recoveredCommands() > 0, "the tail after the snapshot was replayed");
            final Set<Long> redelivered = new HashSet<>();
            client.consumer("orders", "billing", 4000, 0, (d) ->
            {
                if (d.sequence() % 3 == 0)
                {
                    redelivered.add(d.sequence());
                }
                d.ack();
            });
            pollUntil(client, () -> redelivered.size() >= unacked.size(), TIMEOUT_MS, "every unacked message");
            assertEquals(unacked, redelivered);
            assertTrue(redelivered.contains(3L), "one journaled in the first, deleted, cycle");
        }
    }

    @Test
    void refusesToStartWhenNoSnapshotCoversTheDeletedRecords() throws IOException
    {
        final SetTimeProvider rollClock = new SetTimeProvider(TimeUnit.HOURS.toNanos(1_000_000));
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of(
            "ringmq.journal.roll.cycle", "MINUTELY",
            "ringmq.journal.fsync", "NONE",
            "ringmq.snapshot.every.commands", "1000",
            "ringmq.snapshot.interval", "0",
            "ringmq.snapshot.keep", "1"));
        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(config).journalRollClock(rollClock));
            RingmqClient client = TestDaemons.connect(config))
        {
            final Publisher publisher = client.publisher("orders");
            for (int cycle = 0; cycle < 2; cycle++)
            {
                for (int i = 0; i < PER_CYCLE; i++)
                {
                    publisher.publish("m" + i);
                    client.poll();
                }
                publisher.publishAndWait("end of cycle " + cycle);
                rollClock.advanceMillis(TimeUnit.MINUTES.toMillis(1));
            }
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (daemon.journalFilesDeleted() < 1 && System.nanoTime() < deadlineNs)
            {
                publisher.publishAndWait("tick");
            }
            assertTrue(daemon.journalFilesDeleted() >= 1);
        }

        final Path snapshotDir = config.dataDir().resolve("snapshots");
        try (Stream<Path> files = Files.list(snapshotDir))
        {
            for (final Path file : files.toList())
            {
                Files.delete(file);
            }
        }
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> Daemon.launch(new DaemonContext().settings(config).journalRollClock(rollClock)).close());
        assertTrue(refused.getMessage().contains("there is no valid snapshot"), refused.getMessage());
        assertTrue(refused.getMessage().matches(".*log sequences 1 to \\d+ are missing.*"), refused.getMessage());
    }

    /**
     * The journal's files plus those retention deleted, once that adds up to {@code expected} or the timeout passes:
     * the last batch's end may still be deleting a file (the file goes first, then the count), seen gone but not yet
     * counted for a moment.
     */
    private static long filesPresentAndDeleted(final Daemon daemon, final Path journalDir, final long expected)
        throws IOException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        long total;
        while ((total = cycleFiles(journalDir).size() + daemon.journalFilesDeleted()) != expected &&
            System.nanoTime() - deadlineNs < 0)
        {
            Thread.yield();
        }
        return total;
    }

    private static List<Path> cycleFiles(final Path journalDir) throws IOException
    {
        try (Stream<Path> files = Files.list(journalDir))
        {
            return files.filter((path) -> path.toString().endsWith(".cq4")).toList();
        }
    }
}
