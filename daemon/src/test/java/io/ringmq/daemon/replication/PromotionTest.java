package io.ringmq.daemon.replication;

import io.ringmq.client.ClientContext;
import io.ringmq.client.NodeAdminClient;
import io.ringmq.client.Publisher;
import io.ringmq.client.QueueOptions;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.EpochStartedDecoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.daemon.Daemon;
import io.ringmq.daemon.DaemonContext;
import io.ringmq.daemon.testing.TestDaemons;
import io.ringmq.transport.NodeStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.ringmq.daemon.replication.PairFixture.node;
import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pair in one JVM over loopback UDP, as ReplicatedPairTest runs it: both nodes answer {@code status} (the standby
 * too), with equal digests at the same log sequence; a standby refuses clients with NOT_PRIMARY; promote is refused
 * while the primary lives, and once it is stopped makes the standby the primary of epoch 2, which has every receipted
 * message, delivers the unacked ones again, receipts new publishes, and keeps epoch 2 across a restart; the old
 * primary, back by mistake as a primary, cannot feed the promoted node (its epoch 1 frames are refused).
 */
class PromotionTest
{
    private static final long TIMEOUT_MS = 30_000;
    private static final int MESSAGES = 30;
    private static final int ACKED = 10;
    /**
     * Aeron's image liveness timeout for the daemons' embedded drivers here (default 10 s). Promote is refused while
     * the primary's stream is connected, and a stopped primary's image stays connected at the standby until this
     * timeout: at the default each promotion waited about 10 s for it. Read by the drivers when the daemons start.
     */
    private static final String IMAGE_LIVENESS_PROPERTY = "aeron.image.liveness.timeout";
    private static final String IMAGE_LIVENESS = "3s";
    private static String imageLivenessBefore;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void shortImageLiveness()
    {
        imageLivenessBefore = System.setProperty(IMAGE_LIVENESS_PROPERTY, IMAGE_LIVENESS);
    }

    @AfterAll
    static void restoreImageLiveness()
    {
        if (null == imageLivenessBefore)
        {
            System.clearProperty(IMAGE_LIVENESS_PROPERTY);
        }
        else
        {
            System.setProperty(IMAGE_LIVENESS_PROPERTY, imageLivenessBefore);
        }
    }

    @Test
    void bothNodesAnswerStatusWithTheSameDigestAtTheSameLogSequence()
    {
        final TestPair pair = new TestPair(tempDir, "journaled");
        try (Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby));
             Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary));
             RingmqClient client = TestDaemons.connect(pair.primary);
             NodeAdminClient primaryNode = node(pair.primary);
             NodeAdminClient standbyNode = node(pair.standby))
        {
            publishAndLeaveUnacked(client);

            final NodeStatus[] atSameSequence = PairFixture.sameLogSequence(primaryNode::status, standbyNode::status);
            final NodeStatus p = atSameSequence[0];
            final NodeStatus s = atSameSequence[1];
            assertEquals(NodeStatus.PRIMARY, p.role());
            assertEquals(NodeStatus.STANDBY, s.role());
            assertEquals(1, p.epoch());
            assertEquals(1, s.epoch());
            assertTrue(p.logSequence() > MESSAGES, "every publish and ack is a command: " + p);
            assertEquals(p.digest(), s.digest(), "the same state at the same log sequence: " + p + " / " + s);
            assertTrue(p.inSync(), p.toString());
            assertTrue(s.inSync(), s.toString());
            assertEquals(0, p.lagCommands());
            assertEquals(0, s.lagCommands());
            assertEquals(pair.primaryEndpoint(), p.primaryEndpoint());
            assertEquals(pair.primaryEndpoint(), s.primaryEndpoint(), "the standby names its primary");

            client.publisher("orders").publishAndWait("one more");
            final NodeStatus[] after = PairFixture.sameLogSequence(primaryNode::status, standbyNode::status);
            assertTrue(after[0].digest() != p.digest(), "a new message is a new state");
            assertEquals(after[0].digest(), after[1].digest());

            final RingmqException refused = assertThrows(RingmqException.class, () -> standbyNode.promote(false));
            assertTrue(refused.getMessage().contains("still connected"), refused.getMessage());
            final RingmqException notStandby = assertThrows(RingmqException.class, () -> primaryNode.promote(true));
            assertTrue(notStandby.getMessage().contains("primary already"), notStandby.getMessage());
            assertEquals(NodeStatus.STANDBY, standbyNode.status().role(), "a refused promote changes nothing");
        }
    }

    @Test
    void aPromotedStandbyServesEveryReceiptedMessageInEpochTwo()
    {
        final TestPair pair = new TestPair(tempDir, "journaled", "continue", "2s");
        final List<Long> unacked;
        final long lastOfEpochOne;
        try (Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby)))
        {
            try (Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary));
                 RingmqClient client = TestDaemons.connect(pair.primary))
            {
                unacked = publishAndLeaveUnacked(client);
                primary.close(); // the primary goes, its consumer's deliveries still in flight
            }

            final NodeStatus promoted;
            try (NodeAdminClient node = node(pair.standby))
            {
                lastOfEpochOne = node.status().logSequence();
                promoted = retryWhileConnected(() -> node.promote(false));
            }
            assertEquals(NodeStatus.PRIMARY, promoted.role());
            assertEquals(2, promoted.epoch());
            assertFalse(standby.isStandby());

            try (RingmqClient client = TestDaemons.connect(pair.standby))
            {
                final TreeMap<Long, Integer> redelivered = new TreeMap<>();
                client.consumer("orders", "billing", 100, 0, (d) ->
                {
                    redelivered.put(d.sequence(), d.attempt());
                    d.ack();
                });
                pollUntil(client, () -> redelivered.size() == unacked.size(), TIMEOUT_MS,
                    "the unacked messages delivered again");
                assertEquals(unacked, new ArrayList<>(redelivered.keySet()), "exactly the unacked ones");
                assertTrue(redelivered.values().stream().allMatch((attempt) -> attempt == 2), redelivered.toString());
                final Publisher publisher = client.publisher("orders");
                assertEquals(MESSAGES + 1, publisher.publishAndWait("after the failover"), "receipted, in order");
            }
        }

        assertEquals(List.of(lastOfEpochOne + 1), epochStarts(pair.standby, 2),
            "epoch 2 journaled once, as the promoted node's first command, right after what it had");

        final RingmqConfig restarted = pair.node("standby", "primary");
        try (Daemon node = Daemon.launch(new DaemonContext().settings(restarted));
             NodeAdminClient admin = node(restarted))
        {
            final NodeStatus status = admin.status();
            assertEquals(2, status.epoch(), "recovery restores the epoch");
            assertEquals(NodeStatus.PRIMARY, status.role());
            assertEquals(pair.standbyEndpoint(), status.primaryEndpoint(), "it knows itself by its own endpoint");
        }

        final RingmqConfig oldPrimaryBack = pair.node("primary", "standby"); // --role standby, as the README says
        try (Daemon oldPrimary = Daemon.launch(new DaemonContext().settings(oldPrimaryBack)))
        {
            final RingmqException refused = assertThrows(RingmqException.class, () -> TestDaemons.connect(oldPrimaryBack));
            assertEquals(ErrorCode.NOT_PRIMARY, refused.code());
            assertTrue(refused.getMessage().contains("primary at " + pair.standbyEndpoint()),
                "the old primary, back as a standby, names the promoted node: " + refused.getMessage());
        }
    }

    /**
     * Under HOLD a promoted node's first command waits for a standby to ack it, and the old primary is gone: promote
     * answers at once all the same (it waited its whole stop timeout, past the command's own, and kept the node-admin
     * thread, so status hung too), and the node serves once the other node is back as its standby.
     */
    @Test
    void underHoldAPromotedNodeAnswersAtOnceAndServesOnceTheOtherNodeIsBackAsItsStandby()
    {
        final TestPair pair = new TestPair(tempDir, "journaled");
        try (Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby)))
        {
            try (Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary));
                 RingmqClient client = TestDaemons.connect(pair.primary))
            {
                client.declareQueue("orders", QueueOptions.unset());
                assertEquals(1, client.publisher("orders").publishAndWait("before"));
                primary.close();
            }

            try (NodeAdminClient node = node(pair.standby))
            {
                final NodeStatus promoted = retryWhileConnected(() -> node.promote(false));
                assertEquals(NodeStatus.PRIMARY, promoted.role());
                assertEquals(2, promoted.epoch(), "the epoch it serves, its start held for a standby: " + promoted);
                assertFalse(promoted.inSync(), promoted.toString());
                assertEquals(2, node.status().epoch(), "status answers meanwhile");
            }

            final RingmqConfig oldPrimaryBack = pair.node("primary", "standby");
            try (Daemon oldPrimary = Daemon.launch(new DaemonContext().settings(oldPrimaryBack));
                 RingmqClient client = TestDaemons.connect(pair.standby))
            {
                assertEquals(2, client.publisher("orders").publishAndWait("after"),
                    "held until the new standby acked, then receipted");
            }
        }
    }

    /** A daemon without a pair is its own primary, in epoch 1, never in sync with anyone; promote is refused. */
    @Test
    void aDaemonWithoutAPairIsAPrimaryAlone()
    {
        final RingmqConfig alone = TestDaemons.config(tempDir.resolve("alone"));
        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(alone));
             RingmqClient client = TestDaemons.connect(alone);
             NodeAdminClient node = node(alone))
        {
            client.publisher("orders").publishAndWait("one");
            final NodeStatus status = node.status();
            assertEquals(NodeStatus.PRIMARY, status.role());
            assertEquals(1, status.epoch());
            assertTrue(status.logSequence() >= 3, status.toString());
            assertEquals(0, status.lagCommands());
            assertFalse(status.inSync());
            assertEquals("", status.primaryEndpoint());
            assertThrows(RingmqException.class, () -> node.promote(true));
        }
    }

    /** The old primary, started again as a primary by mistake, ships epoch 1: the node of epoch 2 takes none of it. */
    @Test
    void anOlderEpochsPrimaryCannotFeedANodeOfANewerEpoch()
    {
        final TestPair pair = new TestPair(tempDir, "journaled", "continue", "2s");
        try (Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby)))
        {
            try (Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary));
                 RingmqClient client = TestDaemons.connect(pair.primary))
            {
                client.publisher("orders").publishAndWait("before");
            }
            try (NodeAdminClient node = node(pair.standby))
            {
                retryWhileConnected(() -> node.promote(false));
            }
        }
        final RingmqConfig promotedAsStandby = pair.node("standby", "standby");
        try (Daemon promoted = Daemon.launch(new DaemonContext().settings(promotedAsStandby));
             NodeAdminClient promotedNode = node(promotedAsStandby))
        {
            final NodeStatus before = promotedNode.status();
            assertEquals(2, before.epoch());
            try (Daemon oldPrimary = Daemon.launch(new DaemonContext().settings(pair.primary));
                 RingmqClient client = TestDaemons.connect(pair.primary))
            {
                client.publisher("orders").publishAndWait("from the old epoch"); // receipted alone: out of sync
                final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
                while (!promoted.statsLine().matches(".*older-epoch frames refused [1-9].*"))
                {
                    assertTrue(System.nanoTime() < deadlineNs, promoted.statsLine());
                    Thread.yield();
                }
            }
            final NodeStatus after = promotedNode.status();
            assertEquals(before.logSequence(), after.logSequence(), "nothing of epoch 1 applied");
            assertEquals(before.digest(), after.digest());
        }
    }

    /**
     * The old primary, started again as a primary while the promoted node serves, hears the newer epoch's frames at
     * its endpoint and stops (a ring failure: it receipts nothing more), telling the operator to start it as a standby.
     */
    @Test
    void aReplacedPrimaryStopsOnceItHearsTheNewerEpoch()
    {
        final TestPair pair = new TestPair(tempDir, "journaled", "continue", "2s");
        try (Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby)))
        {
            try (Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary));
                 RingmqClient client = TestDaemons.connect(pair.primary))
            {
                client.publisher("orders").publishAndWait("before");
            }
            try (NodeAdminClient node = node(pair.standby))
            {
                retryWhileConnected(() -> node.promote(false));
            }
            try (RingmqClient newClient = TestDaemons.connect(pair.standby);
                 Daemon oldPrimary = Daemon.launch(new DaemonContext().settings(pair.primary)))
            {
                final Publisher toNew = newClient.publisher("orders");
                RingmqClient oldClient = null;
                final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
                try
                {
                    while (null == oldPrimary.fatalError())
                    {
                        assertTrue(System.nanoTime() < deadlineNs, "the old primary never heard epoch 2");
                        toNew.publishAndWait("epoch 2"); // shipped to the old primary's endpoint, where it listens
                        // The old primary polls its acks in a batch: a command of its own gives it one.
                        oldClient = null != oldClient ? oldClient : TestDaemons.connect(pair.primary,
                            new ClientContext().connectTimeoutNs(TimeUnit.SECONDS.toNanos(1)));
                        oldClient.publisher("orders").publish("epoch 1");
                        oldClient.poll();
                    }
                }
                catch (final RingmqException ex)
                {
                    assertTrue(null != oldPrimary.fatalError(), "only a stopped old primary refuses: " + ex);
                }
                finally
                {
                    if (null != oldClient)
                    {
                        oldClient.close();
                    }
                }
                assertTrue(oldPrimary.fatalError().contains("a primary of epoch 2"), oldPrimary.fatalError());
                assertTrue(oldPrimary.fatalError().contains("--role standby"), oldPrimary.fatalError());
            }
        }
    }

    /** Publishes {@value #MESSAGES} messages (each receipted); a consumer acks the first {@value #ACKED} only. */
    private static List<Long> publishAndLeaveUnacked(final RingmqClient client)
    {
        final List<Long> unacked = new ArrayList<>();
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
        return unacked;
    }

    /** Promotes, retrying while the standby still sees the stopped primary's stream (it goes within moments). */
    private static NodeStatus retryWhileConnected(final Supplier<NodeStatus> promote)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (true)
        {
            try
            {
                return promote.get();
            }
            catch (final RingmqException ex)
            {
                if (!ex.getMessage().contains("still connected") || System.nanoTime() > deadlineNs)
                {
                    throw ex;
                }
                Thread.yield();
            }
        }
    }

    /** Log sequences of the journal's EpochStarted records of this epoch, each checked to name its own. */
    private static List<Long> epochStarts(final RingmqConfig config, final long epoch)
    {
        final List<Long> starts = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final EpochStartedDecoder decoder = new EpochStartedDecoder();
        TestDaemons.replayJournal(config, (buffer, offset, length) ->
        {
            header.wrap(buffer, offset + CommandHeader.LENGTH);
            if (EpochStartedDecoder.TEMPLATE_ID == header.templateId())
            {
                decoder.wrapAndApplyHeader(buffer, offset + CommandHeader.LENGTH, header);
                assertEquals(epoch, decoder.epoch());
                final long logSequence = CommandHeader.logSequence(buffer, offset);
                assertEquals(logSequence, decoder.firstLogSequence());
                starts.add(logSequence);
            }
        });
        return starts;
    }
}
