package io.ringmq.daemon.it;

import io.ringmq.client.ClientContext;
import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Automatic failover as a user runs it: {@code bin/ringmq witness} and a pair of {@code bin/ringmq daemon} processes
 * on loopback with the default lease, drift, heartbeats and ack timeout (standby.lost=continue, so the promoted
 * node receipts without waiting for its lost standby). kill -9 of the primary: the standby takes over by itself, and the time from
 * the kill to the first receipt from the new primary (a client connecting afresh, as one that follows does) is
 * printed and bounded.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class AutomaticFailoverIT
{
    private static final Duration START = Duration.ofSeconds(60);
    /** The target is 1 s on loopback; a loaded shared test machine gets slack. */
    private static final long FAILOVER_BOUND_MS = 3_000;
    private static final int RECEIPTED = 100;

    @TempDir
    Path tempDir;

    private final Path repoRoot = DaemonProcess.findRepoRoot();
    private final Path witnessAeronDir = DaemonProcess.uniqueAeronDir("ringmq-witness-");
    private final Path primaryAeronDir = DaemonProcess.uniqueAeronDir("ringmq-pair-primary-");
    private final Path standbyAeronDir = DaemonProcess.uniqueAeronDir("ringmq-pair-standby-");
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
        DaemonProcess.deleteRecursively(witnessAeronDir);
        DaemonProcess.deleteRecursively(primaryAeronDir);
        DaemonProcess.deleteRecursively(standbyAeronDir);
    }

    @Test
    void killNineOfThePrimaryThenTheStandbyReceiptsWithinTheBound() throws IOException
    {
        final Map<String, String> pair = new LinkedHashMap<>();
        pair.put("ringmq.replication.primary.endpoint", "localhost:" + TestDaemons.freeUdpPorts(1));
        pair.put("ringmq.replication.standby.endpoint", "localhost:" + TestDaemons.freeUdpPorts(1));
        pair.put("ringmq.replication.witness.endpoint", "localhost:" + TestDaemons.freeUdpPorts(5));
        pair.put("ringmq.replication.standby.lost", "continue");

        final DaemonProcess witness =
            track(DaemonProcess.command(repoRoot, writeConfig("witness", witnessAeronDir, pair), "witness"));
        witness.awaitStdout((line) -> line.contains("ringmq witness running"), START);
        final Path standbyConfig = writeConfig("standby", standbyAeronDir, pair);
        final DaemonProcess standby = track(DaemonProcess.start(repoRoot, standbyConfig, "--role", "standby"));
        standby.awaitReady(START);
        final Path primaryConfig = writeConfig("primary", primaryAeronDir, pair);
        final DaemonProcess primary = track(DaemonProcess.start(repoRoot, primaryConfig, "--role", "primary"));
        primary.awaitReady(START);

        try (RingmqClient client = connect(primaryAeronDir))
        {
            final Publisher publisher = client.publisher("orders");
            for (int i = 1; i <= RECEIPTED; i++)
            {
                assertEquals(i, publisher.publishAndWait("m" + i));
            }
        }
        // The standby may take over only once the primary has named it in sync at the witness (every renewal does).
        awaitStatus(primaryConfig, "\"witnessReachable\":true", "\"inSync\":true");
        awaitStatus(standbyConfig, "\"witnessReachable\":true", "\"inSync\":true");

        final long killedNs = System.nanoTime();
        primary.kill9();
        final long deadlineNs = killedNs + START.toNanos();
        long sequence = 0;
        while (0 == sequence)
        {
            try (RingmqClient client = connect(standbyAeronDir))
            {
                sequence = client.publisher("orders").publishAndWait("after the failover");
            }
            catch (final RingmqException ex) // NOT_PRIMARY while it is still the standby
            {
                assertTrue(System.nanoTime() < deadlineNs, "no failover: " + ex.getMessage() + "\n" + standby.output());
            }
        }
        final long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNs);
        System.out.println("kill -9 of the primary -> first receipt from the new primary: " + failoverMs + " ms");
        assertEquals(RECEIPTED + 1, sequence, "the new primary had every receipted message");
        assertTrue(standby.output().contains("automatic failover: the witness granted epoch 2"), standby::output);
        assertTrue(failoverMs < FAILOVER_BOUND_MS, "failover took " + failoverMs + " ms");

        standby.sigterm();
        assertEquals(0, standby.awaitExit(START), standby::output);
        witness.sigterm();
        assertEquals(0, witness.awaitExit(START), witness::output);
    }

    /** Asks {@code bin/ringmq status --json} until its line holds every one of {@code fields}. */
    private void awaitStatus(final Path config, final String... fields)
    {
        final long deadlineNs = System.nanoTime() + START.toNanos();
        while (true)
        {
            final DaemonProcess status = DaemonProcess.command(repoRoot, config, "status", "--json");
            assertEquals(0, status.awaitExit(START), status::output);
            final String line = status.stdout().get(0);
            if (Arrays.stream(fields).allMatch(line::contains))
            {
                return;
            }
            assertTrue(System.nanoTime() < deadlineNs, "status never showed " + Arrays.toString(fields) + ": " + line);
        }
    }

    private static RingmqClient connect(final Path aeronDir)
    {
        return RingmqClient.connect(new ClientContext()
            .aeronDirectoryName(aeronDir.toString())
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .clientName("failover-test"));
    }

    private DaemonProcess track(final DaemonProcess process)
    {
        started.add(process);
        return process;
    }

    private Path writeConfig(final String name, final Path aeronDir, final Map<String, String> pair)
        throws IOException
    {
        final Map<String, String> values = new LinkedHashMap<>();
        values.put("ringmq.data.dir", tempDir.resolve(name).toString());
        values.put("ringmq.aeron.dir", aeronDir.toString());
        values.put("ringmq.aeron.ipc.term.length", "1m");
        values.put("ringmq.max.message.bytes", "64k");
        values.put("ringmq.ring.size", "1024");
        values.putAll(pair);
        final Path file = tempDir.resolve(name + ".properties");
        Files.write(file, values.entrySet().stream().map((e) -> e.getKey() + "=" + e.getValue()).toList());
        return file;
    }
}
