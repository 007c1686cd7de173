package io.ringmq.daemon.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15's last gaps, as a user runs {@code bin/ringmq}: a replier that does not create the queue it answers on
 * unless asked, a name the daemon would refuse is a usage error before any daemon is asked, {@code consume --from}
 * starts a new group at each place it names, and {@code publish} reads messages from stdin. Each test has its own
 * config (data under its temp directory, a unique Aeron directory); waits are on exits and output, with deadlines.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EverydayCliIT
{
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration COMMAND = Duration.ofSeconds(30);
    private static final Pattern PUBLISHED_AT = Pattern.compile("\"publishTimestampNs\":(\\d+)");

    @TempDir
    Path tempDir;

    @RegisterExtension
    final DaemonProcesses processes = new DaemonProcesses("ringmq-everyday-");

    private Path config;

    @Test
    void replyRefusesAnUnknownQueueUnlessAskedToCreateAndASignalClosesItsSession() throws IOException
    {
        startDaemon();
        final DaemonProcess typo = run("reply", "rcp", "--count", "1");
        assertExit(1, typo);
        assertTrue(typo.stderr().contains("ringmq: UNKNOWN_QUEUE: queue 'rcp' does not exist (reply --create " +
            "creates it)"), typo::output);
        assertExit(1, run("stats", "rcp")); // nothing was created

        final DaemonProcess replier = processes.command(config, "", "reply", "rpc", "--create");
        final DaemonProcess request = run("request", "rpc", "hello", "--timeout", "20s");
        assertExit(0, request);
        assertEquals(List.of("HELLO"), request.stdout(), request::output);
        replier.awaitStdout("1\thello"::equals, COMMAND);

        replier.sigterm();
        assertEquals(143, replier.awaitExit(COMMAND), replier::output);
        assertTrue(replier.stderr().contains("ringmq: stopped by SIGTERM after 1 requests"), replier::output);
        // A replier that only died would stay attached until its session timed out (~10 s), taking requests.
        final DaemonProcess stats = run("stats", "rpc");
        assertExit(0, stats);
        assertTrue(stats.stdout().get(0).contains(" consumers=0 "), stats::output);
    }

    @Test
    void anInvalidNameIsAUsageErrorBeforeAnyDaemonIsAsked() throws IOException
    {
        config = writeConfig(); // and no daemon: a check that needed one would say there is none
        final List<List<String>> invalid = List.of(
            List.of("publish", "bad name"),
            List.of("consume", "q", "--group", "g/1"),
            List.of("consume", "orders.*x"),
            List.of("declare", "group", "q", "g", "--dlq", "q dlq"),
            List.of("stats", "q", "b@d"),
            List.of("reply", "q", "--group", ""));
        for (final List<String> args : invalid)
        {
            final DaemonProcess refused = run(args.toArray(new String[0]));
            assertExit(2, refused);
            final String said = String.join("\n", refused.stderr());
            assertTrue(said.contains("is not a valid") && said.contains("see `ringmq " + args.get(0)) &&
                !said.contains("no ringmq daemon"), () -> args + "\n" + refused.output());
        }
        final DaemonProcess valid = run("publish", "good.name-1");
        assertExit(1, valid);
        assertTrue(String.join("\n", valid.stderr()).contains("no ringmq daemon is running"), valid::output);
    }

    @Test
    void consumeFromStartsANewGroupAtASequenceATimeOrPastTheNewest() throws IOException
    {
        startDaemon();
        assertExit(0, run("declare", "queue", "kept", "--retain-ms", "3600000", "--retain-bytes", "1000000"));
        for (int i = 1; i <= 3; i++)
        {
            assertExit(0, run("publish", "kept", "--payload", "m" + i, "--quiet")); // one process each: ms apart
        }
        final DaemonProcess all = run("consume", "kept", "--count", "3", "--json");
        assertExit(0, all);
        final long secondAtMs = TimeUnit.NANOSECONDS.toMillis(publishedAtNs(all.stdout().get(1)));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(publishedAtNs(all.stdout().get(0))) < secondAtMs, all::output);

        final DaemonProcess fromSeq = run("consume", "kept", "--group", "s", "--from", "seq:2", "--count", "2");
        assertExit(0, fromSeq);
        assertEquals(List.of("2\tm2", "3\tm3"), fromSeq.stdout(), fromSeq::output);

        final String at = "time:" + Instant.ofEpochMilli(secondAtMs);
        final DaemonProcess fromTime = run("consume", "kept", "--group", "t", "--from", at, "--count", "2");
        assertExit(0, fromTime);
        assertEquals(List.of("2\tm2", "3\tm3"), fromTime.stdout(), () -> at + "\n" + fromTime.output());

        final DaemonProcess fromNewest = run("consume", "kept", "--group", "n", "--from", "newest", "--timeout", "1s");
        assertExit(1, fromNewest); // nothing for it: it starts past the newest
        assertEquals(List.of(), fromNewest.stdout(), fromNewest::output);
        assertExit(0, run("publish", "kept", "--payload", "m4", "--quiet"));
        final DaemonProcess next = run("consume", "kept", "--group", "n", "--count", "1");
        assertExit(0, next);
        assertEquals(List.of("4\tm4"), next.stdout(), next::output);

        final DaemonProcess again = run("consume", "kept", "--group", "s", "--from", "oldest", "--count", "1");
        assertExit(0, again);
        assertEquals(List.of("4\tm4"), again.stdout(), "an existing group is not moved by --from");
        assertTrue(again.stderr().stream().anyMatch((line) -> line.contains("group 's' exists: --from does not " +
            "move it")), again::output);
    }

    @Test
    void publishTakesOneMessageALineFromStdinAndChroniclesChatterStaysOutOfTheDaemonsConsole() throws IOException
    {
        final DaemonProcess daemon = startDaemon();
        final DaemonProcess piped = processes.command(config, "one\ntwo words\n",
            "publish", "in", "--payload-file", "-", "--quiet");
        assertExit(0, piped);
        assertEquals(List.of(), piped.stdout(), piped::output);
        assertTrue(piped.stderr().stream().anyMatch((line) -> line.startsWith("ringmq: published 2 messages in ")),
            piped::output);

        final DaemonProcess drained = run("consume", "in", "--drain");
        assertExit(0, drained);
        assertEquals(List.of("1\tone", "2\ttwo words"), drained.stdout(), drained::output);

        // The daemon journaled, snapshotted at its stop and logged its own lines; Chronicle's INFO lines (its
        // version, its announcer, each file it rolls) are held back by the log level set for net.openhft.
        daemon.sigterm();
        assertEquals(0, daemon.awaitExit(COMMAND), daemon::output);
        assertTrue(daemon.stdout().contains("ringmq daemon stopped"), daemon::output);
        final List<String> chatter = Stream.concat(daemon.stdout().stream(), daemon.stderr().stream())
            .filter((line) -> line.toLowerCase(Locale.ROOT).matches(".*(chronicle|openhft).*")).toList();
        assertEquals(List.of(), chatter, daemon::output);
    }

    private static long publishedAtNs(final String jsonLine)
    {
        final Matcher matcher = PUBLISHED_AT.matcher(jsonLine);
        assertTrue(matcher.find(), jsonLine);
        return Long.parseLong(matcher.group(1));
    }

    private DaemonProcess startDaemon() throws IOException
    {
        config = writeConfig();
        final DaemonProcess daemon = processes.daemon(config);
        daemon.awaitReady(START);
        return daemon;
    }

    /** Runs {@code bin/ringmq ARGS --config CONFIG} to its end. */
    private DaemonProcess run(final String... args)
    {
        final DaemonProcess command = processes.command(config, "", args);
        command.awaitExit(COMMAND);
        return command;
    }

    private static void assertExit(final int expected, final DaemonProcess command)
    {
        assertEquals(expected, command.awaitExit(COMMAND), command::output);
        assertFalse(command.printedStackTrace(), command::output);
    }

    private Path writeConfig() throws IOException
    {
        return processes.writeConfig(tempDir.resolve("ringmq.properties"), tempDir.resolve("data"),
            Map.of("ringmq.client.connect.timeout", "2s"));
    }
}
