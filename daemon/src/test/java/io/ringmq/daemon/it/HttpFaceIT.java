package io.ringmq.daemon.it;

import io.ringmq.daemon.testing.HttpJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/ringmq http} as a user runs it, beside {@code bin/ringmq daemon}: it says where it listens, serves, gives
 * back on SIGTERM what it had received and nobody deleted, and exits 1 once it has lost its daemon for longer than the
 * reconnect timeout.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HttpFaceIT
{
    private static final Duration START = Duration.ofSeconds(60);
    private static final Pattern LISTENING = Pattern.compile("ringmq http face listening on http://127\\.0\\.0\\.1:(\\d+) .*");

    @TempDir
    Path tempDir;

    @RegisterExtension
    final DaemonProcesses processes = new DaemonProcesses("ringmq-http-");

    @Test
    void servesAndGivesBackWhatItHeldWhenStoppedAndLeavesWhenItsDaemonIsGone() throws IOException
    {
        final Path config = processes.writeConfig(tempDir.resolve("ringmq.properties"), tempDir.resolve("data"),
            Map.of("ringmq.client.connect.timeout", "2s", "ringmq.client.reconnect.timeout", "1s"));
        final DaemonProcess daemon = processes.daemon(config);
        daemon.awaitReady(START);

        DaemonProcess face = processes.command(config, "", "http", "--endpoint", "127.0.0.1:0");
        HttpJson http = new HttpJson(port(face));
        assertEquals(200, http.send("GET", "/health", null).status());
        assertEquals(201, http.send("PUT", "/queues/orders", null).status());
        assertEquals(1L, http.send("POST", "/queues/orders/messages", "{\"body\":\"o-1\"}").json().get("seq"));
        final List<Map<String, Object>> received = http.send("POST", "/queues/orders/messages/receive",
            "{\"group\":\"billing\",\"waitMs\":10000}").list("messages");
        assertEquals("o-1", received.get(0).get("body"));

        face.sigterm();
        assertEquals(0, face.awaitExit(START), face::output);
        assertTrue(face.stdout().contains("ringmq http face stopped"), face::output);
        assertFalse(face.printedStackTrace(), face::output);

        // The face that held the delivery is gone: the message is the group's again, as its next attempt.
        face = processes.command(config, "", "http", "--endpoint", "127.0.0.1:0");
        http = new HttpJson(port(face));
        final Map<String, Object> again = http.send("POST", "/queues/orders/messages/receive",
            "{\"group\":\"billing\",\"waitMs\":10000}").list("messages").get(0);
        assertEquals("o-1", again.get("body"));
        assertEquals(2L, again.get("attempt"));

        daemon.kill9();
        assertEquals(1, face.awaitExit(START), face::output);
        assertTrue(face.stderr().contains("ringmq http: stopped: it lost its daemon"), face::output);
        assertFalse(face.printedStackTrace(), face::output);
        final DaemonProcess gone = face;
        assertTrue(gone.stderr().size() <= 4, () -> "lost, gave up, stopped: each said once\n" + gone.output());
    }

    private static int port(final DaemonProcess face)
    {
        face.awaitStdout((line) -> LISTENING.matcher(line).matches(), START);
        for (final String line : face.stdout())
        {
            final Matcher matcher = LISTENING.matcher(line);
            if (matcher.matches())
            {
                return Integer.parseInt(matcher.group(1));
            }
        }
        throw new AssertionError("no listening line: " + face.output());
    }
}
