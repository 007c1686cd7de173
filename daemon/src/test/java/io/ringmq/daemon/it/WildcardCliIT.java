package io.ringmq.daemon.it;

import io.ringmq.client.ClientContext;
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
 * {@code bin/ringmq consume 'orders.*'} as a process (issue 16's contract: {@code consume QUEUE-OR-PATTERN}): it
 * prints the messages of every matching queue, one that exists and one created while it runs, each line naming its
 * queue ({@code <queue><TAB><seq><TAB><payload>}; {@code --json} has {@code queue}), acks them, and leaves the queues
 * it does not match alone. Waits are on output lines and exits, each with a deadline.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WildcardCliIT
{
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path tempDir;

    private final Path repoRoot = DaemonProcess.findRepoRoot();
    private final Path aeronDir = DaemonProcess.uniqueAeronDir("ringmq-wildcard-");
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
        DaemonProcess.deleteRecursively(aeronDir);
    }

    @Test
    void consumeAPatternPrintsEveryMatchingQueuesMessagesNamingTheQueue() throws IOException
    {
        final Path config = writeConfig();
        track(DaemonProcess.start(repoRoot, config)).awaitReady(START);
        try (RingmqClient client = connect())
        {
            client.publisher("orders.eu").publishAndWait("before");
            client.publisher("billing.eu").publishAndWait("not matched");

            final DaemonProcess consume = track(DaemonProcess.command(repoRoot, config, "consume", "orders.*",
                "--group", "audit", "--count", "2"));
            consume.awaitStdout((line) -> line.equals("orders.eu\t1\tbefore"), START);
            client.publisher("orders.us").publishAndWait("created later");
            assertEquals(0, consume.awaitExit(START), consume::output);
            assertEquals(List.of("orders.eu\t1\tbefore", "orders.us\t1\tcreated later"), consume.stdout());
            assertFalse(consume.printedStackTrace(), consume::output);

            final DaemonProcess json = track(DaemonProcess.command(repoRoot, config, "consume", "orders.>",
                "--group", "audit", "--json", "--count", "1"));
            client.publisher("orders.us.late").publishAndWait("deeper");
            assertEquals(0, json.awaitExit(START), json::output);
            assertEquals(1, json.stdout().size(), json::output);
            final String line = json.stdout().get(0);
            assertTrue(line.contains("\"queue\":\"orders.us.late\"") && line.contains("\"payload\":\"deeper\""),
                line);

            assertEquals(0, client.stats("orders.eu").messages(), "acked: every group of it has settled it");
            assertEquals(1, client.stats("billing.eu").messages(), "a queue the pattern does not match is untouched");
        }
    }

    private RingmqClient connect()
    {
        return RingmqClient.connect(new ClientContext().aeronDirectoryName(aeronDir.toString())
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10)).clientName("it-publisher"));
    }

    private DaemonProcess track(final DaemonProcess process)
    {
        started.add(process);
        return process;
    }

    private Path writeConfig() throws IOException
    {
        final Map<String, String> values = new LinkedHashMap<>();
        values.put("ringmq.data.dir", tempDir.resolve("data").toString());
        values.put("ringmq.aeron.dir", aeronDir.toString());
        values.put("ringmq.aeron.ipc.term.length", "1m");
        values.put("ringmq.max.message.bytes", "64k");
        values.put("ringmq.ring.size", "1024");
        final Path file = tempDir.resolve("ringmq.properties");
        Files.write(file, values.entrySet().stream().map((e) -> e.getKey() + "=" + e.getValue()).toList());
        return file;
    }
}
