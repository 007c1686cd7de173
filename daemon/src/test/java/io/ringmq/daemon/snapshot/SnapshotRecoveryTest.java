package io.ringmq.daemon.snapshot;

import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.daemon.Daemon;
import io.ringmq.daemon.DaemonContext;
import io.ringmq.daemon.testing.TestDaemons;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.FsyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots taken by a running daemon: snapshot + journal tail gives the state the whole journal gives. */
class SnapshotRecoveryTest
{
    private static final long TIMEOUT_MS = 30_000;

    @TempDir
    Path tempDir;

    @Test
    void aRestartFromASnapshotAndTheJournalTailReachesTheStateOfAFullReplay()
    {
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of("ringmq.snapshot.every.commands", "1000"));
        final SnapshotStore store = new SnapshotStore(config.dataDir().resolve("snapshots"), config.snapshotKeep());
        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(config));
             RingmqClient client = TestDaemons.connect(config))
        {
            final List<Long> acked = new ArrayList<>();
            client.consumer("orders", "billing", 4000, 0, (d) -> // room for every unacked one
            {
                if (d.sequence() % 3 != 0) // leave every third unacked: in flight, kept across the restart
                {
                    d.ack();
                    acked.add(d.sequence());
                }
            });
            final Publisher publisher = client.publisher("orders");
            for (int i = 0; i < 2500; i++)
            {
                publisher.publish("m" + i);
                client.poll();
            }
            publisher.publishAndWait("last"); // sequence 2501
            pollUntil(client, () -> acked.size() == 2501 - 833, TIMEOUT_MS, "all but every third acked");
            // Acks have no receipts; a publish after them does, and one client's commands are applied in order.
            client.publisher("sync").publishAndWait("after the acks");
            pollUntil(client, () -> !store.snapshotsNewestFirst().isEmpty(), TIMEOUT_MS, "a snapshot by count");
        }

        // Graceful close wrote a final snapshot: it covers the whole journal.
        final SnapshotStore.Loaded newest = store.loadNewest().orElseThrow();
        final QueueStateMachine fullReplay = replayJournal(config, 0, new QueueStateMachine(OutputSink.NONE));
        assertEquals(fullReplay.lastLogSequence(), newest.logSequence());
        assertEquals(fullReplay.describeState(), restore(newest).describeState());

        // An older snapshot plus the journal after it reaches the same state.
        final List<Path> files = store.snapshotsNewestFirst();
        assertTrue(files.size() >= 2, "one by count, one at close: " + files);
        final long olderSequence = Long.parseLong(files.get(1).getFileName().toString().replaceAll("\\D", ""));
        assertTrue(olderSequence < newest.logSequence());
        final SnapshotStore olderOnly = new SnapshotStore(config.dataDir().resolve("snapshots"), 10);
        final QueueStateMachine fromOlder = replayJournal(config, olderSequence,
            restore(loadExactly(olderOnly, files.get(1))));
        assertEquals(fullReplay.describeState(), fromOlder.describeState());

        // And the daemon itself starts from the snapshot, replaying nothing, with the unacked messages still there.
        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(config));
             RingmqClient client = TestDaemons.connect(config))
        {
            assertEquals(0, daemon.recoveredCommands(), "the final snapshot covered the journal");
            final List<Long> redelivered = new ArrayList<>();
            client.consumer("orders", "billing", 1000, 0, (d) ->
            {
                redelivered.add(d.sequence());
                d.ack();
            });
            pollUntil(client, () -> redelivered.size() >= 833, TIMEOUT_MS, "the unacked third");
            assertEquals(833, redelivered.size());
            assertTrue(redelivered.stream().allMatch((sequence) -> sequence % 3 == 0), redelivered.toString());
        }
    }

    /**
     * With the journal's sync off, a power loss can keep a snapshot (always forced to disk) while losing the journal
     * records before it: the snapshot is then ahead of the journal's end. Made here by pairing one run's journal with
     * a later run's snapshot. The daemon starts from the snapshot, numbers new commands after it, and a later start
     * that has only that snapshot (a crash before the next one) finds them: the old journal was moved aside, so no
     * gap in the journal reads as a missing record.
     */
    @Test
    void aSnapshotAheadOfTheJournalsEndStartsAndTheCommandsAfterItReplayLater() throws IOException
    {
        final Path runA = tempDir.resolve("a");
        final RingmqConfig configA = TestDaemons.config(runA);
        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(configA));
             RingmqClient client = TestDaemons.connect(configA))
        {
            client.publisher("orders").publishAndWait("one");
        }
        final Path runB = tempDir.resolve("b");
        copyTree(runA, runB); // B's journal ends here
        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(configA));
             RingmqClient client = TestDaemons.connect(configA))
        {
            client.publisher("orders").publishAndWait("two");
        }
        final SnapshotStore storeA = new SnapshotStore(configA.dataDir().resolve("snapshots"), configA.snapshotKeep());
        final SnapshotStore.Loaded ahead = storeA.loadNewest().orElseThrow();
        final Path snapshotsB = runB.resolve("data").resolve("snapshots");
        Files.copy(storeA.snapshotsNewestFirst().get(0), snapshotsB.resolve(SnapshotStore.fileName(ahead.logSequence())));

        final RingmqConfig configB = TestDaemons.config(runB);
        final long journalEndB;
        try (ChronicleJournal journal = ChronicleJournal.open(
            configB.dataDir().resolve("journal"), configB.journalRollCycle().name(), FsyncPolicy.NONE))
        {
            journalEndB = journal.lastLogSequence();
        }
        assertTrue(journalEndB < ahead.logSequence(), journalEndB + " < " + ahead.logSequence());

        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(configB));
             RingmqClient client = TestDaemons.connect(configB))
        {
            assertEquals(ahead.logSequence(), daemon.recoveredSnapshotLogSequence());
            assertEquals(0, daemon.recoveredCommands());
            assertEquals(3, client.publisher("orders").publishAndWait("three"), "numbered after the snapshot's two");
        }
        try (Stream<Path> beside = Files.list(runB.resolve("data")))
        {
            assertEquals(1, beside.filter((path) -> path.getFileName().toString().startsWith("journal.superseded-"))
                .count(), "the journal behind the snapshot, moved aside whole");
        }
        final SnapshotStore storeB = new SnapshotStore(snapshotsB, 10);
        for (final Path newer : storeB.snapshotsNewestFirst())
        {
            if (SnapshotStore.read(newer).logSequence() > ahead.logSequence())
            {
                Files.delete(newer); // lost too: only the snapshot ahead of the gap is left
            }
        }

        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(configB));
             RingmqClient client = TestDaemons.connect(configB))
        {
            assertEquals(ahead.logSequence(), daemon.recoveredSnapshotLogSequence());
            assertTrue(daemon.recoveredCommands() > 0, "the commands after the snapshot");
            final List<String> payloads = new ArrayList<>();
            client.consumer("orders", "audit", 10, 0, (d) ->
            {
                payloads.add(d.sequence() + ":" + d.payloadAsString());
                d.ack();
            });
            pollUntil(client, () -> payloads.size() >= 3, TIMEOUT_MS, "the three messages");
            assertEquals(List.of("1:one", "2:two", "3:three"), payloads);
        }
    }

    private static void copyTree(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> paths = Files.walk(from))
        {
            for (final Path path : (Iterable<Path>)paths::iterator)
            {
                final Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(path, target);
                }
            }
        }
    }

    private static QueueStateMachine restore(final SnapshotStore.Loaded snapshot)
    {
        return QueueStateMachine.fromSnapshot(snapshot.state(), 0, snapshot.state().capacity(), OutputSink.NONE);
    }

    private static SnapshotStore.Loaded loadExactly(final SnapshotStore store, final Path file)
    {
        try
        {
            return SnapshotStore.read(file);
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static QueueStateMachine replayJournal(
        final RingmqConfig config, final long afterLogSequence, final QueueStateMachine machine)
    {
        TestDaemons.replayJournal(config, (buffer, offset, length) ->
        {
            if (CommandHeader.logSequence(buffer, offset) > afterLogSequence)
            {
                machine.apply(buffer, offset, length);
            }
        });
        return machine;
    }
    @Test
    void aBacklogThatOutweighsTheJournalSinceTheLastSnapshotIsNotWrittenAgain()
    {
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of(
            "ringmq.snapshot.every.commands", "1000", "ringmq.snapshot.interval", "0", "ringmq.snapshot.keep", "5"));
        final SnapshotStore store = new SnapshotStore(config.dataDir().resolve("snapshots"), config.snapshotKeep());
        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(config));
             RingmqClient client = TestDaemons.connect(config))
        {
            final Publisher publisher = client.publisher("backlog"); // nobody consumes: every message stays
            for (int i = 0; i < 3_500; i++)
            {
                if (99 == i % 100)
                {
                    publisher.publishAndWait("m" + i); // a ring batch holds at most 100 commands, whatever the timing
                }
                else
                {
                    publisher.publish("m" + i);
                    client.poll();
                }
            }
        }
        // By count alone: after about 1000, 2000 and 3000 commands (ring batches round up), each rewriting the whole
        // backlog. Waiting each time for as many commands as the last snapshot held messages (every command but the
        // first few is a publish, so about its log sequence): the second comes only after twice the first's log
        // sequence, the third would after twice the second's, beyond this run. Plus the one a graceful stop writes.
        final List<Path> snapshots = store.snapshotsNewestFirst();
        assertEquals(3, snapshots.size(), snapshots::toString);
        final long first = logSequenceOf(snapshots.get(2));
        final long second = logSequenceOf(snapshots.get(1));
        assertTrue(second - first >= first - 10, snapshots::toString);
    }

    private static long logSequenceOf(final Path snapshot)
    {
        final String name = snapshot.getFileName().toString(); // snapshot-<log sequence>.rqs
        return Long.parseLong(name.substring("snapshot-".length(), name.indexOf('.')));
    }
}
