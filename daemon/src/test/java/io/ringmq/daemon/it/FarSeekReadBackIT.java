package io.ringmq.daemon.it;

import io.ringmq.client.ClientContext;
import io.ringmq.client.Publisher;
import io.ringmq.client.QueueConsumer;
import io.ringmq.client.QueueOptions;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.SeekTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A seek far back on a queue whose kept messages' payloads are no longer in memory (issue 16): a daemon process with
 * a small heap keeps more payload bytes than its heap could hold, a group seeks back to the oldest, and every message
 * comes again in order, each payload read back from the journal. Were the payloads held in memory, the daemon would
 * run out of heap long before the end (it must stay alive and say nothing of an OutOfMemoryError).
 * <p>
 * {@code -Dringmq.readback.messages=N} sets the count (CI: 100,000 messages of 2,000 bytes, 200 MB of payloads under
 * a 128 MB heap, about a minute here); {@code -Psoak} runs 1,000,000 (2 GB of payloads under a 401 MB heap).
 */
class FarSeekReadBackIT
{
    private static final int MESSAGES = Integer.getInteger("ringmq.readback.messages", 100_000);
    private static final int PAYLOAD_BYTES = 2_000;
    /**
     * A kept message whose payload left memory still costs its fields, about 300 bytes of heap (measured in the state
     * machine alone: 316 bytes each for 200,000, JVM baseline included): 128 MB up to 100,000 messages, then that much
     * more per message, always far below the payloads' size.
     */
    private static final long HEAP_MB = Math.max(128, 96 + MESSAGES * 320L / (1 << 20));
    /**
     * The daemon's embedded driver drops a client whose conductor has not been heard from for its client liveness
     * timeout (10 s by default): on the shared 2-core machine at a load of 20 the test's client conductor once went
     * 19 s unscheduled in the 1,000,000 run, so the driver gives it as long as the client's own response timeout
     * (and Aeron wants a publication's unblock timeout longer than that).
     */
    private static final String DAEMON_OPTS = "-Xms32m -Xmx" + HEAP_MB + "m -Daeron.client.liveness.timeout=60s " +
        "-Daeron.publication.unblock.timeout=75s";
    private static final int WINDOW = 2_000;
    private static final long TIMEOUT_MS = TimeUnit.MINUTES.toMillis(Math.max(4, MESSAGES / 50_000));

    @TempDir
    Path tempDir;

    private DaemonProcess daemon;
    private Path aeronDir;

    @AfterEach
    void stop() throws IOException
    {
        if (null != daemon && daemon.isAlive())
        {
            daemon.sigterm();
            daemon.awaitExit(Duration.ofSeconds(60));
        }
        if (null != aeronDir)
        {
            DaemonProcess.deleteRecursively(aeronDir);
        }
    }

    @Test
    void aGroupSoughtBackToTheOldestGetsEveryKeptMessageAgainInOrderWithTheHeapBounded() throws IOException
    {
        assertTrue((long)MESSAGES * PAYLOAD_BYTES > HEAP_MB << 20, "more payload bytes than the heap holds");
        aeronDir = DaemonProcess.uniqueAeronDir("ringmq-readback-");
        final Path config = tempDir.resolve("daemon.properties");
        Files.write(config, List.of(
            "ringmq.data.dir=" + tempDir.resolve("data"),
            "ringmq.aeron.dir=" + aeronDir,
            "ringmq.aeron.ipc.term.length=4m",
            "ringmq.max.message.bytes=16k",
            "ringmq.ring.size=256",
            "ringmq.journal.fsync=NONE"));
        daemon = DaemonProcess.startWithJavaOpts(DaemonProcess.findRepoRoot(), config, DAEMON_OPTS);
        daemon.awaitReady(Duration.ofSeconds(60));

        try (RingmqClient client = RingmqClient.connect(new ClientContext()
            .aeronDirectoryName(aeronDir.toString())
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(30))
            .responseTimeoutNs(TimeUnit.SECONDS.toNanos(60))
            .errorHandler((ex) -> fail("unexpected error from the daemon: " + ex))
            .clientName("readback-test")))
        {
            // Kept messages count toward max.bytes, and every queue has the daemon's default (256m): 1,000,000 kept
            // messages of 2,000 bytes would pass it at the 134,218th, which would then leave, so this queue has none.
            client.declareQueue("far", QueueOptions.unset().retainFor(Duration.ofDays(1)).noMaxBytes());
            final long[] next = {1};
            final QueueConsumer live = client.consumer("far", "live", 256, (d) ->
            {
                check(d.sequence(), next[0], d.buffer().getLong(d.payloadOffset(), ByteOrder.LITTLE_ENDIAN),
                    d.payloadLength(), d.attempt());
                next[0]++;
                d.ack();
            });
            final long startNs = System.nanoTime();
            publishAndRead(client, next);
            pollUntil(client, () -> client.stats("far").inFlight() == 0, "the last acks");
            assertEquals(MESSAGES, client.stats("far").messages(), "all kept after the group acked them");
            assertEquals(0, client.stats("far").dropped(), "no kept message let go by a limit");

            final long seekNs = System.nanoTime();
            next[0] = 1;
            assertEquals(MESSAGES, client.seek("far", "live", SeekTarget.OLDEST));
            pollUntil(client, () -> next[0] > MESSAGES, "the reading back of " + MESSAGES);
            live.close();
            // The figures the README quotes.
            System.out.printf("FarSeekReadBackIT: %,d messages of %,d B: published and read in %d s, read back after " +
                "the seek in %d s; daemon heap -Xmx%dm; data directory %,d MB%n", MESSAGES, PAYLOAD_BYTES,
                TimeUnit.NANOSECONDS.toSeconds(seekNs - startNs), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() -
                seekNs), HEAP_MB, sizeOf(tempDir.resolve("data")) >> 20);
        }
        assertTrue(daemon.isAlive(), () -> "the daemon ran within its heap\n" + daemon.output());
        assertFalse(daemon.output().contains("OutOfMemoryError"), daemon.output());
    }

    /**
     * Publishes a window at a time and lets the group read it before the next: messages not consumed yet hold their
     * payloads in memory (as they must, to be delivered at once), so the backlog stays a window, not the whole run.
     */
    private static void publishAndRead(final RingmqClient client, final long[] next)
    {
        final Publisher publisher = client.publisher("far");
        final byte[] payload = new byte[PAYLOAD_BYTES];
        final ByteBuffer number = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 1; i <= MESSAGES; i++)
        {
            number.putLong(0, i);
            payload[PAYLOAD_BYTES - 1] = (byte)i;
            publisher.publish(payload);
            if (0 == i % WINDOW || MESSAGES == i)
            {
                assertTrue(publisher.awaitReceipts(Duration.ofSeconds(60)), "receipts up to " + i);
                final long read = i;
                pollUntil(client, () -> next[0] > read, "the first reading up to " + read);
            }
        }
    }

    private static long sizeOf(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            return files.filter(Files::isRegularFile).mapToLong((file) -> file.toFile().length()).sum();
        }
    }

    private static void check(
        final long sequence, final long expected, final long number, final int length, final int attempt)
    {
        if (sequence != expected || number != expected || PAYLOAD_BYTES != length || 1 != attempt)
        {
            fail("expected message " + expected + " (" + PAYLOAD_BYTES + " bytes, attempt 1), got sequence " +
                sequence + " carrying " + number + " (" + length + " bytes, attempt " + attempt + ")");
        }
    }

    private static void pollUntil(final RingmqClient client, final java.util.function.BooleanSupplier done,
        final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("timed out after " + TIMEOUT_MS + " ms waiting for " + what);
            }
            if (0 == client.poll())
            {
                Thread.yield();
            }
        }
    }
}
