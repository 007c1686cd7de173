package io.ringmq.daemon.replication;

import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The configs of a pair on loopback: the same two endpoints (free UDP ports), each node its own directories. */
final class TestPair
{
    final RingmqConfig primary;
    final RingmqConfig standby;
    private final Path root;
    private final Map<String, String> shared = new HashMap<>();

    TestPair(final Path root, final String ackMode)
    {
        this(root, ackMode, "hold", "500ms");
    }

    TestPair(final Path root, final String ackMode, final String standbyLost, final String ackTimeout)
    {
        this(root, ackMode, standbyLost, ackTimeout, Map.of());
    }

    /** @param both further settings both nodes get (a witness endpoint, say). */
    TestPair(
        final Path root,
        final String ackMode,
        final String standbyLost,
        final String ackTimeout,
        final Map<String, String> both)
    {
        this.root = root;
        shared.putAll(both);
        shared.put("ringmq.replication.primary.endpoint", "localhost:" + freeUdpPort());
        shared.put("ringmq.replication.standby.endpoint", "localhost:" + freeUdpPort());
        shared.put("ringmq.replication.ack", ackMode);
        shared.put("ringmq.replication.ack.timeout", ackTimeout);
        shared.put("ringmq.replication.standby.lost", standbyLost);
        primary = node("primary", "primary");
        standby = node("standby", "standby");
    }

    /** The node first started as {@code directory} ("primary" or "standby"), started now in {@code role}. */
    RingmqConfig node(final String directory, final String role)
    {
        final Map<String, String> values = new HashMap<>(shared);
        values.put("ringmq.replication.role", role);
        return TestDaemons.config(root.resolve(directory), values);
    }

    String primaryEndpoint()
    {
        return shared.get("ringmq.replication.primary.endpoint");
    }

    String standbyEndpoint()
    {
        return shared.get("ringmq.replication.standby.endpoint");
    }

    private static int freeUdpPort()
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
}
