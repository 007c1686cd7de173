package io.ringmq.daemon.replication;

import io.ringmq.client.NodeAdminClient;
import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.Daemon;
import io.ringmq.daemon.DaemonContext;
import io.ringmq.daemon.failover.Witness;
import io.ringmq.daemon.failover.WitnessLink;
import io.ringmq.daemon.failover.WitnessRegistry;
import io.ringmq.daemon.replication.PairFixture.Receipts;
import io.ringmq.daemon.testing.TestDaemons;
import io.ringmq.transport.NodeStatus;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.ringmq.daemon.replication.PairFixture.awaitStatus;
import static io.ringmq.daemon.replication.PairFixture.node;
import static io.ringmq.daemon.replication.PairFixture.pollFor;
import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A pair and its witness in one JVM over loopback UDP, with the default lease (300 ms), drift (50 ms) and heartbeats
 * (50 ms, timeout 500 ms): the standby takes over by itself when the primary stops; with the witness down nothing
 * takes over and the pair serves; a primary whose receipts do not wait for the standby stops receipting once its lease
 * runs out, and receipts again once the witness is back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AutomaticFailoverTest
{
    private static final long DEADLINE_MS = 30_000;
    /** The target is 1 s on loopback; a shared, loaded 2-core test machine gets slack. */
    private static final long FAILOVER_BOUND_MS = 3_000;

    @TempDir
    Path tempDir;

    @Test
    void theStandbyPromotesItselfWhenThePrimaryStops()
    {
        final RingmqConfig witnessConfig = witnessConfig();
        final TestPair pair = new TestPair(tempDir, "journaled", "continue", "2s",
            Map.of("ringmq.replication.witness.endpoint", witnessConfig.replicationWitnessEndpoint()));
        try (Witness ignored = Witness.launch(witnessConfig);
             Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby)))
        {
            try (Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary));
                 RingmqClient client = TestDaemons.connect(pair.primary))
            {
                final Publisher publisher = client.publisher("orders");
                publisher.publishAndWait("before the failover");
                assertEquals(1, publisher.lastReceiptEpoch(), "the first primary receipts in epoch 1");
                awaitStandbyNamedInSync(primary, standby);
            } // the client closes before the primary: a client without nodes ends its process when its driver stops
            final long stoppedNs = System.nanoTime();
            await(() -> !standby.isStandby(), "the standby promotes itself");
            final long promotedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedNs);
            try (RingmqClient client = TestDaemons.connect(pair.standby))
            {
                final Publisher publisher = client.publisher("orders");
                assertEquals(2, publisher.publishAndWait("after the failover"),
                    "the new primary has the receipted message and takes the next");
                assertEquals(2, publisher.lastReceiptEpoch(), "the receipt names the epoch the witness granted");
            }
            final long firstReceiptMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedNs);
            System.out.println("automatic failover: promoted " + promotedMs + " ms, first receipt from the new " +
                "primary " + firstReceiptMs + " ms after the primary stopped");
            assertTrue(firstReceiptMs < FAILOVER_BOUND_MS, "failover took " + firstReceiptMs + " ms");
            try (NodeAdminClient node = node(pair.standby))
            {
                final NodeStatus status = node.status();
                assertEquals(NodeStatus.PRIMARY, status.role());
                assertEquals(2, status.epoch());
            }
            await(() -> 2 == standby.witnessLink().registryEpoch(), "the new primary renews its lease in epoch 2");
        }
    }

    @Test
    void withTheWitnessDownNothingTakesOverAndThePairServes()
    {
        final RingmqConfig witnessConfig = witnessConfig();
        final TestPair pair = new TestPair(tempDir, "journaled", "continue", "2s",
            Map.of("ringmq.replication.witness.endpoint", witnessConfig.replicationWitnessEndpoint()));
        try (Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby)))
        {
            try (Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary));
                 RingmqClient client = TestDaemons.connect(pair.primary))
            {
                try (Witness ignored = Witness.launch(witnessConfig))
                {
                    awaitStandbyNamedInSync(primary, standby);
                }
                await(() -> !primary.witnessLink().witnessReachable() && !standby.witnessLink().witnessReachable(),
                    "both nodes see the witness gone");
                assertTrue(primary.witnessLink().witnessOutages() >= 1, "the outage is counted");
                final Publisher publisher = client.publisher("orders");
                for (int i = 1; i <= 10; i++)
                {
                    assertEquals(i, publisher.publishAndWait("without the witness " + i),
                        "receipts wait for the in-sync standby: the primary serves without a lease");
                }
            } // the client closes before the primary: a client without nodes ends its process when its driver stops
            try (NodeAdminClient node = node(pair.standby))
            {
                awaitStatus(node, (s) -> !s.peerAlive(), DEADLINE_MS, "the standby takes the primary as lost");
                final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500); // 3 leases
                while (System.nanoTime() - deadlineNs < 0)
                {
                    assertEquals(NodeStatus.STANDBY, node.status().role(), "no promotion without the witness");
                    Thread.yield();
                }
            }
            assertTrue(standby.isStandby());
        }
    }

    @Test
    void aPrimaryWithoutLeaseStopsReceiptingUntilTheWitnessIsBack()
    {
        final RingmqConfig witnessConfig = witnessConfig();
        final TestPair pair = new TestPair(tempDir, "none", "continue", "2s",
            Map.of("ringmq.replication.witness.endpoint", witnessConfig.replicationWitnessEndpoint()));
        try (Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby));
             Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary)))
        {
            Witness witness = Witness.launch(witnessConfig); // first: without a lease the primary answers nothing
            try (RingmqClient client = TestDaemons.connect(pair.primary))
            {
                final Receipts receipts = new Receipts();
                final Publisher publisher = client.publisher("orders", receipts);
                awaitStandbyNamedInSync(primary, standby);
                publisher.publish("with a lease");
                pollUntil(client, () -> 1 == receipts.count, DEADLINE_MS, "a receipt under the lease");

                witness.close();
                witness = null;
                await(() -> !primary.witnessLink().witnessReachable(), "the primary sees the witness gone");
                publisher.publish("after the lease ran out");
                pollFor(client, 1_000);
                assertEquals(1, receipts.count, "ack mode none: without a lease the primary holds its receipts");

                witness = Witness.launch(witnessConfig); // the same directories: the registry it had
                pollUntil(client, () -> 2 == receipts.count, DEADLINE_MS,
                    "the held receipt goes out once the witness renews the lease");
                assertEquals(1, primary.witnessLink().registryEpoch(), "the registry kept epoch 1");
            }
            finally
            {
                CloseHelper.quietClose(witness);
            }
        }
    }

    /** The primary has told the witness its standby is in sync (what lets the standby take over). */
    private static void awaitStandbyNamedInSync(final Daemon primary, final Daemon standby)
    {
        final int standbyId = WitnessRegistry.NODE_OF_STANDBY_ENDPOINT;
        final WitnessLink link = primary.witnessLink();
        await(() -> link.witnessReachable() && standbyId == link.registryInSyncStandby() &&
            standby.witnessLink().witnessReachable(), "the witness names the standby in sync");
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail(what + ": not within " + DEADLINE_MS + " ms");
            }
            Thread.yield();
        }
    }

    private RingmqConfig witnessConfig()
    {
        return TestDaemons.config(tempDir.resolve("witness"),
            Map.of("ringmq.replication.witness.endpoint", "localhost:" + TestDaemons.freeUdpPorts(5)));
    }
}
