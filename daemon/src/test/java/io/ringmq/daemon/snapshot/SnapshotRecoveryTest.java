package io.ringmq.daemon.snapshot;

import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.daemon.Daemon;
import io.ringmq.daemon.testing.TestDaemons;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.FsyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        try (Daemon daemon = Daemon.launch(config); RingmqClient client = TestDaemons.connect(config))
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
        try (Daemon daemon = Daemon.launch(config); RingmqClient client = TestDaemons.connect(config))
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
        try (ChronicleJournal journal = ChronicleJournal.open(
            config.dataDir().resolve("journal"), config.journalRollCycle().name(), FsyncPolicy.NONE))
        {
            journal.replay((buffer, offset, length) ->
            {
                if (CommandHeader.logSequence(buffer, offset) > afterLogSequence)
                {
                    machine.apply(buffer, offset, length);
                }
            });
        }
        return machine;
    }
    @Test
    void aBacklogThatOutweighsTheJournalSinceTheLastSnapshotIsNotWrittenAgain()
    {
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of(
            "ringmq.snapshot.every.commands", "1000", "ringmq.snapshot.interval", "0", "ringmq.snapshot.keep", "5"));
        final SnapshotStore store = new SnapshotStore(config.dataDir().resolve("snapshots"), config.snapshotKeep());
        try (Daemon daemon = Daemon.launch(config); RingmqClient client = TestDaemons.connect(config))
        {
            final Publisher publisher = client.publisher("backlog"); // nobody consumes: every message stays
            for (int i = 0; i < 3_499; i++)
            {
                publisher.publish("m" + i);
                client.poll();
            }
            publisher.publishAndWait("m3499");
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
