package io.ringmq.daemon;

import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.daemon.snapshot.SnapshotStore;
import io.ringmq.daemon.testing.TestDaemons;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.FsyncPolicy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Setting aside a divergent suffix: the journal is rebuilt from the records before the point of divergence, the
 * journal as it was is kept whole beside the snapshots of a state that had the suffix, in one directory named for the
 * old epoch; when the journal cannot continue the newest snapshot kept (retention deleted records between), no record
 * is kept and the node recovers from that snapshot and the primary.
 */
class DivergedSuffixTest
{
    private static final int COMMAND_BYTES = 64;

    @TempDir
    Path tempDir;

    @Test
    void theRecordsFromThePointOfDivergenceAndTheSnapshotsThatHoldThemAreSetAsideTheRestKept() throws IOException
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        journal(config, 1, 30);
        snapshots(config, 10, 25);

        final DivergedSuffix.Outcome outcome = DivergedSuffix.setAside(config, 21, 3);

        assertEquals(LongStream.rangeClosed(1, 20).boxed().toList(), logSequences(config, Daemon.journalDirectory(config)),
            "the prefix before the point of divergence, rebuilt");
        assertEquals(List.of(10L), snapshotsIn(config.dataDir().resolve("snapshots")), "a snapshot before it kept");
        assertTrue(outcome.directory().getFileName().toString().startsWith("diverged-epoch3-"), outcome.toString());
        assertEquals(config.dataDir(), outcome.directory().getParent());
        assertEquals(LongStream.rangeClosed(1, 30).boxed().toList(), logSequences(config, outcome.directory().resolve("journal")),
            "the journal as it was, whole");
        assertEquals(List.of(25L), snapshotsIn(outcome.directory().resolve("snapshots")));
        assertEquals(new DivergedSuffix.Outcome(outcome.directory(), 21, 30, 10, 1, 20), outcome);
        assertTrue(Files.readString(outcome.directory().resolve("ABOUT.txt"))
            .contains("log sequences 21 to 30"), "what was set aside, for the operator");
    }

    @Test
    void aJournalThatNoLongerContinuesTheSnapshotKeptIsSetAsideWhole() throws IOException
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        journal(config, 15, 30); // retention deleted 1 to 14
        snapshots(config, 10, 25);

        final DivergedSuffix.Outcome outcome = DivergedSuffix.setAside(config, 21, 1);

        assertEquals(List.of(), logSequences(config, Daemon.journalDirectory(config)),
            "11 to 14 are gone: the records after the snapshot at 10 come from the primary");
        assertEquals(List.of(10L), snapshotsIn(config.dataDir().resolve("snapshots")));
        assertEquals(new DivergedSuffix.Outcome(outcome.directory(), 15, 30, 16, 1, 0), outcome);
    }

    private static void journal(final RingmqConfig config, final long first, final long last)
    {
        final UnsafeBuffer command = new UnsafeBuffer(new byte[COMMAND_BYTES]);
        try (ChronicleJournal journal = ChronicleJournal.open(
            Daemon.journalDirectory(config), config.journalRollCycle().name(), FsyncPolicy.NONE))
        {
            for (long logSequence = first; logSequence <= last; logSequence++)
            {
                CommandHeader.write(command, 0, logSequence, logSequence * 1_000, 7);
                journal.append(command, 0, COMMAND_BYTES);
            }
        }
    }

    private static void snapshots(final RingmqConfig config, final long... logSequences)
    {
        final SnapshotStore store = new SnapshotStore(config.dataDir().resolve("snapshots"), 10);
        for (final long logSequence : logSequences)
        {
            store.write(logSequence, 0, new byte[]{1, 2, 3}, 3);
        }
    }

    private static List<Long> logSequences(final RingmqConfig config, final Path journalDirectory)
    {
        final List<Long> logSequences = new ArrayList<>();
        try (ChronicleJournal journal =
            ChronicleJournal.open(journalDirectory, config.journalRollCycle().name(), FsyncPolicy.NONE))
        {
            journal.replay((buffer, offset, length) -> logSequences.add(CommandHeader.logSequence(buffer, offset)));
        }
        return logSequences;
    }

    private static List<Long> snapshotsIn(final Path directory)
    {
        return new SnapshotStore(directory, 10).snapshotsNewestFirst().stream()
            .map(SnapshotStore::logSequenceOf).sorted().toList();
    }
}
