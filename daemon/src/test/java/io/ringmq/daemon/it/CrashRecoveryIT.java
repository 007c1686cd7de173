package io.ringmq.daemon.it;

import io.ringmq.client.ClientContext;
import io.ringmq.client.Publisher;
import io.ringmq.client.ReceiptListener;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.ErrorCode;
import org.agrona.collections.Long2LongHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kills the daemon with SIGKILL at random moments while a client publishes with receipts and acks some deliveries,
 * restarts it on the same data directory, and finally checks the one promise the journal makes: nothing receipted
 * is lost, and what was durably acked does not come back.
 * <p>
 * Each round starts {@code bin/ringmq daemon} (fsync {@code BATCH}), connects one client from this JVM, which
 * publishes asynchronously (a bounded window of unreceipted publishes) and acks a seeded-random share of what it is
 * delivered, leaving the rest in flight, until a random deadline; then {@code kill -9}. Some rounds instead kill the
 * daemon at a random moment of its start-up (during replay, or just after). After the last round a daemon starts
 * normally, a browse shows what the queue holds, and a consumer takes it all.
 * <p>
 * <b>When is an ack durable?</b> Acks get no confirmation of their own. But one client's commands travel on one
 * Aeron publication, which the ingress reads in order onto the ring, and the journal appends in ring order. A
 * receipt is sent only after the journal handler synced (BATCH: at the end of the batch holding the publish), and a
 * sync forces everything appended before it. So an ack the client sent before a publish whose receipt arrived was
 * journaled and synced before that receipt: it is durable. (Acks made inside the message handler that the ingress
 * cannot take at once are deferred, in order, and sent before the poll returns, so they still precede every later
 * publish.) An ack with no later receipt may or may not have reached the journal; its message may come back.
 * <p>
 * Asserted at the end:
 * <ul>
 *   <li>every receipted message that was never acked is still held by the queue and is delivered to the final
 *   consumer; every receipted message was delivered at least once;</li>
 *   <li>no message whose ack was durable is delivered again in a later round or held at the end;</li>
 *   <li>the queue holds only messages that were published, each once.</li>
 * </ul>
 * Rounds: 20 by default, {@code -Dringmq.crash.rounds=N} for a soak; seed printed, {@code -Dringmq.crash.seed=S}
 * repeats a run's random choices (the kill moments still land on whatever the machine is doing then).
 */
class CrashRecoveryIT
{
    private static final String QUEUE = "crash";
    private static final String GROUP = "g";
    private static final Duration DAEMON_START = Duration.ofSeconds(60);
    private static final int PUBLISH_WINDOW = 64;

    private static Path repoRoot;

    @TempDir
    Path tempDir;

    private final List<Path> aeronDirs = new ArrayList<>();
    private DaemonProcess daemon;

    /** Every message published: payload to the round it was published in. */
    private final Map<String, Integer> published = new LinkedHashMap<>();
    private final Set<String> receipted = new HashSet<>();
    /** Messages acked where a later publish of the same client was receipted: payload to the round. */
    private final Map<String, Integer> durablyAcked = new HashMap<>();
    /** Messages with an ack that was sent but never shown durable. */
    private final Set<String> maybeAcked = new HashSet<>();
    /** Every delivery: payload to the rounds it was delivered in. */
    private final Map<String, List<Integer>> deliveredInRound = new HashMap<>();

    @BeforeAll
    static void locateLauncher()
    {
        repoRoot = DaemonProcess.findRepoRoot();
        assertTrue(Files.isRegularFile(repoRoot.resolve("daemon/target/ringmq-daemon.jar")),
            "run the daemon module's package phase before this IT");
    }

    @AfterEach
    void cleanUp() throws IOException
    {
        if (null != daemon && daemon.isAlive())
        {
            daemon.kill9();
        }
        for (final Path dir : aeronDirs)
        {
            deleteRecursively(dir);
        }
    }

    @Test
    void receiptedMessagesSurviveKillNineAndDurableAcksStay() throws Exception
    {
        final long seed = Long.getLong("ringmq.crash.seed", System.nanoTime());
        final int rounds = Integer.getInteger("ringmq.crash.rounds", 20);
        System.out.println("CrashRecoveryIT seed " + seed + " rounds " + rounds +
            " (repeat with -Dringmq.crash.seed=" + seed + ")");
        final Random random = new Random(seed);
        final Path dataDir = tempDir.resolve("data");
        final long startNs = System.nanoTime();

        for (int round = 1; round <= rounds; round++)
        {
            final Path config = writeConfig(round, dataDir);
            if (random.nextInt(5) == 0)
            {
                killDuringStartUp(config, random);
            }
            else
            {
                publishAckAndKill(round, config, random);
            }
            reportWarnings(round);
        }

        final Path config = writeConfig(rounds + 1, dataDir);
        daemon = DaemonProcess.start(repoRoot, config);
        daemon.awaitReady(DAEMON_START);
        try (RingmqClient client = connect(config))
        {
            final List<String> held = new ArrayList<>();
            client.browse(QUEUE, "", 0, (message) -> held.add(message.payloadAsString()));
            checkWhatIsHeld(held, rounds);
            drain(client, held);
        }
        daemon.sigterm();
        assertEquals(0, daemon.awaitExit(Duration.ofSeconds(60)), daemon::output);

        System.out.println("CrashRecoveryIT: " + rounds + " rounds in " +
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs) + " ms; published " + published.size() +
            ", receipted " + receipted.size() + ", durably acked " + durablyAcked.size() + ", acks not shown " +
            "durable " + maybeAcked.size());
    }

    private void killDuringStartUp(final Path config, final Random random)
    {
        daemon = DaemonProcess.start(repoRoot, config);
        // Somewhere in the JVM's start, the replay, the NodeStarted append or just after readiness.
        daemon.waitFor(Duration.ofMillis(300 + random.nextInt(1500)));
        daemon.kill9();
    }

    private void publishAndAckRound(
        final int round, final RingmqClient client, final Random random, final long runNs)
    {
        final Long2LongHashMap sendIndexByCorrelation = new Long2LongHashMap(-1);
        final Map<Long, String> payloadByCorrelation = new HashMap<>();
        final List<long[]> acks = new ArrayList<>(); // {sendIndex, ackId}
        final List<String> ackedPayloads = new ArrayList<>();
        final long[] sendIndex = {0};
        final long[] highestReceiptedSendIndex = {-1};
        final int[] outstanding = {0};

        final Publisher publisher = client.publisher(QUEUE, new ReceiptListener()
        {
            public void onReceipt(final long correlationId, final long sequence)
            {
                outstanding[0]--;
                receipted.add(payloadByCorrelation.get(correlationId));
                highestReceiptedSendIndex[0] = Math.max(highestReceiptedSendIndex[0],
                    sendIndexByCorrelation.get(correlationId));
            }

            public void onError(final long correlationId, final ErrorCode code, final String message)
            {
                fail("publish refused: " + code + " " + message);
            }
        });

        // Share of deliveries acked this round; the rest stay in flight until the daemon dies.
        final int ackPercent = 30 + random.nextInt(60);
        client.consumer(QUEUE, GROUP, Integer.MAX_VALUE, (delivery) ->
        {
            final String payload = delivery.payloadAsString();
            deliveredInRound.computeIfAbsent(payload, (p) -> new ArrayList<>()).add(round);
            final Integer ackedIn = durablyAcked.get(payload);
            if (null != ackedIn)
            {
                fail(payload + " was delivered in round " + round + " though its ack was durable in round " +
                    ackedIn + " (attempt " + delivery.attempt() + ")");
            }
            if (random.nextInt(100) < ackPercent)
            {
                delivery.ack();
                acks.add(new long[]{sendIndex[0]++, ackedPayloads.size()});
                ackedPayloads.add(payload);
            }
        });

        final long deadlineNs = System.nanoTime() + runNs;
        long next = published.size();
        while (System.nanoTime() - deadlineNs < 0)
        {
            if (outstanding[0] < PUBLISH_WINDOW)
            {
                final String payload = "m" + next++ + "-r" + round;
                published.put(payload, round);
                final long correlationId = publisher.publish(payload);
                payloadByCorrelation.put(correlationId, payload);
                sendIndexByCorrelation.put(correlationId, sendIndex[0]++);
                outstanding[0]++;
            }
            if (0 == client.poll() && outstanding[0] >= PUBLISH_WINDOW)
            {
                Thread.yield();
            }
        }

        daemon.kill9();
        // Responses the daemon wrote before it died are still in the shared IPC log buffers: take them, they are
        // as valid as any (a receipt was only sent after its sync).
        while (client.poll() > 0)
        {
            Thread.onSpinWait();
        }

        for (final long[] ack : acks)
        {
            final String payload = ackedPayloads.get((int)ack[1]);
            if (ack[0] < highestReceiptedSendIndex[0])
            {
                durablyAcked.putIfAbsent(payload, round);
                maybeAcked.remove(payload);
            }
            else if (!durablyAcked.containsKey(payload))
            {
                maybeAcked.add(payload);
            }
        }
    }

    private void publishAckAndKill(final int round, final Path config, final Random random)
    {
        daemon = DaemonProcess.start(repoRoot, config);
        daemon.awaitReady(DAEMON_START);
        final RingmqClient client = connect(config);
        try
        {
            publishAndAckRound(round, client, random, TimeUnit.MILLISECONDS.toNanos(50 + random.nextInt(500)));
        }
        finally
        {
            closeQuietly(client);
        }
    }

    /** What the killed daemon warned about (a torn journal record, for instance), for whoever reads the log. */
    private void reportWarnings(final int round)
    {
        for (final String line : daemon.stderr())
        {
            if (line.contains("WARN") || line.contains("ERROR"))
            {
                System.out.println("round " + round + ": " + line);
            }
        }
    }

    private void checkWhatIsHeld(final List<String> held, final int rounds)
    {
        final Set<String> heldSet = new HashSet<>(held);
        assertEquals(held.size(), heldSet.size(), "each published message is held once");
        for (final String payload : held)
        {
            assertTrue(published.containsKey(payload), () -> "held but never published: " + payload);
            final Integer ackedIn = durablyAcked.get(payload);
            assertTrue(null == ackedIn, () -> payload + " is held after " + rounds + " rounds though its ack was " +
                "durable in round " + ackedIn);
        }

        final Set<String> lost = new TreeSet<>();
        for (final String payload : receipted)
        {
            final boolean everAcked = durablyAcked.containsKey(payload) || maybeAcked.contains(payload);
            if (!everAcked && !heldSet.contains(payload))
            {
                lost.add(payload);
            }
            if (everAcked)
            {
                assertTrue(deliveredInRound.containsKey(payload), () -> "acked but never delivered: " + payload);
            }
        }
        assertTrue(lost.isEmpty(), () -> lost.size() + " receipted, never acked messages are gone: " +
            lost.stream().limit(20).toList());
    }

    private void drain(final RingmqClient client, final List<String> held)
    {
        final Set<String> expected = new HashSet<>(held);
        final Set<String> seen = new HashSet<>();
        client.consumer(QUEUE, GROUP, Integer.MAX_VALUE, (delivery) ->
        {
            seen.add(delivery.payloadAsString());
            delivery.ack();
        });
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!seen.containsAll(expected))
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                final Set<String> missing = new TreeSet<>(expected);
                missing.removeAll(seen);
                fail(missing.size() + " held messages were never delivered: " + missing.stream().limit(20).toList());
            }
            if (0 == client.poll())
            {
                Thread.yield();
            }
        }
        assertEquals(expected, seen, "the final consumer gets exactly what the queue held");
    }

    private RingmqClient connect(final Path config)
    {
        final String aeronDir = aeronDirs.get(aeronDirs.size() - 1).toString();
        return RingmqClient.connect(new ClientContext()
            .aeronDirectoryName(aeronDir)
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .responseTimeoutNs(TimeUnit.SECONDS.toNanos(30))
            .errorHandler((ex) -> fail("unexpected error from the daemon: " + ex))
            .clientName("crash-test"));
    }

    private static void closeQuietly(final RingmqClient client)
    {
        try
        {
            client.close();
        }
        catch (final RingmqException | IllegalStateException ignore)
        {
            // the daemon is dead
        }
    }

    /** Same data directory every round; a fresh Aeron directory (a killed driver leaves its own behind). */
    private Path writeConfig(final int round, final Path dataDir) throws IOException
    {
        final Path shm = Path.of("/dev/shm");
        final Path aeronDir = (Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")))
            .resolve("ringmq-crash-" + UUID.randomUUID());
        aeronDirs.add(aeronDir);
        final Path file = tempDir.resolve("round-" + round + ".properties");
        Files.write(file, List.of(
            "ringmq.data.dir=" + dataDir,
            "ringmq.aeron.dir=" + aeronDir,
            "ringmq.aeron.ipc.term.length=1m",
            "ringmq.max.message.bytes=64k",
            "ringmq.ring.size=1024",
            "ringmq.journal.fsync=BATCH",
            "ringmq.queue.visibility.timeout=10m",
            "ringmq.queue.max.attempts=1000",
            // Every other round snapshots often, so kills land before, during and after snapshots too.
            "ringmq.snapshot.every.commands=" + (round % 2 == 0 ? "1000" : "0")));
        return file;
    }

    private static void deleteRecursively(final Path dir) throws IOException
    {
        if (Files.exists(dir))
        {
            try (Stream<Path> paths = Files.walk(dir))
            {
                for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
