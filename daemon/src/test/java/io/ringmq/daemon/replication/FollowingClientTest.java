package io.ringmq.daemon.replication;

import io.ringmq.client.BrowsedMessage;
import io.ringmq.client.ClientContext;
import io.ringmq.client.ClientNode;
import io.ringmq.client.ConnectionListener;
import io.ringmq.client.NodeAdminClient;
import io.ringmq.client.Producer;
import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.Daemon;
import io.ringmq.daemon.DaemonContext;
import io.ringmq.transport.NodeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.ringmq.daemon.replication.PairFixture.awaitStatus;
import static io.ringmq.daemon.replication.PairFixture.node;
import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client given both nodes of a pair in one JVM (loopback UDP between the nodes): a standby redirects it to the
 * primary; after a switchover, or the primary stopped and the standby promoted by hand, it reconnects to the new
 * primary by itself, resends the unreceipted publishes of its idempotent producer (each producer sequence stored
 * once), its consumer gets what it held unacked again, and its listener hears lost, then reconnected.
 */
class FollowingClientTest
{
    private static final long TIMEOUT_MS = 30_000;
    private static final long SWITCHOVER_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(90);
    private static final int BEFORE = 20;
    private static final int HELD = 5;
    /** How many of a producer's latest sequences the daemon remembers. */
    private static final int REMEMBERED = 256;

    @TempDir
    Path tempDir;

    @Test
    void aStandbyListedFirstRedirectsTheClientToThePrimary()
    {
        final TestPair pair = new TestPair(tempDir, "journaled");
        try (Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby));
             Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary));
             RingmqClient client = RingmqClient.connect(following(pair, new Events())))
        {
            assertEquals(1, client.publisher("orders").publishAndWait("via the primary"));
            assertTrue(standby.isStandby());

            try (NodeAdminClient standbyNode = node(pair.standby))
            {
                awaitStatus(standbyNode, NodeStatus::peerAlive, TIMEOUT_MS, "the standby hears the primary");
            }
            // The standby's redirect names where clients reach the primary (its heartbeats say): its Aeron directory.
            final RingmqException refused = assertThrows(RingmqException.class, () -> RingmqClient.connect(
                new ClientContext().aeronDirectoryName(pair.standby.aeronDir().toString())
                    .connectTimeoutNs(TimeUnit.SECONDS.toNanos(3))));
            assertEquals(ErrorCode.NOT_PRIMARY, refused.code(), refused.getMessage());
            assertTrue(refused.getMessage().contains("primary at " + dir(pair.primary)), refused.getMessage());
            // A client that lists the standby only follows that redirect to the primary.
            try (RingmqClient onlyStandbyListed = RingmqClient.connect(
                new ClientContext().nodes(dir(pair.standby)).connectTimeoutNs(TimeUnit.SECONDS.toNanos(3))))
            {
                assertEquals(2, onlyStandbyListed.publisher("orders").publishAndWait("via the redirect"));
            }
        }
    }

    @Test
    void theClientFollowsASwitchoverResendingWhatWasNotReceipted() throws Exception
    {
        final TestPair pair = new TestPair(tempDir, "journaled");
        final Events events = new Events();
        try (Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby));
             Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary));
             RingmqClient client = RingmqClient.connect(following(pair, events));
             NodeAdminClient primaryNode = node(pair.primary))
        {
            final Held held = new Held(client);
            client.declareGroup("orders", "audit", io.ringmq.client.GroupOptions.unset()); // keeps every message
            final Producer producer = new Producer(7);
            final Publisher publisher = client.publisher("orders").idempotent(producer);
            for (int i = 1; i <= BEFORE; i++)
            {
                publisher.publishAndWait("order " + i);
            }
            pollUntil(client, () -> held.delivered.size() == BEFORE, TIMEOUT_MS, "every message delivered");
            awaitStatus(primaryNode, (s) -> s.inSync() && s.peerAlive(), TIMEOUT_MS, "the standby in sync");

            // Publish on while the primary hands over: what it no longer takes is unreceipted, and resent.
            final CompletableFuture<NodeStatus> switchover = CompletableFuture.supplyAsync(() ->
            {
                try (NodeAdminClient switching = node(pair.primary))
                {
                    return switching.switchover(SWITCHOVER_TIMEOUT_NS);
                }
            });
            int sent = BEFORE;
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (!events.reconnected() || sent < BEFORE + 50)
            {
                assertTrue(System.nanoTime() < deadlineNs, "the client reconnects: " + events.seen);
                if (publisher.unanswered() < 20)
                {
                    publisher.publish("order " + ++sent);
                }
                if (0 == client.poll())
                {
                    Thread.yield();
                }
            }
            assertEquals(NodeStatus.STANDBY, switchover.get(TIMEOUT_MS, TimeUnit.MILLISECONDS).role());
            assertTrue(publisher.awaitReceipts(java.time.Duration.ofMillis(TIMEOUT_MS)), "every publish receipted");
            assertEquals(0, producer.unreceiptedCount());
            assertTrue(primary.isStandby() && !standby.isStandby(), "the nodes swapped roles");
            assertEquals(List.of("lost " + dir(pair.primary), "reconnected " + dir(pair.standby)), events.seen);

            assertEachProducerSequenceStoredOnce(client, sent);
            // At least once: the held ones come again, and so may those whose acks the old primary no longer took.
            pollUntil(client, () -> held.redelivered.keySet().containsAll(held.unacked), TIMEOUT_MS,
                "the deliveries held unacked come again from the new primary: " + held);
            assertTrue(held.delivered.containsAll(held.redelivered.keySet()), "only what was delivered before: " + held);
        }
    }

    @Test
    void theClientFollowsAStandbyPromotedByHandAfterThePrimaryStopped()
    {
        final TestPair pair = new TestPair(tempDir, "journaled", "continue", "2s");
        final Events events = new Events();
        try (Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby)))
        {
            final Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary));
            try (RingmqClient client = RingmqClient.connect(following(pair, events)))
            {
                final Held held = new Held(client);
                client.declareGroup("orders", "audit", io.ringmq.client.GroupOptions.unset()); // keeps every message
                final Producer producer = new Producer(9);
                final Publisher publisher = client.publisher("orders").idempotent(producer);
                for (int i = 1; i <= BEFORE; i++)
                {
                    publisher.publishAndWait("order " + i);
                }
                pollUntil(client, () -> held.delivered.size() == BEFORE, TIMEOUT_MS, "every message delivered");
                try (NodeAdminClient primaryNode = node(pair.primary))
                {
                    awaitStatus(primaryNode, (s) -> s.inSync(), TIMEOUT_MS, "the standby in sync");
                }
                primary.close();
                try (NodeAdminClient standbyNode = node(pair.standby))
                {
                    assertEquals(NodeStatus.PRIMARY, promoteOnceThePrimaryIsGone(standbyNode).role());
                }
                assertEquals(BEFORE + 1, publisher.publishAndWait("after the failover"),
                    "the blocking publish goes on at the new primary, after every message of epoch 1");
                assertEquals(List.of("lost " + dir(pair.primary), "reconnected " + dir(pair.standby)), events.seen);
                pollUntil(client, () -> held.redelivered.keySet().containsAll(held.unacked), TIMEOUT_MS,
                    "the held deliveries again: " + held);
                assertEachProducerSequenceStoredOnce(client, BEFORE + 1);
            }
        }
    }

    @Test
    void aRestartedDaemonIsFoundAgainWithinTheReconnectTimeoutAndAStoppedOneIsGivenUp()
    {
        final RingmqConfig alone = io.ringmq.daemon.testing.TestDaemons.config(tempDir.resolve("alone"));
        final Events events = new Events();
        final ClientContext ctx = new ClientContext().nodes(alone.aeronDir().toString())
            .reconnectTimeoutNs(TimeUnit.SECONDS.toNanos(20)).connectionListener(events).clientName("follower");
        final Daemon first = Daemon.launch(new DaemonContext().settings(alone));
        try (RingmqClient client = RingmqClient.connect(ctx))
        {
            final Publisher publisher = client.publisher("orders").idempotent(new Producer(3));
            assertEquals(1, publisher.publishAndWait("before"));
            first.close();
            try (Daemon again = Daemon.launch(new DaemonContext().settings(alone)))
            {
                assertEquals(2, publisher.publishAndWait("after the restart"));
                assertEquals(List.of("lost " + alone.aeronDir(), "reconnected " + alone.aeronDir()), events.seen);
            }
            final long stoppedNs = System.nanoTime();
            final RingmqException gaveUp = assertThrows(RingmqException.class, () ->
                pollUntil(client, () -> false, TIMEOUT_MS, "the client to give up"));
            assertTrue(gaveUp.getMessage().contains("gave up reconnecting after 20000 ms"), gaveUp.getMessage());
            assertTrue(System.nanoTime() - stoppedNs >= TimeUnit.SECONDS.toNanos(20), "not before the timeout");
            assertTrue(events.seen.get(events.seen.size() - 1).startsWith("gave up"), events.seen.toString());
            final RingmqException after = assertThrows(RingmqException.class, () -> publisher.publish("late"));
            assertEquals(gaveUp.getMessage(), after.getMessage(), "every later call says why");
        }
    }

    /**
     * The trial's CLI publish: asynchronous publishes as the producer the daemon issued, never polled for receipts,
     * then the node lost. Whatever is unanswered then is resent, and the daemon recognises only a producer's latest
     * {@value #REMEMBERED} sequences: so the producer never has more unanswered than that (the trial had thousands
     * applied, their receipts held for the standby's ack when the primary was killed, and stored them twice). Here the
     * receipts may be read before the loss is seen or not; each producer sequence is stored once either way.
     */
    @Test
    void anIssuedProducerRunningAheadOfItsReceiptsHasNoMoreUnansweredThanTheDaemonRemembers()
    {
        final RingmqConfig alone = io.ringmq.daemon.testing.TestDaemons.config(tempDir.resolve("alone"));
        final Events events = new Events();
        final ClientContext ctx = new ClientContext().nodes(alone.aeronDir().toString())
            .reconnectTimeoutNs(TimeUnit.SECONDS.toNanos(20)).connectionListener(events).clientName("follower");
        final int count = 4 * REMEMBERED;
        final Daemon first = Daemon.launch(new DaemonContext().settings(alone));
        try (RingmqClient client = RingmqClient.connect(ctx))
        {
            client.declareGroup("orders", "audit", io.ringmq.client.GroupOptions.unset()); // keeps every message
            final Producer producer = new Producer(client.issuedProducerId());
            final Publisher publisher = client.publisher("orders", null).idempotent(producer);
            int mostUnanswered = 0;
            for (int i = 1; i <= count; i++)
            {
                publisher.publish("message-" + i); // no poll between: the receipts fall behind, as the CLI's did
                mostUnanswered = Math.max(mostUnanswered, producer.unreceiptedCount());
            }
            assertTrue(mostUnanswered <= REMEMBERED, "at most " + REMEMBERED + " unanswered, was " + mostUnanswered);
            try (RingmqClient observer = io.ringmq.daemon.testing.TestDaemons.connect(alone))
            {
                final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
                while (observer.stats("orders").messages() < count)
                {
                    assertTrue(System.nanoTime() < deadlineNs, "the daemon applies every publish");
                    Thread.yield();
                }
            }
            first.close(); // the receipts still unread by the client go with it
            try (Daemon again = Daemon.launch(new DaemonContext().settings(alone)))
            {
                assertTrue(publisher.awaitReceipts(java.time.Duration.ofMillis(TIMEOUT_MS)), "every publish receipted");
                assertEquals(0, producer.unreceiptedCount());
                publisher.publishAndWait("after the restart"); // the client follows the restarted daemon
                assertTrue(events.reconnected(), events.seen.toString());
                assertEachProducerSequenceStoredOnce(client, count + 1);
            }
        }
    }

    /**
     * The same, resent by hand: the daemon stops with every publish applied and none of the receipts read, and the
     * producer resends what it holds through a new client. Without a bound on what it holds, all but the latest
     * {@value #REMEMBERED} would be stored twice.
     */
    @Test
    void aProducerResentByHandAfterARestartIsStoredOnceHoweverFarItRanAhead()
    {
        final RingmqConfig alone = io.ringmq.daemon.testing.TestDaemons.config(tempDir.resolve("alone"));
        final int count = 4 * REMEMBERED;
        final Producer producer;
        final Daemon first = Daemon.launch(new DaemonContext().settings(alone));
        try (RingmqClient client = io.ringmq.daemon.testing.TestDaemons.connect(alone))
        {
            client.declareGroup("orders", "audit", io.ringmq.client.GroupOptions.unset()); // keeps every message
            producer = new Producer(client.issuedProducerId());
            final Publisher publisher = client.publisher("orders", null).idempotent(producer);
            for (int i = 1; i <= count; i++)
            {
                publisher.publish("message-" + i);
            }
            try (RingmqClient observer = io.ringmq.daemon.testing.TestDaemons.connect(alone))
            {
                final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
                while (observer.stats("orders").messages() < count)
                {
                    assertTrue(System.nanoTime() < deadlineNs, "the daemon applies every publish");
                    Thread.yield();
                }
            }
            first.close();
        }
        try (Daemon again = Daemon.launch(new DaemonContext().settings(alone));
             RingmqClient client = io.ringmq.daemon.testing.TestDaemons.connect(alone))
        {
            producer.resendUnreceipted(client);
            assertEquals(0, producer.unreceiptedCount());
            assertEachProducerSequenceStoredOnce(client, count);
        }
    }

    /** The standby hears of the stopped primary a moment later: until then it refuses, saying so. */
    private static NodeStatus promoteOnceThePrimaryIsGone(final NodeAdminClient standby)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (true)
        {
            try
            {
                return standby.promote(false);
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

    /** Every message of the queue carries a distinct producer sequence, and all of 1..count are there. */
    private static void assertEachProducerSequenceStoredOnce(final RingmqClient client, final int count)
    {
        final Map<Long, Integer> stored = new HashMap<>();
        client.peek("orders", 0, (BrowsedMessage m) -> stored.merge(m.producerSequence(), 1, Integer::sum));
        assertEquals(count, stored.size(), "every producer sequence stored (" + stored.size() + ")");
        assertTrue(stored.values().stream().allMatch((n) -> n == 1), "none stored twice: " + stored);
    }

    private static String dir(final RingmqConfig config)
    {
        return config.aeronDir().toString();
    }

    /** Both nodes, the standby first: the client meets a redirect on its way to the primary. */
    private static ClientContext following(final TestPair pair, final ConnectionListener listener)
    {
        return new ClientContext()
            .nodes(dir(pair.standby) + "," + dir(pair.primary))
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .reconnectTimeoutNs(TimeUnit.SECONDS.toNanos(20))
            .connectionListener(listener)
            .clientName("follower");
    }

    /** What the listener heard, in order. */
    private static final class Events implements ConnectionListener
    {
        final List<String> seen = new CopyOnWriteArrayList<>();

        public void onLost(final ClientNode node, final String reason)
        {
            seen.add("lost " + node);
        }

        public void onReconnected(final ClientNode node, final int resent, final long notResent)
        {
            seen.add("reconnected " + node);
        }

        public void onGaveUp(final String reason)
        {
            seen.add("gave up: " + reason);
        }

        boolean reconnected()
        {
            return seen.stream().anyMatch((e) -> e.startsWith("reconnected"));
        }
    }

    /** A consumer of group "billing" that acks all but the last {@value #HELD} of the first messages. */
    private static final class Held
    {
        final List<Long> delivered = new ArrayList<>();
        final List<Long> unacked = new ArrayList<>();
        final TreeMap<Long, Integer> redelivered = new TreeMap<>();

        public String toString()
        {
            return "delivered " + delivered + ", unacked " + unacked + ", redelivered " + redelivered;
        }

        Held(final RingmqClient client)
        {
            client.consumer("orders", "billing", 1000, 0, (d) ->
            {
                if (d.attempt() > 1)
                {
                    redelivered.put(d.sequence(), d.attempt());
                    d.ack();
                    return;
                }
                delivered.add(d.sequence());
                if (d.sequence() > BEFORE - HELD && d.sequence() <= BEFORE)
                {
                    unacked.add(d.sequence());
                }
                else
                {
                    d.ack();
                }
            });
        }
    }
}
