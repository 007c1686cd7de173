package io.ringmq.daemon.replication;

import io.ringmq.client.NodeAdminClient;
import io.ringmq.client.Publisher;
import io.ringmq.client.ReceiptListener;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.Daemon;
import io.ringmq.daemon.DaemonContext;
import io.ringmq.daemon.testing.TestDaemons;
import io.ringmq.transport.NodeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.ringmq.daemon.replication.PairFixture.node;
import static io.ringmq.daemon.replication.PairFixture.awaitStatus;
import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A planned switchover of a pair in one JVM over loopback UDP (policy hold: every receipt waits for the other node):
 * the primary drains, hands over and becomes the standby of the promoted node in the same process; the new primary of
 * epoch 2 has every receipted message, delivers the unacked ones again, receipts new publishes (acked by the old
 * primary, now its standby), and both nodes reach the same digest at the same log sequence.
 */
class SwitchoverTest
{
    private static final long TIMEOUT_MS = 30_000;
    private static final long SWITCHOVER_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(90);
    private static final int MESSAGES = 30;
    private static final int ACKED = 10;

    @TempDir
    Path tempDir;

    @Test
    void thePrimaryHandsOverToItsStandbyAndFollowsIt()
    {
        final TestPair pair = new TestPair(tempDir, "journaled");
        try (Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby));
             Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary)))
        {
            final List<Long> unacked = new ArrayList<>();
            final long switchoverNs;
            final long handedOverNs;
            try (RingmqClient client = TestDaemons.connect(pair.primary);
                 NodeAdminClient primaryNode = node(pair.primary))
            {
                publishAndLeaveUnacked(client, unacked);
                awaitStatus(primaryNode, (s) -> s.inSync() && s.peerAlive(), TIMEOUT_MS,
                    "the standby in sync and heard");
                try (NodeAdminClient standbyNode = node(pair.standby))
                {
                    final RingmqException refused =
                        assertThrows(RingmqException.class, () -> standbyNode.switchover(SWITCHOVER_TIMEOUT_NS));
                    assertTrue(refused.getMessage().contains("switch over at the primary"), refused.getMessage());
                }

                final InFlightPublisher inFlight = new InFlightPublisher(pair.primary);
                inFlight.awaitReceipts(20);
                final long startNs = System.nanoTime();
                final NodeStatus after = primaryNode.switchover(SWITCHOVER_TIMEOUT_NS);
                handedOverNs = System.nanoTime() - startNs;
                final Set<Long> receiptedInFlight = inFlight.stop();
                try (RingmqClient newClient = TestDaemons.connect(pair.standby))
                {
                    assertEquals(MESSAGES + 1, newClient.publisher("orders").publishAndWait("first in epoch 2"),
                        "receipted by the new primary, after every message of epoch 1");
                    switchoverNs = System.nanoTime() - startNs;
                    assertEquals(NodeStatus.STANDBY, after.role(), "the old primary is the standby now");
                    assertEquals(pair.standbyEndpoint(), after.primaryEndpoint(), "it names the new primary");
                    assertFalse(primary.isStandby() == standby.isStandby());
                    assertTrue(primary.isStandby());

                    final TreeMap<Long, Integer> redelivered = new TreeMap<>();
                    newClient.consumer("orders", "billing", 100, 0, (d) ->
                    {
                        redelivered.put(d.sequence(), d.attempt());
                        d.ack();
                    });
                    pollUntil(newClient, () -> redelivered.size() == unacked.size() + 1, TIMEOUT_MS,
                        "the unacked messages delivered again, and the new one");
                    final List<Long> expected = new ArrayList<>(unacked);
                    expected.add((long)MESSAGES + 1);
                    assertEquals(expected, new ArrayList<>(redelivered.keySet()));
                    assertTrue(unacked.stream().allMatch((sequence) -> redelivered.get(sequence) == 2),
                        "delivered again: " + redelivered);
                    newClient.publisher("sync").publishAndWait("after the acks");

                    final Set<Long> present = new HashSet<>();
                    newClient.consumer("inflight", "check", 1000, 0, (d) ->
                    {
                        present.add(d.sequence());
                        d.ack();
                    });
                    pollUntil(newClient, () -> present.containsAll(receiptedInFlight), TIMEOUT_MS,
                        "every publish receipted while the switchover began is on the new primary");
                    System.out.println("publishes in flight at the switchover: " + receiptedInFlight.size() +
                        " receipted by the old primary, all on the new one");
                }
            }
            System.out.println("planned switchover: the command answered (the old primary a standby) after " +
                TimeUnit.NANOSECONDS.toMillis(handedOverNs) + " ms; command to the first receipt from the new " +
                "primary " + TimeUnit.NANOSECONDS.toMillis(switchoverNs) + " ms (a new client's connect included)");

            try (NodeAdminClient newPrimary = node(pair.standby);
                 NodeAdminClient oldPrimary = node(pair.primary))
            {
                // The new primary may journal more meanwhile (a tick for a timer): compare the two when they stand
                // at the same log sequence, reading both until they do.
                final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
                NodeStatus p;
                NodeStatus s;
                do
                {
                    p = newPrimary.status();
                    s = oldPrimary.status();
                    assertTrue(System.nanoTime() < deadlineNs, "the old primary follows the new one: " + p + " " + s);
                }
                while (p.logSequence() != s.logSequence());
                assertEquals(NodeStatus.PRIMARY, p.role());
                assertEquals(2, p.epoch());
                assertEquals(NodeStatus.STANDBY, s.role());
                assertEquals(2, s.epoch(), "it applied the new epoch's EpochStarted");
                assertEquals(p.digest(), s.digest(), "the same state at the same log sequence");
                assertTrue(newPrimary.status().inSync(), "the new primary's receipts wait for its standby");
            }
        }
    }

    /**
     * Publishes without waiting, on a thread and client of its own, as fast as receipts come back, until the
     * switchover closes its session (or it is stopped): what the old primary receipted is what must survive.
     */
    private static final class InFlightPublisher
    {
        private static final int WINDOW = 32;
        private final Set<Long> receipted = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        InFlightPublisher(final RingmqConfig primary)
        {
            final RingmqClient client = TestDaemons.connect(primary);
            thread = new Thread(() -> publishUntilStopped(client), "in-flight-publisher");
            thread.start();
        }

        private void publishUntilStopped(final RingmqClient client)
        {
            try (client)
            {
                final long[] answered = {0};
                final Publisher publisher = client.publisher("inflight", ReceiptListener.of(
                    (correlationId, sequence) ->
                    {
                        receipted.add(sequence);
                        answered[0]++;
                    },
                    (correlationId, code, message) -> answered[0]++));
                long sent = 0;
                while (running.get())
                {
                    if (sent - answered[0] < WINDOW) // a few dozen in flight at any time
                    {
                        publisher.publish("in flight");
                        sent++;
                    }
                    client.poll();
                }
            }
            catch (final RuntimeException ex)
            {
                // the switchover closed this session: what was receipted until then is what counts
            }
        }

        void awaitReceipts(final int count)
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (receipted.size() < count)
            {
                assertTrue(System.nanoTime() < deadlineNs, "receipts: " + receipted.size());
                Thread.yield();
            }
        }

        Set<Long> stop()
        {
            running.set(false);
            try
            {
                thread.join(TimeUnit.MILLISECONDS.toMillis(TIMEOUT_MS));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            assertFalse(thread.isAlive(), "the in-flight publisher stops");
            return new HashSet<>(receipted);
        }
    }

    /** Publishes {@value #MESSAGES} messages (each receipted); a consumer acks the first {@value #ACKED} only. */
    private static void publishAndLeaveUnacked(final RingmqClient client, final List<Long> unacked)
    {
        final int[] delivered = {0};
        client.consumer("orders", "billing", 100, 0, (d) ->
        {
            delivered[0]++;
            if (d.sequence() <= ACKED)
            {
                d.ack();
            }
            else
            {
                unacked.add(d.sequence());
            }
        });
        final Publisher publisher = client.publisher("orders");
        for (int i = 1; i <= MESSAGES; i++)
        {
            assertEquals(i, publisher.publishAndWait("order " + i));
        }
        pollUntil(client, () -> delivered[0] == MESSAGES, TIMEOUT_MS, "every message delivered");
        client.publisher("sync").publishAndWait("after the acks"); // one client's commands apply in order
    }
}
