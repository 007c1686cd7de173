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
import io.ringmq.daemon.Daemon;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    /**
     * Publishes the primary takes before the late standby starts: {@code -Dringmq.pair.late.messages=N} (CI 20,000;
     * {@code -Psoak} 1,000,000, the figure).
     */
    private static final int LATE_MESSAGES = Integer.getInteger("ringmq.pair.late.messages", 20_000);
    /** Publishes after retention deleted the first files: what the standby catches up from the journal. */
    private static final int AFTER_THE_SNAPSHOT = LATE_MESSAGES / 4;
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
     * The "start a standby late": a primary whose retention has deleted its oldest journal files (a roll cycle
     * a second, a snapshot every half of the commands, one kept) took {@link #LATE_MESSAGES} publishes and their acks
     * before the standby process starts; the standby catches up from the primary's snapshot and the journal after it,
     * follows live, and both nodes' {@code status} report the same digest at the same log sequence.
     */
    @Test
    @Timeout(value = 1_200, unit = TimeUnit.SECONDS) // the soak's 1,000,000; CI's 20,000 take well under a minute
    void aStandbyStartedLateCatchesUpFromSnapshotAndJournalAndFollowsLive() throws IOException
    {
        final String primaryEndpoint = "localhost:" + freeUdpPort();
        final String standbyEndpoint = "localhost:" + freeUdpPort();
        final Map<String, String> continueAlone = Map.of(
            "ringmq.replication.standby.lost", "continue", "ringmq.replication.ack.timeout", "200ms");
        final Map<String, String> retention = new LinkedHashMap<>(continueAlone);
        retention.put("ringmq.journal.roll.cycle", "TEST_SECONDLY");
        retention.put("ringmq.snapshot.every.commands", String.valueOf(Math.max(1_000, LATE_MESSAGES / 2)));
        retention.put("ringmq.snapshot.interval", "0");
        retention.put("ringmq.snapshot.keep", "1");
        final Path standbyConfig =
            writeConfig("standby", standbyAeronDir, primaryEndpoint, standbyEndpoint, continueAlone);
        final Path primaryConfig =
            writeConfig("primary", primaryAeronDir, primaryEndpoint, standbyEndpoint, retention);
        final DaemonProcess primary = track(DaemonProcess.start(repoRoot, primaryConfig, "--role", "primary"));
        primary.awaitReady(START);
        final DaemonProcess standby;
        final long startNs = System.nanoTime();
        try (RingmqClient client = connect(primaryAeronDir))
        {
            client.consumer("orders", "billing", 1000, 0, (delivery) ->
            {
                // A few of the last stay in flight: state worth comparing, and no payload that holds the oldest files.
                if (delivery.sequence() <= LATE_MESSAGES - 300 || delivery.sequence() > LATE_MESSAGES ||
                    delivery.sequence() % 3 != 0)
                {
                    delivery.ack();
                }
            });
            final Publisher publisher = client.publisher("orders");
            publisher.publishAndWait("before the standby 0");
            final Path firstJournalFile = oldestJournalFile(primaryConfig);
            for (int i = 1; i < LATE_MESSAGES; i++)
            {
                if (i % 5_000 == 0)
                {
                    publisher.publishAndWait("before the standby " + i); // bounds what waits for a receipt
                }
                else
                {
                    publisher.publish("before the standby " + i);
                }
                client.poll();
            }
            publisher.publishAndWait("the last before the retention check"); // one producer's receipts come in order
            final long publishedNs = System.nanoTime();
            pollUntil(client, () ->
            {
                if (Files.exists(firstJournalFile))
                {
                    for (int i = 0; i < 500; i++) // commands for the next snapshot; batch ends for retention
                    {
                        publisher.publish("until retention deleted the first journal file");
                    }
                    publisher.publishAndWait("until retention deleted the first journal file");
                    return false;
                }
                return true;
            }, 60_000, "the primary's retention deleting " + firstJournalFile);
            System.out.printf("late start: the primary took %,d publishes in %,d ms; retention deleted %s%n",
                LATE_MESSAGES, TimeUnit.NANOSECONDS.toMillis(publishedNs - startNs), firstJournalFile.getFileName());
            for (int i = 0; i < AFTER_THE_SNAPSHOT; i++) // a quarter more: the journal after the newest snapshot
            {
                publisher.publish("after the snapshot " + i);
                client.poll();
            }
            publisher.publishAndWait("the last before the standby");

            final long standbyStartNs = System.nanoTime();
            standby = track(DaemonProcess.start(repoRoot, standbyConfig, "--role", "standby"));
            standby.awaitReady(START);
            try
            {
                pollUntil(client, () ->
                {
                    publisher.publishAndWait("until the standby is back in sync");
                    return primary.output().contains("back in sync"); // a warning: on stderr
                }, 60_000 + LATE_MESSAGES / 10, "the standby caught up and back in sync"); // 10k commands/s at least
            }
            catch (final AssertionError ex)
            {
                throw new AssertionError(ex.getMessage() + "\nprimary:\n" + primary.output() + "\nstandby:\n" +
                    standby.output(), ex);
            }
            System.out.printf("late start: the standby was in sync %,d ms after its launch; %s%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - standbyStartNs),
                standby.output().lines().filter((line) -> line.contains("caught up to log sequence") ||
                    line.contains("recovered")).toList());
            System.out.println(primary.output().lines().filter((line) -> line.contains("catch-up")).toList());
            for (int i = 0; i < 100; i++)
            {
                publisher.publishAndWait("live " + i);
            }
        }
        // Fetched before it recovers, or, a snapshot too large to come within that wait, loaded while running.
        assertTrue(standby.output().contains("recovered snapshot snapshot-"), standby::output);
        final Matcher caughtUp = Pattern.compile("caught up to log sequence \\d+ \\((\\d+) commands from the " +
            "primary's journal").matcher(standby.output());
        assertTrue(caughtUp.find(), standby::output);
        assertTrue(Long.parseLong(caughtUp.group(1)) >= AFTER_THE_SNAPSHOT, "the journal after the snapshot: " +
            caughtUp.group());

        final List<Map<String, String>> statuses = sameLogSequence(primaryConfig, standbyConfig);
        assertTrue(Long.parseLong(statuses.get(0).get("logSequence")) > LATE_MESSAGES, statuses::toString);
        assertEquals(statuses.get(0).get("digest"), statuses.get(1).get("digest"), "the same state: " + statuses);

        primary.sigterm();
        assertEquals(0, primary.awaitExit(START), primary::output);
        standby.sigterm();
        assertEquals(0, standby.awaitExit(START), standby::output);
    }

    /**
     * The primary's status and the standby's, once the two reported the same log sequence one after the other (the
     * client is gone: what it had in flight went back to its queue, and little else comes).
     */
    private List<Map<String, String>> sameLogSequence(final Path primaryConfig, final Path standbyConfig)
        throws IOException
    {
        final long deadlineNs = System.nanoTime() + START.toNanos();
        while (true)
        {
            final Map<String, String> primaryStatus = status(primaryConfig);
            final Map<String, String> standbyStatus = status(standbyConfig);
            if (primaryStatus.get("logSequence").equals(standbyStatus.get("logSequence")))
            {
                return List.of(primaryStatus, standbyStatus);
            }
            assertTrue(System.nanoTime() < deadlineNs, "the nodes never reported the same log sequence");
        }
    }

    /** The oldest roll-cycle file of the node's journal: where its first commands are. */
    private static Path oldestJournalFile(final Path config) throws IOException
    {
        final Path journal = Daemon.journalDirectory(RingmqConfig.load(config, new Properties()));
        try (var files = Files.list(journal))
        {
            return files.filter((file) -> file.getFileName().toString().endsWith(".cq4")).sorted().findFirst()
                .orElseThrow(() -> new AssertionError("no roll-cycle file in " + journal));
        }
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
        // The primary keeps journaling after the last receipt (the client's disconnect, its transport's close, ticks),
        // so a standby status may be read between receiving a command and applying it: inSync false, lagCommands 1,
        // as documented. Wait for both nodes at one log sequence with nothing left to apply on the standby.
        do
        {
            assertTrue(System.nanoTime() < deadlineNs, "the nodes never reported the same log sequence in sync");
            primaryStatus = status(primaryConfig);
            standbyStatus = status(standbyConfig);
        }
        while (!primaryStatus.get("logSequence").equals(standbyStatus.get("logSequence")) ||
            !"true".equals(standbyStatus.get("inSync")) || !"0".equals(standbyStatus.get("lagCommands")));
        assertEquals("primary", primaryStatus.get("role"));
        assertEquals("standby", standbyStatus.get("role"));
        assertEquals("1", primaryStatus.get("epoch"));
        assertEquals("1", standbyStatus.get("epoch"));
        assertEquals(primaryStatus.get("digest"), standbyStatus.get("digest"), "the same state: " + standbyStatus);
        assertEquals(16, standbyStatus.get("digest").length());

        primary.kill9();
        // A killed primary's stream stays connected until Aeron's image liveness timeout (10 s), but its heartbeats
        // stop at once: once the standby says so (peerAlive=false), promote must take it, not answer "still connected".
        while ("true".equals(status(standbyConfig).get("peerAlive")))
        {
            assertTrue(System.nanoTime() < deadlineNs + START.toNanos(), "the standby never heard the primary go");
        }
        final DaemonProcess promote = DaemonProcess.command(repoRoot, standbyConfig, "promote", "--json");
        assertEquals(0, promote.awaitExit(START), promote::output);
        final Map<String, String> promoted = json(promote.stdout().get(0));
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
