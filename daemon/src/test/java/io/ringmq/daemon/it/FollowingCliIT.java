package io.ringmq.daemon.it;

import io.ringmq.client.ClientContext;
import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/ringmq consume} given both nodes of a pair ({@code ringmq.client.nodes}) goes on across a failover: the
 * primary process is killed (kill -9), the standby promoted with {@code bin/ringmq promote}, and the consume process,
 * without a restart, prints what is published to the new primary; it says on stderr that it lost its node and
 * reconnected, and prints no stack trace.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FollowingCliIT
{
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path tempDir;

    private final Path repoRoot = DaemonProcess.findRepoRoot();
    private final Path primaryAeronDir = DaemonProcess.uniqueAeronDir("ringmq-follow-primary-");
    private final Path standbyAeronDir = DaemonProcess.uniqueAeronDir("ringmq-follow-standby-");
    private final List<DaemonProcess> started = new ArrayList<>();

    @AfterEach
    void cleanUp() throws IOException
    {
        for (final DaemonProcess process : started)
        {
            if (process.isAlive())
            {
                process.kill9();
            }
        }
        DaemonProcess.deleteRecursively(primaryAeronDir);
        DaemonProcess.deleteRecursively(standbyAeronDir);
    }

    @Test
    void consumeGoesOnAtThePromotedStandby() throws IOException
    {
        final String primaryEndpoint = "localhost:" + freeUdpPort();
        final String standbyEndpoint = "localhost:" + freeUdpPort();
        final String nodes = standbyAeronDir + "," + primaryAeronDir;
        final Path standbyConfig = writeConfig("standby", standbyAeronDir, primaryEndpoint, standbyEndpoint, nodes);
        final Path primaryConfig = writeConfig("primary", primaryAeronDir, primaryEndpoint, standbyEndpoint, nodes);
        final DaemonProcess standby = track(DaemonProcess.start(repoRoot, standbyConfig, "--role", "standby"));
        standby.awaitReady(START);
        final DaemonProcess primary = track(DaemonProcess.start(repoRoot, primaryConfig, "--role", "primary"));
        primary.awaitReady(START);

        final DaemonProcess consume = track(DaemonProcess.command(repoRoot, primaryConfig, "consume", "orders",
            "--group", "billing"));
        try (RingmqClient client = follower(nodes))
        {
            final Publisher publisher = client.publisher("orders");
            publisher.publishAndWait("before the failover");
            consume.awaitStdout((line) -> line.endsWith("before the failover"), START);
            client.publisher("sync").publishAndWait("the consumer's ack is in"); // one session's commands apply in order
        }

        primary.kill9();
        promote(standbyConfig);
        try (RingmqClient client = follower(nodes))
        {
            client.publisher("orders").publishAndWait("after the failover");
        }
        consume.awaitStdout((line) -> line.endsWith("after the failover"), START);
        consume.sigterm();
        assertEquals(143, consume.awaitExit(START), consume::output); // 128 + SIGTERM, as a stopped consume always ends
        assertTrue(consume.stderr().stream().anyMatch((line) -> line.contains("lost the node " + primaryAeronDir)),
            consume::output);
        assertTrue(consume.stderr().stream().anyMatch((line) -> line.contains("reconnected to " + standbyAeronDir)),
            consume::output);
        assertFalse(consume.printedStackTrace(), consume::output);
    }

    /** {@code bin/ringmq promote}, again until the standby is the primary. */
    private void promote(final Path standbyConfig)
    {
        final long deadlineNs = System.nanoTime() + START.toNanos();
        while (true)
        {
            final DaemonProcess promote = track(DaemonProcess.command(repoRoot, standbyConfig, "promote"));
            if (0 == promote.awaitExit(START) || promote.output().contains("primary already"))
            {
                return; // promoted now, or by the try before, whose answer came too late for it
            }
            // A killed primary's stream stays connected until Aeron's liveness timeout; a promotion on a busy
            // machine may take longer than the command waits for its answer.
            assertTrue((promote.output().contains("still connected") || promote.output().contains("no answer")) &&
                System.nanoTime() < deadlineNs, promote::output);
        }
    }

    private static RingmqClient follower(final String nodes)
    {
        return RingmqClient.connect(new ClientContext().nodes(nodes).connectTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .clientName("it-publisher"));
    }

    private DaemonProcess track(final DaemonProcess process)
    {
        started.add(process);
        return process;
    }

    private Path writeConfig(
        final String name,
        final Path aeronDir,
        final String primaryEndpoint,
        final String standbyEndpoint,
        final String nodes)
        throws IOException
    {
        final Map<String, String> values = new LinkedHashMap<>();
        values.put("ringmq.data.dir", tempDir.resolve(name).toString());
        values.put("ringmq.aeron.dir", aeronDir.toString());
        values.put("ringmq.aeron.ipc.term.length", "1m");
        values.put("ringmq.max.message.bytes", "64k");
        values.put("ringmq.ring.size", "1024");
        values.put("ringmq.replication.primary.endpoint", primaryEndpoint);
        values.put("ringmq.replication.standby.endpoint", standbyEndpoint);
        values.put("ringmq.replication.standby.lost", "continue");
        values.put("ringmq.client.nodes", nodes);
        values.put("ringmq.client.reconnect.timeout", "60s");
        final Path file = tempDir.resolve(name + ".properties");
        Files.write(file, values.entrySet().stream().map((e) -> e.getKey() + "=" + e.getValue()).toList());
        return file;
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
