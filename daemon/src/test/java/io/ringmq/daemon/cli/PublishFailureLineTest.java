package io.ringmq.daemon.cli;

import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.Daemon;
import io.ringmq.daemon.DaemonContext;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trial C finding 7: a publish that fails after its first send says how many receipts came back and that a missing
 * one does not mean the message was not stored, whatever ended it (here the second message, too large to send).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PublishFailureLineTest
{
    @TempDir
    Path tempDir;

    @Test
    void aFailureAfterTheFirstSendCountsTheReceipts() throws IOException
    {
        assertEquals("3 of 5 receipts came back (1 refused); 1 got no answer, which does not mean they were not " +
            "stored: publish them again with the same --producer-id and --producer-seq (or --id), or a retry may " +
            "store them twice", PublishCommand.receiptsLine(5, 3, 1, ""));
        assertEquals("5 of 5 receipts came back", PublishCommand.receiptsLine(5, 5, 0, " before the timeout"));

        final RingmqConfig config = TestDaemons.config(tempDir);
        final Path properties = Files.writeString(tempDir.resolve("client.properties"),
            "ringmq.aeron.dir=" + config.aeronDir() + "\n");
        final Path payloads = Files.writeString(tempDir.resolve("payloads.txt"),
            "small\n" + "x".repeat(config.maxMessageBytes() * 2) + "\n");
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream stderr = System.err;
        // The CLI reads ringmq.* system properties as config keys: a build's own (-Dringmq.cds.skip) is not one.
        final Properties buildProperties = new Properties();
        System.getProperties().stringPropertyNames().stream().filter((name) -> name.startsWith("ringmq."))
            .forEach((name) -> buildProperties.setProperty(name, System.clearProperty(name)));
        final int exit;
        try (Daemon ignored = Daemon.launch(new DaemonContext().settings(config)))
        {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = RingmqCli.run("publish", "orders", "--payload-file", payloads.toString(), "--quiet",
                "--config", properties.toString());
        }
        finally
        {
            System.setErr(stderr);
            System.getProperties().putAll(buildProperties);
        }
        final String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(RingmqCli.EXIT_FAILED, exit, said);
        assertTrue(said.contains("MESSAGE_TOO_LARGE") && said.contains(" of 1 receipts came back"), said);
        assertTrue(said.contains("1 of 1 receipts came back") ||
            said.contains("0 of 1 receipts came back; 1 got no answer, which does not mean they were not stored"), said);
    }
}
