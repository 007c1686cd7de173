package io.ringmq.daemon.it;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.util.stream.LongStream;

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
    private static final int LATE_MESSAGES = 20_000;
    private static final int MESSAGES = 1_000;

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
        final Path standbyConfig = writeConfig("standby", standbyAeronDir, primaryEndpoint, standbyEndpoint);
        final Path primaryConfig = writeConfig("primary", primaryAeronDir, primaryEndpoint, standbyEndpoint);
        final DaemonProcess standby = track(DaemonProcess.start(repoRoot, standbyConfig, "--role", "standby"));
        standby.awaitReady(START);
        final DaemonProcess primary = track(DaemonProcess.start(repoRoot, primaryConfig, "--role", "primary"));
        primary.awaitReady(START);

        try (RingmqClient client = connect(primaryAeronDir))
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

    /**
     * {@code bin/ringmq status --json} on both nodes (equal digests at the same log sequence), then, after kill -9 of
     * the primary, {@code bin/ringmq promote} on the standby: it is the primary of epoch 2, with every receipted
     * message, and receipts new publishes.
     */
    @Test
    void statusOnBothNodesThenPromoteAfterThePrimaryIsKilled() throws IOException
    {
        final String primaryEndpoint = "localhost:" + freeUdpPort();
        final String standbyEndpoint = "localhost:" + freeUdpPort();
        final Map<String, String> continueAlone =
            Map.of("ringmq.replication.standby.lost", "continue", "ringmq.replication.ack.timeout", "200ms");
        final Path standbyConfig =
            writeConfig("standby", standbyAeronDir, primaryEndpoint, standbyEndpoint, continueAlone);
        final Path primaryConfig =
            writeConfig("primary", primaryAeronDir, primaryEndpoint, standbyEndpoint, continueAlone);
        final DaemonProcess standby = track(DaemonProcess.start(repoRoot, standbyConfig, "--role", "standby"));
        standby.awaitReady(START);
        final DaemonProcess primary = track(DaemonProcess.start(repoRoot, primaryConfig, "--role", "primary"));
        primary.awaitReady(START);

        final int receipted = 100;
        try (RingmqClient client = connect(primaryAeronDir))
        {
            final Publisher publisher = client.publisher("orders");
            for (int i = 1; i <= receipted; i++)
            {
                assertEquals(i, publisher.publishAndWait("m" + i));
            }
        }
        final long deadlineNs = System.nanoTime() + START.toNanos();
        Map<String, String> primaryStatus;
        Map<String, String> standbyStatus;
        do
        {
            assertTrue(System.nanoTime() < deadlineNs, "the nodes never reported the same log sequence");
            primaryStatus = status(primaryConfig);
            standbyStatus = status(standbyConfig);
        }
        while (!primaryStatus.get("logSequence").equals(standbyStatus.get("logSequence")));
        assertEquals("primary", primaryStatus.get("role"));
        assertEquals("standby", standbyStatus.get("role"));
        assertEquals("1", primaryStatus.get("epoch"));
        assertEquals("1", standbyStatus.get("epoch"));
        assertEquals("true", standbyStatus.get("inSync"), standbyStatus::toString);
        assertEquals("0", standbyStatus.get("lagCommands"));
        assertEquals(primaryStatus.get("digest"), standbyStatus.get("digest"), "the same state: " + standbyStatus);
        assertEquals(16, standbyStatus.get("digest").length());

        primary.kill9();
        Map<String, String> promoted = null;
        while (null == promoted)
        {
            final DaemonProcess promote = DaemonProcess.command(repoRoot, standbyConfig, "promote", "--json");
            final int exit = promote.awaitExit(START);
            if (0 == exit)
            {
                promoted = json(promote.stdout().get(0));
            }
            else
            {
                // A killed primary's stream stays connected until Aeron's liveness timeout: promote says so.
                assertTrue(promote.output().contains("still connected"), promote::output);
                assertTrue(System.nanoTime() < deadlineNs + START.toNanos(), promote::output);
            }
        }
        assertEquals("primary", promoted.get("role"));
        assertEquals("2", promoted.get("epoch"));
        assertEquals("primary", status(standbyConfig).get("role"));

        try (RingmqClient client = connect(standbyAeronDir))
        {
            final List<Long> sequences = new ArrayList<>();
            client.consumer("orders", "billing", 1000, 0, (delivery) ->
            {
                sequences.add(delivery.sequence());
                delivery.ack();
            });
            pollUntil(client, () -> sequences.size() == receipted, 30_000, "every receipted message");
            assertEquals(LongStream.rangeClosed(1, receipted).boxed().toList(), sequences);
            assertEquals(receipted + 1, client.publisher("orders").publishAndWait("after the failover"));
        }
        standby.sigterm();
        assertEquals(0, standby.awaitExit(START), standby::output);
    }

    private static RingmqClient connect(final Path aeronDir)
    {
        return RingmqClient.connect(new ClientContext()
            .aeronDirectoryName(aeronDir.toString())
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .clientName("pair-test"));
    }

    /** {@code bin/ringmq status --json}, its fields as text. */
    private Map<String, String> status(final Path config) throws IOException
    {
        final DaemonProcess status = DaemonProcess.command(repoRoot, config, "status", "--json");
        assertEquals(0, status.awaitExit(START), status::output);
        return json(status.stdout().get(0));
    }

    private static Map<String, String> json(final String line) throws IOException
    {
        final Map<String, String> fields = new LinkedHashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(line))
        {
            assertEquals(JsonToken.START_OBJECT, parser.nextToken(), line);
            while (JsonToken.FIELD_NAME == parser.nextToken())
            {
                final String name = parser.currentName();
                parser.nextToken();
                fields.put(name, parser.getText());
            }
        }
        for (final String contract : List.of("role", "epoch", "logSequence", "lagCommands", "inSync", "digest"))
        {
            assertTrue(fields.containsKey(contract), "no " + contract + " in " + line);
        }
        return fields;
    }

    private DaemonProcess track(final DaemonProcess daemon)
    {
        started.add(daemon);
        return daemon;
    }

    private Path writeConfig(
        final String name, final Path aeronDir, final String primaryEndpoint, final String standbyEndpoint)
        throws IOException
    {
        return writeConfig(name, aeronDir, primaryEndpoint, standbyEndpoint, Map.of());
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
