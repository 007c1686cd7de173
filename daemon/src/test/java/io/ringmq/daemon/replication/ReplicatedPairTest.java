package io.ringmq.daemon.replication;

import io.ringmq.client.ClientContext;
import io.ringmq.client.NodeAdminClient;
import io.ringmq.client.Publisher;
import io.ringmq.client.ReceiptListener;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.daemon.Daemon;
import io.ringmq.daemon.DaemonContext;
import io.ringmq.daemon.replication.PairFixture.Pair;
import io.ringmq.daemon.replication.PairFixture.Receipts;
import io.ringmq.daemon.snapshot.SnapshotStore;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.ringmq.daemon.replication.PairFixture.newestSnapshot;
import static io.ringmq.daemon.replication.PairFixture.node;
import static io.ringmq.daemon.replication.PairFixture.pollFor;
import static io.ringmq.daemon.replication.PairFixture.replay;
import static io.ringmq.daemon.replication.PairFixture.restore;
import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A primary and a standby in one JVM, each with its own data and Aeron directories, linked over loopback UDP: the
 * standby journals and applies the primary's commands and ends in the primary's state; in mode journaled no receipt
 * leaves the primary before the standby has the command, in mode none receipts do not wait for it.
 */
class ReplicatedPairTest
{
    private static final long TIMEOUT_MS = 30_000;
    /** How long a receipt that must not come is waited for: many loopback round trips. */
    private static final long HELD_MS = 1_000;

    @TempDir
    Path tempDir;

    @ParameterizedTest
    @ValueSource(strings = {"journaled", "received", "synced"})
    void theStandbyReachesThePrimarysStateAtTheSameLogSequence(final String ackMode)
    {
        final TestPair pair = new TestPair(tempDir, ackMode);
        final int messages = 600;
        try (Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby));
             Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary)))
        {
            try (RingmqClient client = TestDaemons.connect(pair.primary))
            {
                final List<Long> acked = new ArrayList<>();
                final int[] delivered = new int[1];
                client.consumer("orders", "billing", 1000, 0, (d) ->
                {
                    delivered[0]++;
                    if (d.sequence() % 3 != 0) // every third stays in flight: state worth comparing
                    {
                        d.ack();
                        acked.add(d.sequence());
                    }
                });
                final Publisher publisher = client.publisher("orders");
                for (int i = 0; i < messages; i++)
                {
                    assertEquals(i + 1, publisher.publishAndWait("m" + i), "each receipt names its sequence");
                    client.poll();
                }
                pollUntil(client, () -> delivered[0] == messages, TIMEOUT_MS, "every message delivered");
                client.publisher("sync").publishAndWait("after the acks"); // one client's commands apply in order
                assertEquals(messages - messages / 3, acked.size());
            }
            assertTrue(primary.statsLine().contains("batches dropped 0"), primary.statsLine());
        }

        final SnapshotStore.Loaded primaryState = newestSnapshot(pair.primary);
        final SnapshotStore.Loaded standbyState = newestSnapshot(pair.standby);
        assertEquals(primaryState.logSequence(), standbyState.logSequence(), "both stopped at the same command");
        assertEquals(restore(primaryState).describeState(), restore(standbyState).describeState());

        final QueueStateMachine primaryReplay = replay(pair.primary);
        final QueueStateMachine standbyReplay = replay(pair.standby);
        assertTrue(primaryReplay.lastLogSequence() > messages, "the journal holds every publish and ack");
        assertEquals(primaryReplay.lastLogSequence(), standbyReplay.lastLogSequence());
        assertEquals(primaryReplay.describeState(), standbyReplay.describeState(), "the same journal, record for record");
        assertEquals(primaryReplay.describeState(), restore(standbyState).describeState(),
            "the standby's live state is the primary's journal applied");
    }

    /** A primary restarted from its journal goes on where the standby is: its start is the next log sequence. */
    @Test
    void theStandbyFollowsAPrimaryThatRestarts()
    {
        final TestPair pair = new TestPair(tempDir, "journaled");
        try (Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby)))
        {
            for (int run = 0; run < 2; run++)
            {
                try (Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary));
                     RingmqClient client = TestDaemons.connect(pair.primary))
                {
                    final Publisher publisher = client.publisher("orders");
                    for (int i = 0; i < 20; i++)
                    {
                        assertEquals(run * 20 + i + 1, publisher.publishAndWait("run " + run + " message " + i));
                    }
                }
            }
        }
        final QueueStateMachine primaryReplay = replay(pair.primary);
        assertEquals(primaryReplay.describeState(), replay(pair.standby).describeState());
        assertEquals(primaryReplay.describeState(), restore(newestSnapshot(pair.standby)).describeState(),
            "nothing refused at the second NodeStarted: no gap");
    }

    @Test
    void inModeJournaledNoReceiptLeavesThePrimaryWhileTheStandbyIsGone()
    {
        final TestPair pair = new TestPair(tempDir, "journaled", "hold", "500ms");
        final Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby));
        try (Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary));
             RingmqClient client = TestDaemons.connect(pair.primary))
        {
            final Receipts receipts = new Receipts();
            final Publisher publisher = client.publisher("orders", receipts);
            publisher.publish("while the standby runs");
            pollUntil(client, () -> receipts.count == 1, TIMEOUT_MS, "a receipt with the standby up");

            standby.close();
            publisher.publish("after the standby stopped");
            pollFor(client, HELD_MS);
            assertEquals(1, receipts.count, "held: the standby never acked the second publish");
            assertTrue(primary.statsLine().contains("standby in sync, times out of sync 0"), primary.statsLine());
        }
        // The primary gave up on the standby only to stop: the held publish is journaled there, not receipted.
    }

    /** Policy continue: one ack timeout after the standby stops, receipts go on from the primary alone. */
    @Test
    void withPolicyContinueReceiptsResumeOneAckTimeoutAfterTheStandbyIsLost()
    {
        final TestPair pair = new TestPair(tempDir, "journaled", "continue", "2s");
        final Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby));
        try (Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary));
             RingmqClient client = TestDaemons.connect(pair.primary))
        {
            final Receipts receipts = new Receipts();
            final Publisher publisher = client.publisher("orders", receipts);
            publisher.publish("while the standby runs");
            pollUntil(client, () -> receipts.count == 1, TIMEOUT_MS, "a receipt with the standby up");
            assertTrue(primary.statsLine().contains("standby in sync, times out of sync 0"), primary.statsLine());

            standby.close();
            publisher.publish("after the standby stopped");
            pollUntil(client, () -> receipts.count == 2, TIMEOUT_MS, "the receipt once the standby is out of sync");
            for (int i = 0; i < 10; i++)
            {
                publisher.publish("out of sync " + i);
            }
            pollUntil(client, () -> receipts.count == 12, TIMEOUT_MS, "receipts without waiting for the standby");
            assertTrue(primary.statsLine().contains("standby out of sync, times out of sync 1"), primary.statsLine());
            try (NodeAdminClient node = node(pair.primary))
            {
                assertTrue(replay(pair.standby).lastLogSequence() < node.status().logSequence(),
                    "what was receipted out of sync is on the primary only");
            }

            // Back, it catches up; the primary is back in sync although no client sends anything any more (it read
            // its acks only as commands passed, so an idle primary stayed out of sync and refused a switchover).
            try (Daemon back = Daemon.launch(new DaemonContext().settings(pair.standby)))
            {
                pollUntil(client, () -> primary.statsLine().contains("standby in sync"), TIMEOUT_MS,
                    "the primary back in sync with its caught-up standby on an idle ring");
            }
        }
    }

    @Test
    void inModeNoneReceiptsGoOnWithoutTheStandby()
    {
        final TestPair pair = new TestPair(tempDir, "none");
        final Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby));
        try (Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary));
             RingmqClient client = TestDaemons.connect(pair.primary))
        {
            final Publisher publisher = client.publisher("orders");
            publisher.publishAndWait("while the standby runs");
            standby.close();
            for (int i = 0; i < 10; i++)
            {
                assertEquals(i + 2, publisher.publishAndWait("after the standby stopped " + i));
            }
        }
    }

    /** A client that connects to the standby is refused with NOT_PRIMARY, told where the primary is. */
    @Test
    void aStandbyTakesNoClients()
    {
        final TestPair pair = new TestPair(tempDir, "journaled");
        try (Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby)))
        {
            final RingmqException refused = assertThrows(RingmqException.class, () -> RingmqClient.connect(
                new ClientContext().aeronDirectoryName(pair.standby.aeronDir().toString())
                    .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10))));
            assertEquals(ErrorCode.NOT_PRIMARY, refused.code(), refused.getMessage());
            assertTrue(refused.getMessage().contains("primary at " + pair.primaryEndpoint()), refused.getMessage());
        }
    }
}
