package io.ringmq.daemon.it;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.ringmq.client.ClientContext;
import org.agrona.CloseHelper;
import io.ringmq.client.RingmqClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
 * Starting {@code bin/ringmq daemon} where something stands in the way, as a supervisor or an operator meets it (issue
 * 18, items 6 and 7). A daemon killed with {@code kill -9} and started again at once in the same Aeron directory takes
 * it over and recovers; a second daemon on a live one's Aeron directory is refused with exit code 1 and one sentence,
 * and the first goes on; a channel Aeron refuses is a configuration error (exit code 2) naming the key, before any
 * directory is made; an Aeron directory with no room for the driver's files stops the start with exit code 1 and one
 * sentence.
 * <p>
 * Each test has its own data and Aeron directories and stops only the daemons it started; waits are on output lines
 * and exits, each with a deadline.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DaemonStartIT
{
    private static final Duration START = Duration.ofSeconds(60);
    private static final String REFUSED = "ringmq: a ringmq daemon (or another Aeron media driver) is already running" +
        " with ringmq.aeron.dir=";

    @TempDir
    Path tempDir;

    private final Path repoRoot = DaemonProcess.findRepoRoot();
    private final Path aeronDir = DaemonProcess.uniqueAeronDir("ringmq-start-");
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
        DaemonProcess.deleteRecursively(aeronDir);
    }

    /** Issue 18, item 6: as a supervisor restarting at once (systemd's default is 100 ms) does it. */
    @Test
    void aDaemonKilledAndStartedAgainAtOnceTakesOverItsAeronDirectoryAndRecovers() throws IOException
    {
        final Path config = writeConfig("daemon", Map.of());
        final DaemonProcess killed = start(config);
        killed.awaitReady(START);
        try (RingmqClient client = connect())
        {
            for (int i = 1; i <= 5; i++)
            {
                client.publisher("k").publishAndWait("before-kill-" + i);
            }
        }
        killed.kill9(); // returns once the process is gone: its driver's last heartbeat is a few ms old

        final DaemonProcess restarted = start(config);
        restarted.awaitReady(START);
        assertTrue(restarted.stderr().stream().anyMatch((line) -> line.contains("taking over ringmq.aeron.dir=" +
            aeronDir + " from a media driver that is no longer running: its process (pid " + killed.pid() +
            ") is gone")), restarted::output);
        final List<String> held = new ArrayList<>();
        try (RingmqClient client = connect())
        {
            client.browse("k", "", 0, (message) -> held.add(message.payloadAsString()));
        }
        assertEquals(List.of("before-kill-1", "before-kill-2", "before-kill-3", "before-kill-4", "before-kill-5"), held,
            restarted::output);
        restarted.sigterm();
        assertEquals(0, restarted.awaitExit(START), restarted::output);
    }

    @Test
    void aSecondDaemonOnALiveDaemonsAeronDirectoryIsRefusedAndTheFirstGoesOn() throws IOException
    {
        final DaemonProcess first = start(writeConfig("first", Map.of()));
        first.awaitReady(START);

        final Path secondData = tempDir.resolve("second-data");
        final DaemonProcess second = start(writeConfig("second", Map.of("ringmq.data.dir", secondData.toString())));
        assertEquals(1, second.awaitExit(START), second::output);
        assertTrue(second.stderr().contains(REFUSED + aeronDir + ": its process (pid " + first.pid() + ") is " +
            "running; stop it, or give this daemon its own ringmq.aeron.dir"), second::output);
        assertFalse(second.printedStackTrace(), second::output);
        assertFalse(Files.exists(secondData), "the refused daemon made no data directory");

        try (RingmqClient client = connect())
        {
            assertEquals(1, client.publisher("q").publishAndWait("still here"), "the first daemon still serves");
        }
        first.sigterm();
        assertEquals(0, first.awaitExit(START), first::output);
    }

    /** Issue 18, item 7: a bad channel was a media driver stack trace once the journal existed. */
    @Test
    void aChannelAeronRefusesIsAConfigurationErrorNamingTheKeyBeforeAnyDirectoryIsMade() throws IOException
    {
        final DaemonProcess daemon = start(writeConfig("bad-channel", Map.of("ringmq.ingress.channel", "aeron:ipcx")));
        assertEquals(2, daemon.awaitExit(START), daemon::output);
        assertTrue(daemon.stderr().contains("ringmq: invalid configuration:") && daemon.stderr().stream().anyMatch(
            (line) -> line.startsWith("ringmq.ingress.channel=aeron:ipcx is invalid: must be a channel Aeron " +
            "accepts, but Aeron says: unknown media: ipcx")), daemon::output);
        assertFalse(daemon.printedStackTrace(), daemon::output);
        assertFalse(Files.exists(tempDir.resolve("data")), "no data directory");
        assertFalse(Files.exists(aeronDir), "no Aeron directory");
    }

    /** Issue 18, item 7: a full Aeron directory was exit code 2 and a stack trace. */
    @Test
    void anAeronDirectoryWithNoRoomForTheDriverStopsTheStartWithOneSentence() throws IOException
    {
        final DaemonProcess daemon =
            track(DaemonProcess.startWithFileSizeLimit(repoRoot, writeConfig("no-room", Map.of()), 1024));
        assertEquals(1, daemon.awaitExit(START), daemon::output);
        assertTrue(daemon.stderr().contains("ringmq: the embedded Aeron media driver cannot start in " +
            "ringmq.aeron.dir=" + aeronDir + ": java.io.IOException: File too large"), daemon::output);
        assertFalse(daemon.printedStackTrace(), daemon::output);
        assertFalse(Files.exists(tempDir.resolve("data")), "no data directory");
    }

    /**
     * Issue 14: the daemon's Aeron client used Aeron's default error handler, whose answer to a driver that stops
     * answering is System.exit(-1) from the client's thread: exit code 255, no drain, no word in the daemon's log. A
     * driver of the test's own (ringmq.aeron.embedded=false) is closed under a running daemon.
     */
    @Test
    void aDaemonWhoseMediaDriverStopsAnsweringStopsByItsOwnFailStopAndExits1() throws IOException
    {
        final MediaDriver driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(aeronDir.toString())
            .threadingMode(ThreadingMode.SHARED)
            .ipcTermBufferLength(1024 * 1024)
            .timerIntervalNs(TimeUnit.MILLISECONDS.toNanos(100)) // its keepalive stamp: 1 s old at most by default
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        try
        {
            final DaemonProcess daemon = track(DaemonProcess.startWithJavaOpts(repoRoot,
                writeConfig("external-driver", Map.of("ringmq.aeron.embedded", "false")),
                "-Xms64m -Xmx512m -Daeron.driver.timeout=2000"));
            daemon.awaitReady(START);
            driver.close();

            assertEquals(1, daemon.awaitExit(START), daemon::output);
            assertTrue(daemon.stdout().stream().anyMatch((line) -> line.startsWith("ringmq daemon stopping after a " +
                "fatal error: the daemon's Aeron client: the media driver in " + aeronDir + " stopped answering")),
                daemon::output);
        }
        finally
        {
            CloseHelper.quietClose(driver); // closed once already unless the test failed before
        }
    }

    private DaemonProcess start(final Path config)
    {
        return track(DaemonProcess.start(repoRoot, config));
    }

    private DaemonProcess track(final DaemonProcess daemon)
    {
        started.add(daemon);
        return daemon;
    }

    private RingmqClient connect()
    {
        return RingmqClient.connect(new ClientContext()
            .aeronDirectoryName(aeronDir.toString())
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .clientName("daemon-start-test"));
    }

    /** Every daemon of a test shares its Aeron directory; the data directory is the test's unless overridden. */
    private Path writeConfig(final String name, final Map<String, String> overrides) throws IOException
    {
        final Map<String, String> values = new LinkedHashMap<>();
        values.put("ringmq.data.dir", tempDir.resolve("data").toString());
        values.put("ringmq.aeron.dir", aeronDir.toString());
        values.put("ringmq.aeron.ipc.term.length", "1m");
        values.put("ringmq.max.message.bytes", "64k");
        values.put("ringmq.ring.size", "1024");
        values.putAll(overrides);
        final Path file = tempDir.resolve(name + ".properties");
        Files.write(file, values.entrySet().stream().map((e) -> e.getKey() + "=" + e.getValue()).toList());
        return file;
    }
}
