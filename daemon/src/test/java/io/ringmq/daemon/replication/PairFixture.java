package io.ringmq.daemon.replication;

import io.ringmq.client.ClientContext;
import io.ringmq.client.ReceiptListener;
import io.ringmq.client.RingmqClient;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.daemon.snapshot.SnapshotStore;
import io.ringmq.daemon.testing.TestDaemons;
import io.ringmq.transport.NodeStatus;
import io.ringmq.client.NodeAdminClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the in-process pair tests share: the two nodes' configs, receipts counted, and the states to compare. */
final class PairFixture
{
    private PairFixture()
    {
    }

    /** Two configs that differ only in role, data and Aeron directory, on two free loopback UDP ports. */
    static final class Pair
    {
        final RingmqConfig primary;
        final RingmqConfig standby;

        Pair(final Path root, final String ackMode)
        {
            this(root, ackMode, "hold", "500ms");
        }

        Pair(final Path root, final String ackMode, final String standbyLost, final String ackTimeout)
        {
            this(root, ackMode, standbyLost, ackTimeout, Map.of());
        }

        /** @param both further settings for both nodes (snapshots, retention). */
        Pair(
            final Path root,
            final String ackMode,
            final String standbyLost,
            final String ackTimeout,
            final Map<String, String> both)
        {
            final Map<String, String> shared = new HashMap<>(both);
            shared.put("ringmq.replication.primary.endpoint", "localhost:" + freeUdpPort());
            shared.put("ringmq.replication.standby.endpoint", "localhost:" + freeUdpPort());
            shared.put("ringmq.replication.ack", ackMode);
            shared.put("ringmq.replication.ack.timeout", ackTimeout);
            shared.put("ringmq.replication.standby.lost", standbyLost);
            primary = TestDaemons.config(root.resolve("primary"), with(shared, "primary"));
            standby = TestDaemons.config(root.resolve("standby"), with(shared, "standby"));
        }

        private static Map<String, String> with(final Map<String, String> shared, final String role)
        {
            final Map<String, String> values = new HashMap<>(shared);
            values.put("ringmq.replication.role", role);
            return values;
        }
    }

    static final class Receipts implements ReceiptListener
    {
        volatile int count;

        public void onReceipt(final long correlationId, final long sequence)
        {
            count++;
        }

        public void onError(final long correlationId, final ErrorCode code, final String message)
        {
            throw new AssertionError("publish refused: " + code + " " + message);
        }
    }

    static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Polls the client for a while: for what must not arrive, the only way to see it did not. */
    static void pollFor(final RingmqClient client, final long ms)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (System.nanoTime() - deadlineNs < 0)
        {
            if (0 == client.poll())
            {
                Thread.yield();
            }
        }
    }

    static SnapshotStore.Loaded newestSnapshot(final RingmqConfig config)
    {
        final SnapshotStore.Loaded loaded = new SnapshotStore(config.dataDir().resolve("snapshots"),
            config.snapshotKeep()).loadNewest().orElse(null);
        assertNotNull(loaded, "a graceful stop writes a snapshot");
        return loaded;
    }

    static QueueStateMachine restore(final SnapshotStore.Loaded snapshot)
    {
        return QueueStateMachine.fromSnapshot(snapshot.state(), 0, snapshot.state().capacity(), OutputSink.NONE);
    }

    static QueueStateMachine replay(final RingmqConfig config)
    {
        final QueueStateMachine machine = new QueueStateMachine(OutputSink.NONE);
        TestDaemons.replayJournal(config, machine::apply);
        return machine;
    }

    /** A node-request client of the node the config names (status, promote, switchover). */
    static NodeAdminClient node(final RingmqConfig config)
    {
        return NodeAdminClient.connect(new ClientContext()
            .aeronDirectoryName(config.aeronDir().toString())
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .clientName("test-admin"));
    }

    /** Asks the node for its status until {@code condition} holds, failing after {@code timeoutMs}. */
    static NodeStatus awaitStatus(
        final NodeAdminClient node, final Predicate<NodeStatus> condition, final long timeoutMs, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            final NodeStatus status = node.status();
            if (condition.test(status))
            {
                return status;
            }
            assertTrue(System.nanoTime() < deadlineNs, what + ": " + status);
            Thread.yield();
        }
    }

    /** Asks both nodes until they answer at the same log sequence (a tick may come between two questions). */
    static NodeStatus[] sameLogSequence(final Supplier<NodeStatus> first, final Supplier<NodeStatus> second)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true)
        {
            final NodeStatus a = first.get();
            final NodeStatus b = second.get();
            if (a.logSequence() == b.logSequence() && a.lagCommands() == 0 && b.lagCommands() == 0)
            {
                return new NodeStatus[]{a, b};
            }
            assertTrue(System.nanoTime() < deadlineNs, "never at the same log sequence: " + a + " / " + b);
            Thread.yield();
        }
    }
}
