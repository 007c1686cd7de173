package io.ringmq.daemon.it;

import io.ringmq.client.ClientContext;
import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.daemon.testing.TestDaemons;
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
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pair as a user runs it: two {@code bin/ringmq daemon} processes given the same endpoints, one with
 * {@code --role standby}, one with {@code --role primary}, on loopback UDP with their own data and Aeron directories.
 * After a producer's receipted publishes and a consumer's acks, both stop gracefully and their journals hold the same
 * commands: replayed, they reach the same state.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReplicatedPairIT
{
    private static final Duration START = Duration.ofSeconds(60);
    private static final int MESSAGES = 1_000;
    private static final int LATE_MESSAGES = 20_000;

    @TempDir
    Path tempDir;

    private final Path repoRoot = DaemonProcess.findRepoRoot();
    private final Path primaryAeronDir = DaemonProcess.uniqueAeronDir("ringmq-pair-primary-");
    private final Path standbyAeronDir = DaemonProcess.uniqueAeronDir("ringmq-pair-standby-");
    private final List<DaemonProcess> started = new ArrayList<>();

    @AfterEach
    void cleanUp() throws IOException
    {
        for (final DaemonProcess daemon : started)
        {
            if (daemon.isAlive())
            {
                daemon.kill9();
            }
        }
        DaemonProcess.deleteRecursively(primaryAeronDir);
        DaemonProcess.deleteRecursively(standbyAeronDir);
    }

    @Test
    void aStandbyStartedWithRoleStandbyEndsWithThePrimarysJournal() throws IOException
    {
        final String primaryEndpoint = "localhost:" + freeUdpPort();
        final String standbyEndpoint = "localhost:" + freeUdpPort();
        final Path standbyConfig = writeConfig("standby", standbyAeronDir, primaryEndpoint, standbyEndpoint, Map.of());
        final Path primaryConfig = writeConfig("primary", primaryAeronDir, primaryEndpoint, standbyEndpoint, Map.of());
        final DaemonProcess standby = track(DaemonProcess.start(repoRoot, standbyConfig, "--role", "standby"));
        standby.awaitReady(START);
        final DaemonProcess primary = track(DaemonProcess.start(repoRoot, primaryConfig, "--role", "primary"));
        primary.awaitReady(START);

        try (RingmqClient client = RingmqClient.connect(new ClientContext()
            .aeronDirectoryName(primaryAeronDir.toString())
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .clientName("pair-test")))
        {
            final int[] acked = new int[1];
            client.consumer("orders", "billing", 1000, 0, (delivery) ->
            {
                delivery.ack();
                acked[0]++;
            });
            final Publisher publisher = client.publisher("orders");
            for (int i = 0; i < MESSAGES; i++)
            {
                assertEquals(i + 1, publisher.publishAndWait("m" + i));
                client.poll();
            }
            pollUntil(client, () -> acked[0] == MESSAGES, 30_000, "every message acked");
            client.publisher("sync").publishAndWait("after the acks");
        }

        primary.sigterm();
        assertEquals(0, primary.awaitExit(START), primary::output);
        standby.sigterm();
        assertEquals(0, standby.awaitExit(START), standby::output);
        assertTrue(standby.stdout().stream().anyMatch((line) -> line.contains("ringmq.replication.role") &&
            line.contains("STANDBY")), standby::output);

        final QueueStateMachine primaryState = replay(primaryConfig);
        final QueueStateMachine standbyState = replay(standbyConfig);
        assertTrue(primaryState.lastLogSequence() > 2 * MESSAGES, "publishes and acks journaled");
        assertEquals(primaryState.lastLogSequence(), standbyState.lastLogSequence());
        assertEquals(primaryState.describeState(), standbyState.describeState());
    }

    /**
     * The "start a standby late", with the primary's journal whole (the range deleted by retention, then sent
     * as a snapshot, is covered in-process by StandbyCatchUpTest: retention needs roll cycles, minutes of a real
     * clock): the standby process starts after the primary took thousands of commands, catches up, and follows live.
     */
    @Test
    void aStandbyStartedLateCatchesUpAndFollowsLive() throws IOException
    {
        final String primaryEndpoint = "localhost:" + freeUdpPort();
        final String standbyEndpoint = "localhost:" + freeUdpPort();
        final Map<String, String> continueAlone = Map.of(
            "ringmq.replication.standby.lost", "continue", "ringmq.replication.ack.timeout", "200ms");
        final Path standbyConfig =
            writeConfig("standby", standbyAeronDir, primaryEndpoint, standbyEndpoint, continueAlone);
        final Path primaryConfig =
            writeConfig("primary", primaryAeronDir, primaryEndpoint, standbyEndpoint, continueAlone);
        final DaemonProcess primary = track(DaemonProcess.start(repoRoot, primaryConfig, "--role", "primary"));
        primary.awaitReady(START);
        final DaemonProcess standby;
        try (RingmqClient client = RingmqClient.connect(new ClientContext()
            .aeronDirectoryName(primaryAeronDir.toString())
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .clientName("pair-test")))
        {
            client.consumer("orders", "billing", 1000, 0, (delivery) ->
            {
                if (delivery.sequence() % 3 != 0) // every third stays in flight: state worth comparing
                {
                    delivery.ack();
                }
            });
            final Publisher publisher = client.publisher("orders");
            for (int i = 0; i < LATE_MESSAGES; i++)
            {
                publisher.publish("before the standby " + i);
                client.poll();
            }
            publisher.publishAndWait("the last before the standby"); // one producer's receipts come in order

            standby = track(DaemonProcess.start(repoRoot, standbyConfig, "--role", "standby"));
            standby.awaitReady(START);
            try
            {
                pollUntil(client, () ->
                {
                    publisher.publishAndWait("until the standby is back in sync");
                    return primary.output().contains("back in sync"); // a warning: on stderr
                }, 60_000, "the standby caught up and back in sync");
            }
            catch (final AssertionError ex)
            {
                throw new AssertionError(ex.getMessage() + "\nprimary:\n" + primary.output() + "\nstandby:\n" +
                    standby.output(), ex);
            }
            for (int i = 0; i < 100; i++)
            {
                publisher.publishAndWait("live " + i);
            }
        }

        primary.sigterm();
        assertEquals(0, primary.awaitExit(START), primary::output);
        standby.sigterm();
        assertEquals(0, standby.awaitExit(START), standby::output);
        assertTrue(standby.output().contains("caught up to log sequence"), standby::output);

        final QueueStateMachine primaryState = replay(primaryConfig);
        final QueueStateMachine standbyState = replay(standbyConfig);
        assertTrue(primaryState.lastLogSequence() > LATE_MESSAGES, "publishes and acks journaled");
        assertEquals(primaryState.lastLogSequence(), standbyState.lastLogSequence());
        assertEquals(primaryState.describeState(), standbyState.describeState());
    }

    private DaemonProcess track(final DaemonProcess daemon)
    {
        started.add(daemon);
        return daemon;
    }

    private Path writeConfig(
        final String name,
        final Path aeronDir,
        final String primaryEndpoint,
        final String standbyEndpoint,
        final Map<String, String> extra)
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
        values.putAll(extra);
        final Path file = tempDir.resolve(name + ".properties");
        Files.write(file, values.entrySet().stream().map((e) -> e.getKey() + "=" + e.getValue()).toList());
        return file;
    }

    private static QueueStateMachine replay(final Path configFile)
    {
        final QueueStateMachine machine = new QueueStateMachine(OutputSink.NONE);
        TestDaemons.replayJournal(RingmqConfig.load(configFile, new Properties()), machine::apply);
        return machine;
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
