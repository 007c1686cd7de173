package io.ringmq.daemon.it;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The {@code bin/ringmq} contract, as separate processes: the launcher script, the daemon's readiness line, SIGTERM,
 * exit codes and the output formats of {@code publish} and {@code consume}. Runs after {@code package} (failsafe), so
 * the launcher finds {@code daemon/target/ringmq-daemon.jar} and does not build.
 * <p>
 * Every test gets its own config file (data under its temp directory, a unique Aeron directory), so nothing collides
 * with a real daemon or another test. Waits are on output lines and exits, each with a deadline; nothing sleeps.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CliProcessIT
{
    private static final Duration DAEMON_START = Duration.ofSeconds(45);
    private static final Duration COMMAND = Duration.ofSeconds(30);
    private static final Duration NO_DAEMON = Duration.ofSeconds(10);
    private static final Pattern RECOVERED = Pattern.compile("recovered (\\d+) commands");
    private static final JsonFactory JSON = new JsonFactory();

    private static Path repoRoot;

    @TempDir
    Path tempDir;

    private final List<Cli> started = new CopyOnWriteArrayList<>();
    private final List<Path> aeronDirs = new ArrayList<>();
    private Path config;
    private Path dataDir;

    @BeforeAll
    static void locateLauncher()
    {
        repoRoot = DaemonProcess.findRepoRoot();
        final Path jar = repoRoot.resolve("daemon/target/ringmq-daemon.jar");
        assertTrue(Files.isRegularFile(jar) && Files.isDirectory(repoRoot.resolve("daemon/target/lib")),
            jar + " (and target/lib) must exist: run the daemon module's package phase before this IT");
    }

    @BeforeEach
    void writeConfig() throws IOException
    {
        dataDir = tempDir.resolve("data");
        config = writeConfig("ringmq.properties", dataDir, Map.of());
    }

    @AfterEach
    void killLeftoversAndCleanUp() throws Exception
    {
        for (final Cli cli : started)
        {
            cli.kill();
        }
        for (final Path dir : aeronDirs)
        {
            deleteRecursively(dir);
        }
    }

    @Test
    void publishThenConsumeJsonThenNothingIsLeft() throws Exception
    {
        startDaemon(config);

        final Result publish = run("publish", "q", "--count", "20");
        publish.assertExit(0);
        assertEquals(numbered("q ", 20), publish.stdout, "one receipt line per message");

        final Result consume = run("consume", "q", "--count", "20", "--json");
        consume.assertExit(0);
        assertEquals(20, consume.stdout.size(), () -> "20 JSON lines\n" + consume);
        for (int i = 0; i < 20; i++)
        {
            final long n = i + 1;
            final Map<String, String> message = parseFlatJson(consume.stdout.get(i));
            assertEquals("q", message.get("queue"), () -> "queue of " + message);
            assertEquals(String.valueOf(n), message.get("seq"), () -> "seq of " + message);
            assertEquals("1", message.get("attempt"), () -> "attempt of " + message);
            assertEquals("message-" + n, message.get("payload"), () -> "payload of " + message);
        }

        final Result empty = run("consume", "q", "--count", "1", "--timeout-ms", "1000");
        empty.assertExit(1);
        assertEquals(List.of(), empty.stdout, "every message was acked, so nothing is left");
    }

    /**
     * Issue 12's command-line contract: headers, a message id and a producer go in with publish and come out of
     * consume --json; a publish retried with the same producer and sequence after the daemon was killed (its first
     * try journaled, its receipt printed or not) is answered with the original sequence and not stored twice, and so
     * is a second publish of a message id.
     */
    @Test
    void headersIdAndProducerGoThroughAndARetriedPublishIsStoredOnceAcrossAKill() throws Exception
    {
        final Cli daemon = startDaemon(config);
        final Result first = run("publish", "h", "--payload", "order", "--header", "trace=t-1", "--header",
            "tenant=acme", "--id", "order-1", "--producer-id", "7", "--producer-seq", "1");
        first.assertExit(0);
        assertEquals(List.of("h 1"), first.stdout);
        final Result sameId = run("publish", "h", "--payload", "order again", "--id", "order-1");
        sameId.assertExit(0);
        assertEquals(List.of("h 1"), sameId.stdout, "a second publish of the id gets the first one's receipt");

        daemon.kill();
        final Cli restarted = startDaemon(config);
        final Result retried = run("publish", "h", "--payload", "order", "--producer-id", "7", "--producer-seq", "1");
        retried.assertExit(0);
        assertEquals(List.of("h 1"), retried.stdout, "the retry after the kill gets the original receipt");
        final Result next = run("publish", "h", "--payload", "next", "--producer-id", "7", "--producer-seq", "2");
        next.assertExit(0);
        assertEquals(List.of("h 2"), next.stdout);

        final Result consume = run("consume", "h", "--count", "2", "--json");
        consume.assertExit(0);
        final Map<String, String> order = parseFlatJson(consume.stdout.get(0));
        assertEquals("order", order.get("payload"), consume::toString);
        assertEquals("t-1", order.get("headers.trace"), consume::toString);
        assertEquals("acme", order.get("headers.tenant"), consume::toString);
        assertEquals("order-1", order.get("id"), consume::toString);
        assertEquals("7", order.get("producerId"), consume::toString);
        final Map<String, String> second = parseFlatJson(consume.stdout.get(1));
        assertEquals("next", second.get("payload"), consume::toString);
        assertEquals("null", second.get("id"), consume::toString);
        assertEquals(false, second.keySet().stream().anyMatch((key) -> key.startsWith("headers.")), consume::toString);

        final Result empty = run("consume", "h", "--count", "1", "--timeout-ms", "1000");
        empty.assertExit(1);
        assertEquals(List.of(), empty.stdout, "two messages stored, not four");
        final Result badHeader = run("publish", "h", "--header", "novalue");
        badHeader.assertExit(2);
        stopDaemon(restarted);
    }

    /**
     * Issue 16's command-line contract: publish takes --priority, --delay-ms or --deliver-at, and --ttl-ms; consume
     * --json gains priority. Higher priorities come out first; held messages stay in the queue, undelivered.
     */
    @Test
    void priorityDelayAndTtlGoInWithPublishAndConsumeJsonSaysThePriority() throws Exception
    {
        final Cli daemon = startDaemon(config);
        run("publish", "p", "--payload", "low", "--priority", "1").assertExit(0);
        run("publish", "p", "--payload", "high", "--priority", "9").assertExit(0);
        run("publish", "p", "--payload", "plain").assertExit(0);
        run("publish", "p", "--payload", "delayed", "--delay-ms", "1h", "--ttl-ms", "2h").assertExit(0);
        final String tomorrow = java.time.Instant.now().plus(java.time.Duration.ofDays(1)).toString();
        run("publish", "p", "--payload", "tomorrow", "--deliver-at", tomorrow).assertExit(0);

        final Result consume = run("consume", "p", "--count", "3", "--json");
        consume.assertExit(0);
        final List<String> order = new ArrayList<>();
        for (final String line : consume.stdout)
        {
            final Map<String, String> delivered = parseFlatJson(line);
            order.add(delivered.get("payload") + " " + delivered.get("priority"));
        }
        assertEquals(List.of("high 9", "plain 4", "low 1"), order, consume::toString);
        final Result held = run("consume", "p", "--count", "1", "--timeout-ms", "1000");
        held.assertExit(1);
        assertEquals(List.of(), held.stdout, "the delayed messages are held");
        assertEquals("2", parseFlatJson(run("stats", "p", "--json").stdout.get(0)).get("messages"));

        // On the daemon's own clock a short time to live passes: the message leaves, counted as expired.
        run("publish", "brief", "--payload", "gone", "--ttl-ms", "200ms").assertExit(0);
        final long deadlineNs = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        Map<String, String> brief = parseFlatJson(run("stats", "brief", "--json").stdout.get(0));
        while (!"1".equals(brief.get("expired")) && System.nanoTime() - deadlineNs < 0)
        {
            brief = parseFlatJson(run("stats", "brief", "--json").stdout.get(0));
        }
        assertEquals("1", brief.get("expired"), brief::toString);
        assertEquals("0", brief.get("messages"), brief::toString);

        run("publish", "p", "--delay-ms", "5", "--deliver-at", tomorrow).assertExit(2);
        run("publish", "p", "--priority", "10").assertExit(2);
        run("publish", "p", "--deliver-at", "tomorrow").assertExit(2);
        stopDaemon(daemon);
    }

    /**
     * Issue 16's command-line contract for a queue's default delay: declare queue --delay-ms; a publish without timing
     * of its own is held, one with its own deliver-at is not; queues shows the delay; another delay is a conflict.
     */
    @Test
    void aQueueDeclaredWithADelayHoldsPlainPublishes() throws Exception
    {
        final Cli daemon = startDaemon(config);
        final Result created = run("declare", "queue", "later", "--delay-ms", "1h");
        created.assertExit(0);
        assertEquals(List.of("queue later created"), created.stdout, created::toString);
        assertEquals("3600000", parseFlatJson(run("queues", "later", "--json").stdout.get(0)).get("delayMs"));
        run("publish", "later", "--payload", "held").assertExit(0);
        final Result held = run("consume", "later", "--count", "1", "--timeout-ms", "1000");
        held.assertExit(1);
        assertEquals(List.of(), held.stdout, "held by the queue's hour");
        final String past = java.time.Instant.now().minusSeconds(60).toString();
        run("publish", "later", "--payload", "own-time", "--deliver-at", past).assertExit(0);
        final Result own = run("consume", "later", "--count", "1");
        own.assertExit(0);
        assertEquals(List.of("2\town-time"), own.stdout, own::toString);

        final Result conflict = run("declare", "queue", "later", "--delay-ms", "2h");
        conflict.assertExit(1);
        assertTrue(conflict.stderr.contains("SETTINGS_CONFLICT"), conflict::toString);
        run("declare", "queue", "other", "--delay-ms", "soon").assertExit(2);
        stopDaemon(daemon);
    }

    /**
     * Issue 16's command-line contract for header filters: declare group --filter (repeated: all must match) and
     * consume --filter (declares its group with the filter first); groups shows the filter and what it refused; a bad
     * expression exits 2, another filter for the same group exits 1.
     */
    @Test
    void groupsDeclaredOrConsumedWithAFilterGetOnlyMatchingMessages() throws Exception
    {
        final Cli daemon = startDaemon(config);
        run("declare", "group", "orders", "all").assertExit(0);
        final Result created = run("declare", "group", "orders", "eu", "--filter", "region=eu", "--filter",
            "price>=100");
        created.assertExit(0);
        assertEquals(List.of("group orders/eu created"), created.stdout, created::toString);
        run("publish", "orders", "--payload", "big", "--header", "region=eu", "--header", "price=150").assertExit(0);
        run("publish", "orders", "--payload", "us", "--header", "region=us", "--header", "price=500").assertExit(0);
        run("publish", "orders", "--payload", "small", "--header", "region=eu", "--header", "price=20").assertExit(0);

        final Result eu = run("consume", "orders", "--group", "eu", "--drain", "--timeout-ms", "1000");
        eu.assertExit(0);
        assertEquals(List.of("1\tbig"), eu.stdout, eu::toString);
        final Result cheap = run("consume", "orders", "--group", "cheap", "--filter", "price<100", "--drain",
            "--timeout-ms", "1000");
        cheap.assertExit(0);
        assertEquals(List.of("3\tsmall"), cheap.stdout, "a group made by consume --filter, after the publishes");
        final Result groups = run("groups", "orders");
        groups.assertExit(0);
        assertEquals(List.of(
            "all lag=3 consumers=0 inFlight=0 strategy=round-robin dlq=orders.dlq filtered=0",
            "eu lag=0 consumers=0 inFlight=0 strategy=round-robin dlq=orders.dlq filtered=2 filter=region=eu&&price>=100",
            "cheap lag=0 consumers=0 inFlight=0 strategy=round-robin dlq=orders.dlq filtered=2 filter=price<100"),
            groups.stdout, groups::toString);

        final Result conflict = run("consume", "orders", "--group", "eu", "--filter", "region=us", "--count", "1");
        conflict.assertExit(1);
        assertTrue(conflict.stderr.contains("SETTINGS_CONFLICT"), conflict::toString);
        final Result bad = run("declare", "group", "orders", "x", "--filter", "price>>1");
        bad.assertExit(2);
        assertTrue(bad.stderr.contains("price>>1"), bad::toString);
        run("consume", "orders", "--filter", "=eu", "--count", "1").assertExit(2);
        run("consume", "nope", "--filter", "a?", "--count", "1").assertExit(1); // no --create: nothing made
        assertUnknown("nope");
        stopDaemon(daemon);
    }

    /** Issue 12's request/reply on the command line: the demo replier upper-cases; no replier means exit 1. */
    @Test
    void requestPrintsTheReplyOfTheDemoReplierAndExitsOneWhenNoneComes() throws Exception
    {
        final Cli daemon = startDaemon(config);
        final Cli replier = start(config, "reply", "rpc", "--create", "--count", "1");
        final Result answered = run("request", "rpc", "hello", "--header", "k=v", "--timeout-ms", "20000");
        answered.assertExit(0);
        assertEquals(List.of("HELLO"), answered.stdout);
        final Result replied = replier.awaitExit(COMMAND);
        replied.assertExit(0);
        assertEquals(List.of("1\thello"), replied.stdout);

        final Result unanswered = run("request", "rpc", "anyone?", "--timeout-ms", "500");
        unanswered.assertExit(1);
        assertTrue(unanswered.stderr.contains("no reply"), unanswered::toString);
        stopDaemon(daemon);
    }

    @Test
    void nackGivesMessagesBackAtOnceAndNoAckLeavesThemToTheVisibilityTimeout() throws Exception
    {
        // Real time cannot be stepped in another process: a short timeout, waited for with a deadline.
        final Path shortVisibility = writeConfig("short-visibility.properties", dataDir, Map.of(
            "ringmq.queue.visibility.timeout", "1s", "ringmq.queue.max.attempts", "10"));
        startDaemon(shortVisibility);
        run(shortVisibility, "publish", "n", "--count", "2").assertExit(0);

        final Result nacked = run(shortVisibility, "consume", "n", "--count", "2", "--nack", "--json");
        nacked.assertExit(0);
        assertEquals(List.of("1/1", "2/1"), seqAndAttempt(nacked));

        // A nacked message is back at once (the nacking consumer may even see it again before it exits: each
        // delivery counts as an attempt), so what matters is that every attempt number only grows.
        final Result leftInFlight = run(shortVisibility, "consume", "n", "--count", "2", "--no-ack", "--json");
        leftInFlight.assertExit(0);
        final Map<String, Integer> attemptsLeftInFlight = attemptBySeq(leftInFlight);
        assertEquals(Set.of("1", "2"), attemptsLeftInFlight.keySet(), leftInFlight::toString);
        attemptsLeftInFlight.values().forEach((attempt) -> assertTrue(attempt >= 2, leftInFlight::toString));

        // Still in flight after the --no-ack consumer left; back once the 1 s visibility timeout passes.
        final Result afterTimeout = run(shortVisibility, "consume", "n", "--count", "2", "--json",
            "--timeout-ms", "20000");
        afterTimeout.assertExit(0);
        final Map<String, Integer> attemptsAfterTimeout = attemptBySeq(afterTimeout);
        assertEquals(Set.of("1", "2"), attemptsAfterTimeout.keySet(), afterTimeout::toString);
        for (final String seq : attemptsAfterTimeout.keySet())
        {
            assertTrue(attemptsAfterTimeout.get(seq) > attemptsLeftInFlight.get(seq), afterTimeout::toString);
        }

        run(shortVisibility, "consume", "n", "--nack", "--no-ack").assertExit(2);
    }

    @Test
    void queuesAndGroupsAreDeclaredFromTheCommandLine() throws Exception
    {
        startDaemon(config);
        final Result created = run("declare", "queue", "jobs", "--max-attempts", "1", "--backoff", "fixed:200",
            "--strategy", "least-outstanding");
        created.assertExit(0);
        assertEquals(List.of("queue jobs created"), created.stdout, created::toString);
        final Result again = run("declare", "queue", "jobs", "--max-attempts", "1");
        again.assertExit(0);
        assertEquals(List.of("queue jobs exists with these settings"), again.stdout, again::toString);
        final Result conflict = run("declare", "queue", "jobs", "--max-attempts", "2");
        conflict.assertExit(1);
        // The queue's settings in the spellings the command takes, so a value can be copied into a command.
        assertTrue(conflict.stderr.contains("SETTINGS_CONFLICT") && conflict.stderr.contains("exists with " +
            "visibility-timeout=30000ms max-attempts=1 backoff=fixed:200ms strategy=least-outstanding"),
            conflict::toString);
        run("declare", "queue", "jobs", "--backoff", "sometimes").assertExit(2);

        final Result group = run("declare", "group", "jobs", "workers", "--dlq", "jobs.poison");
        group.assertExit(0);
        assertEquals(List.of("group jobs/workers created"), group.stdout, group::toString);

        // One attempt allowed: a nacked message goes straight to the group's own dead-letter queue.
        run("publish", "jobs", "--count", "1", "--payload", "bad").assertExit(0);
        run("consume", "jobs", "--group", "workers", "--count", "1", "--nack").assertExit(0);
        final Result listed = run("dlq", "list", "jobs", "--dlq", "jobs.poison", "--json");
        listed.assertExit(0);
        assertEquals(1, listed.stdout.size(), listed::toString);
        assertEquals("workers", parseFlatJson(listed.stdout.get(0)).get("sourceGroup"));
        assertEquals(List.of(), run("dlq", "list", "jobs").stdout, "nothing in the default jobs.dlq");

        run("declare", "queue", "capped", "--max-messages", "1", "--overflow", "drop").assertExit(0);
        run("publish", "capped", "--count", "3", "--payload", "x").assertExit(0);
        final Result stats = run("stats", "jobs.poison", "capped");
        stats.assertExit(0);
        assertEquals(List.of(
            "jobs.poison messages=1 bytes=3 inFlight=0 groups=0 consumers=0 expired=0 overflowed=0 dropped=0 refused=0",
            "capped messages=1 bytes=1 inFlight=0 groups=0 consumers=0 expired=0 overflowed=2 dropped=2 refused=0"),
            stats.stdout, stats::toString);
        // Every queue named is reported, an unknown one on stderr, and the exit says one was unknown.
        final Result unknown = run("stats", "nope", "capped", "nope2");
        unknown.assertExit(1);
        assertEquals(List.of(
            "capped messages=1 bytes=1 inFlight=0 groups=0 consumers=0 expired=0 overflowed=2 dropped=2 refused=0"),
            unknown.stdout, unknown::toString);
        assertTrue(unknown.stderr.contains("ringmq: nope: ") && unknown.stderr.contains("ringmq: nope2: ") &&
            unknown.stderr.contains("UNKNOWN_QUEUE"), unknown::toString);

        final Result json = run("stats", "capped", "--json");
        json.assertExit(0);
        final Map<String, String> capped = parseFlatJson(json.stdout.get(0));
        assertEquals("capped", capped.get("queue"));
        assertEquals("1", capped.get("messages"));
        assertEquals("2", capped.get("overflowed"));
    }

    @Test
    void deadLettersAreListedRedrivenAndPurgedFromTheCommandLine() throws Exception
    {
        final Path oneAttempt = writeConfig("one-attempt.properties", dataDir, Map.of(
            "ringmq.queue.visibility.timeout", "500ms", "ringmq.queue.max.attempts", "1"));
        startDaemon(oneAttempt);
        run(oneAttempt, "publish", "d", "--count", "2", "--payload", "poison").assertExit(0);
        final Result none = run(oneAttempt, "dlq", "list", "d"); // no dead letters yet: nothing to show, not an error
        none.assertExit(0);
        assertEquals(List.of(), none.stdout, none::toString);
        run(oneAttempt, "consume", "d", "--count", "2", "--no-ack").assertExit(0);

        // After the 500 ms visibility timeout, with one attempt allowed, both are dead letters.
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Result listed;
        do
        {
            listed = run(oneAttempt, "dlq", "list", "d", "--json");
            listed.assertExit(0);
        }
        while (listed.stdout.size() < 2 && System.nanoTime() < deadlineNs);
        assertEquals(2, listed.stdout.size(), listed::toString);
        final Map<String, String> letter = parseFlatJson(listed.stdout.get(0));
        assertEquals("d.dlq", letter.get("queue"));
        assertEquals("d", letter.get("sourceQueue"));
        assertEquals("default", letter.get("sourceGroup"));
        assertEquals("MAX_ATTEMPTS", letter.get("reason"));
        assertEquals("1", letter.get("attempts"));
        assertEquals("poison", letter.get("payload"));

        final Result redriven = run(oneAttempt, "dlq", "redrive", "d", "--count", "1");
        redriven.assertExit(0);
        assertEquals(List.of("redriven 1"), redriven.stdout);
        final Result back = run(oneAttempt, "consume", "d", "--count", "1", "--json");
        back.assertExit(0);
        assertEquals(List.of("3/1"), seqAndAttempt(back), "a new message at the next sequence");

        final Result purged = run(oneAttempt, "dlq", "purge", "d");
        purged.assertExit(0);
        assertEquals(List.of("purged 1"), purged.stdout);
        assertEquals(List.of(), run(oneAttempt, "dlq", "list", "d").stdout);
    }

    /**
     * Issue 15: only publish, declare and consume --create create a queue. A consume or dlq command naming a queue
     * that does not exist is refused with UNKNOWN_QUEUE (exit 1) and creates nothing, and a refused declare leaves
     * nothing behind.
     */
    @Test
    void unknownQueuesAreRefusedAndOnlyCommandsMeantToCreateCreate() throws Exception
    {
        startDaemon(config);
        final Result consume = run("consume", "nope", "--timeout-ms", "1000");
        consume.assertExit(1);
        assertTrue(consume.stderr.contains("UNKNOWN_QUEUE") &&
            consume.stderr.contains("queue 'nope' does not exist (consume --create creates it)"), consume::toString);
        for (final String action : List.of("list", "purge", "redrive"))
        {
            final Result dlq = run("dlq", action, "nope");
            dlq.assertExit(1);
            assertEquals(List.of(), dlq.stdout, dlq::toString);
            assertTrue(dlq.stderr.contains("UNKNOWN_QUEUE: queue 'nope' does not exist"), dlq::toString);
        }
        assertUnknown("nope");

        final Result refused = run("declare", "group", "q", "g", "--dlq", "q");
        refused.assertExit(1);
        assertTrue(refused.stderr.contains("INVALID_ARGUMENT"), refused::toString);
        assertUnknown("q");

        final Result created = run("consume", "nope", "--create", "--timeout-ms", "300");
        created.assertExit(1); // subscribed, then nothing came
        assertTrue(created.stderr.contains("no message for 300 ms"), created::toString);
        final Result stats = run("stats", "nope");
        stats.assertExit(0);
        assertEquals(List.of("nope messages=0 bytes=0 inFlight=0 groups=1 consumers=0 expired=0 overflowed=0 " +
            "dropped=0 refused=0"), stats.stdout, stats::toString);
        run("publish", "nope", "--payload", "m").assertExit(0);
        final Result consumed = run("consume", "nope", "--count", "1", "--timeout-ms", "20000");
        consumed.assertExit(0);
        assertEquals(List.of("1\tm"), consumed.stdout, consumed::toString);
    }

    /**
     * Issue 17's lifecycle commands. The pinned-group case: a one-off {@code consume --group x} leaves group x
     * behind, which keeps every later message of the queue; {@code groups} shows it, {@code delete group} frees them.
     * The mistyped-queue case: {@code queues} shows the typo, {@code delete queue} removes it. Queries journal
     * nothing: a restart recovers the same number of commands with or without them.
     */
    @Test
    void queuesGroupsPeekShowThePinnedGroupAndTheTypoAndDeleteRemovesThem() throws Exception
    {
        startDaemon(config);
        run("publish", "q", "--count", "1").assertExit(0);
        run("consume", "q", "--group", "x", "--count", "1").assertExit(0); // the one-off consume
        run("publish", "q", "--count", "2").assertExit(0);
        run("consume", "q", "--group", "main", "--count", "2").assertExit(0); // main acks seq 2 and 3; x pins them
        run("publish", "ordres", "--count", "1").assertExit(0); // the typo

        final Result queues = run("queues");
        queues.assertExit(0);
        assertEquals(List.of(
            "q depth=2 inFlight=0 groups=2 consumers=0 dlqDepth=- visibilityTimeoutMs=30000 maxAttempts=5 " +
                "backoff=none strategy=round-robin retained=0 retainedBytes=0 delayMs=0",
            "ordres depth=1 inFlight=0 groups=0 consumers=0 dlqDepth=- visibilityTimeoutMs=30000 maxAttempts=5 " +
                "backoff=none strategy=round-robin retained=0 retainedBytes=0 delayMs=0"), queues.stdout, queues::toString);
        final Result typo = run("queues", "ord?es", "--json");
        typo.assertExit(0);
        assertEquals(1, typo.stdout.size(), typo::toString);
        final Map<String, String> typoJson = parseFlatJson(typo.stdout.get(0));
        assertEquals("ordres", typoJson.get("queue"));
        assertEquals("1", typoJson.get("depth"));
        assertEquals("0", typoJson.get("retained"));

        final Result groups = run("groups", "q");
        groups.assertExit(0);
        assertEquals(List.of(
            "x lag=2 consumers=0 inFlight=0 strategy=round-robin dlq=q.dlq filtered=0",
            "main lag=0 consumers=0 inFlight=0 strategy=round-robin dlq=q.dlq filtered=0"), groups.stdout,
            groups::toString);
        final Result groupsJson = run("groups", "q", "--json");
        groupsJson.assertExit(0);
        final Map<String, String> x = parseFlatJson(groupsJson.stdout.get(0));
        assertEquals("x", x.get("group"));
        assertEquals("2", x.get("lag"));
        assertEquals("q.dlq", x.get("dlq"));

        final Result peek = run("peek", "q");
        peek.assertExit(0);
        assertEquals(List.of("2\t4\tmessage-1", "3\t4\tmessage-2"), peek.stdout, peek::toString);
        final Result peekOne = run("peek", "q", "--count", "1", "--json");
        peekOne.assertExit(0);
        assertEquals(1, peekOne.stdout.size(), peekOne::toString);
        assertEquals("2", parseFlatJson(peekOne.stdout.get(0)).get("seq"));
        run("peek", "nope").assertExit(1);

        final Result freed = run("delete", "group", "q", "x");
        freed.assertExit(0);
        assertEquals(List.of("deleted 2"), freed.stdout, freed::toString);
        final Result removed = run("delete", "queue", "ordres");
        removed.assertExit(0);
        assertEquals(List.of("deleted 1"), removed.stdout, removed::toString);
        final Result after = run("queues");
        assertEquals(List.of("q depth=0 inFlight=0 groups=1 consumers=0 dlqDepth=- visibilityTimeoutMs=30000 " +
            "maxAttempts=5 backoff=none strategy=round-robin retained=0 retainedBytes=0 delayMs=0"), after.stdout,
            after::toString);
        final Result unknownGroup = run("delete", "group", "q", "x");
        unknownGroup.assertExit(1);
        assertTrue(unknownGroup.stderr.contains("UNKNOWN_GROUP"), unknownGroup::toString);
    }

    /**
     * Issue 17's pinned-group case without an operator: with ringmq.queue.group.expiry on, the group a one-off
     * {@code consume --group x} left behind is deleted once it has had no consumer that long, and the messages only
     * it still needed leave; the group with a consumer attached stays. Real time cannot be stepped in another
     * process: a short expiry, waited for with a deadline.
     */
    @Test
    void aGroupLeftByAOneOffConsumeExpiresAndNoLongerPinsMessages() throws Exception
    {
        final Path expiring = writeConfig("group-expiry.properties", dataDir, Map.of(
            "ringmq.queue.group.expiry", "1s"));
        final Cli daemon = startDaemon(expiring);
        run(expiring, "publish", "q", "--count", "1").assertExit(0);
        run(expiring, "consume", "q", "--group", "x", "--count", "1").assertExit(0); // the one-off consume
        final Cli main = start(expiring, "consume", "q", "--group", "main");
        run(expiring, "publish", "q", "--count", "2").assertExit(0);
        main.awaitStdoutLine((line) -> line.startsWith("3\t"), COMMAND); // main acked 2 and 3; only x pins them

        awaitStderr(daemon, "1 group(s) deleted by ringmq.queue.group.expiry"); // the daemon logs it

        final Result groups = run(expiring, "groups", "q");
        groups.assertExit(0);
        assertEquals(List.of("main lag=0 consumers=1 inFlight=0 strategy=round-robin dlq=q.dlq filtered=0"),
            groups.stdout, groups::toString);
        final Result queues = run(expiring, "queues", "q");
        assertEquals(List.of("q depth=0 inFlight=0 groups=1 consumers=1 dlqDepth=- visibilityTimeoutMs=30000 " +
            "maxAttempts=5 backoff=none strategy=round-robin retained=0 retainedBytes=0 delayMs=0"), queues.stdout,
            queues::toString);
        main.kill();
        stopDaemon(daemon);
    }

    /**
     * Issue 17's mistyped-queue case without an operator: with ringmq.queue.expiry on, {@code publish ordres ...}
     * followed by nothing leaves a queue nobody subscribes to; it is deleted (its message with it) once idle that long,
     * and {@code queues} no longer lists it, while the queue with a consumer attached stays. A short expiry, waited for
     * on the daemon's log line with a deadline.
     */
    @Test
    void aMistypedQueueExpiresAndQueuesNoLongerListsIt() throws Exception
    {
        final Path expiring = writeConfig("queue-expiry.properties", dataDir, Map.of("ringmq.queue.expiry", "1s"));
        final Cli daemon = startDaemon(expiring);
        final Cli main = start(expiring, "consume", "orders", "--group", "main", "--create");
        final long deadlineNs = System.nanoTime() + COMMAND.toNanos();
        Result attached;
        do // a queue without a consumer would expire after 1 s: publish to orders once main is attached
        {
            attached = run(expiring, "groups", "orders");
        }
        while (!String.join("\n", attached.stdout).contains("consumers=1") && System.nanoTime() < deadlineNs);
        assertTrue(String.join("\n", attached.stdout).contains("consumers=1"), attached::toString);
        run(expiring, "publish", "orders", "--count", "1").assertExit(0);
        main.awaitStdoutLine((line) -> line.startsWith("1\t"), COMMAND); // orders is in use
        run(expiring, "publish", "ordres", "--count", "1").assertExit(0); // the typo

        awaitStderr(daemon, "1 queue(s) deleted by ringmq.queue.expiry"); // the daemon logs it

        final Result queues = run(expiring, "queues");
        queues.assertExit(0);
        assertEquals(List.of("orders"), queues.stdout.stream().map((line) -> line.split(" ")[0]).toList(),
            queues::toString);
        main.kill();
        stopDaemon(daemon);
    }

    @Test
    void deleteIsRefusedWhileAConsumerIsAttachedUnlessForcedAndPurgeEmptiesAnyQueue() throws Exception
    {
        startDaemon(config);
        run("publish", "p", "--count", "3").assertExit(0);
        final Result purged = run("purge", "p");
        purged.assertExit(0);
        assertEquals(List.of("purged 3"), purged.stdout, purged::toString);
        run("purge", "nope").assertExit(1);

        final Cli consumer = start(config, "consume", "p", "--group", "g");
        run("publish", "p", "--count", "1").assertExit(0);
        consumer.awaitStdoutLine((line) -> line.startsWith("4\t"), COMMAND); // attached

        final Result refused = run("delete", "queue", "p");
        refused.assertExit(1);
        assertTrue(refused.stderr.contains("HAS_CONSUMERS"), refused::toString);
        final Result refusedGroup = run("delete", "group", "p", "g");
        refusedGroup.assertExit(1);
        assertTrue(refusedGroup.stderr.contains("HAS_CONSUMERS"), refusedGroup::toString);

        final Result forced = run("delete", "queue", "p", "--force");
        forced.assertExit(0);
        assertEquals(List.of("deleted 0"), forced.stdout, forced::toString);
        assertEquals(List.of(), run("queues", "p").stdout, "gone");
        consumer.kill();
    }

    @Test
    void consumeRejectsNacksWithADelayAndExtends() throws Exception
    {
        startDaemon(config);
        run("publish", "r", "--count", "1").assertExit(0);
        run("consume", "r", "--count", "1", "--reject").assertExit(0);
        final Result letters = run("dlq", "list", "r");
        assertEquals(List.of("1\tREJECTED\t1\tdefault\tmessage-1"), letters.stdout, letters::toString);

        run("publish", "n", "--count", "1").assertExit(0);
        run("consume", "n", "--count", "1", "--nack-delay-ms", "60000").assertExit(0);
        final Result notYet = run("consume", "n", "--count", "1", "--timeout-ms", "1500");
        notYet.assertExit(1); // held back a minute, not the queue's backoff
        assertEquals(List.of("1\t4\tmessage-1"), run("peek", "n").stdout, "still held by the queue");

        run("publish", "e", "--count", "1").assertExit(0);
        run("consume", "e", "--count", "1", "--no-ack", "--visibility-timeout-ms", "200", "--extend-ms", "60000")
            .assertExit(0);
        final Result extended = run("consume", "e", "--count", "1", "--timeout-ms", "1500");
        extended.assertExit(1); // without --extend-ms it would be back after 200 ms
        final Result inFlight = run("queues", "e");
        assertTrue(inFlight.stdout.get(0).startsWith("e depth=1 inFlight=1 "), inFlight::toString);

        final Result bothWays = run("consume", "e", "--reject", "--nack");
        bothWays.assertExit(2);
    }

    private void assertUnknown(final String queue)
    {
        final Result stats = run("stats", queue);
        stats.assertExit(1);
        assertTrue(stats.stderr.contains("UNKNOWN_QUEUE"), stats::toString);
    }

    /**
     * Issue 11, as it was reported: a redriven letter went back to every group of its queue, so g2, which had acked
     * m, got it again. The same issue: a letter of a queue without groups was listed with the group "null", and a
     * group's own queue as its dead-letter queue was refused as an invalid name. A dead-letter queue whose letters
     * lead back (a dead-letter cycle) is refused too, naming the way round.
     */
    @Test
    void aRedrivenLetterGoesBackToTheGroupThatDeadLetteredItOnly() throws Exception
    {
        startDaemon(config);
        run("declare", "queue", "fan", "--max-attempts", "1").assertExit(0);
        run("declare", "group", "fan", "g1").assertExit(0);
        run("declare", "group", "fan", "g2").assertExit(0);
        run("publish", "fan", "--payload", "m").assertExit(0);
        run("consume", "fan", "--group", "g1", "--count", "1", "--nack").assertExit(0);
        run("consume", "fan", "--group", "g2", "--count", "1").assertExit(0);

        final Result redriven = run("dlq", "redrive", "fan", "--group", "g1");
        redriven.assertExit(0);
        assertEquals(List.of("redriven 1"), redriven.stdout, redriven::toString);
        final Result g2 = run("consume", "fan", "--group", "g2", "--count", "1", "--timeout-ms", "1000");
        g2.assertExit(1);
        assertEquals(List.of(), g2.stdout, "g2 acked m: it does not get it again");
        final Result g1 = run("consume", "fan", "--group", "g1", "--count", "1");
        g1.assertExit(0);
        assertEquals(List.of("2\tm"), g1.stdout, g1::toString);

        run("declare", "queue", "lonely", "--max-messages", "1").assertExit(0); // overflow: dead-letter
        run("publish", "lonely", "--count", "2", "--payload", "x").assertExit(0);
        final Result listed = run("dlq", "list", "lonely");
        listed.assertExit(0);
        assertEquals(List.of("1\tOVERFLOW\t0\t-\tx"), listed.stdout, "no group to name: -, not null");

        final Result ownQueue = run("declare", "group", "fan", "g3", "--dlq", "fan");
        ownQueue.assertExit(1);
        assertTrue(ownQueue.stderr.contains("INVALID_ARGUMENT") &&
            ownQueue.stderr.contains("a group's dead-letter queue cannot be its own queue"), ownQueue::toString);
        final Result cycle = run("declare", "group", "fan.dlq", "g", "--dlq", "fan"); // fan's groups dead-letter there
        cycle.assertExit(1);
        assertTrue(cycle.stderr.contains("INVALID_ARGUMENT") && cycle.stderr.contains(
            "would make a dead-letter cycle: fan (group g1) -> fan.dlq (group g) -> fan"), cycle::toString);
    }

    private static Map<String, Integer> attemptBySeq(final Result result) throws IOException
    {
        final Map<String, Integer> attempts = new LinkedHashMap<>();
        for (final String line : result.stdout)
        {
            final Map<String, String> message = parseFlatJson(line);
            attempts.put(message.get("seq"), Integer.parseInt(message.get("attempt")));
        }
        return attempts;
    }

    private static List<String> seqAndAttempt(final Result result) throws IOException
    {
        final List<String> pairs = new ArrayList<>();
        for (final String line : result.stdout)
        {
            final Map<String, String> message = parseFlatJson(line);
            pairs.add(message.get("seq") + "/" + message.get("attempt"));
        }
        return pairs;
    }

    @Test
    void sigtermStopsCleanlyAndARestartKeepsUnackedMessages() throws Exception
    {
        final Cli daemon = startDaemon(config);
        final Result publish = run("publish", "r", "--count", "5", "--payload", "hello");
        publish.assertExit(0);
        assertEquals(numbered("r ", 5), publish.stdout);

        stopDaemon(daemon);

        final Cli restarted = startDaemon(config);
        final Matcher recovered = RECOVERED.matcher(restarted.stdout.stream()
            .filter((line) -> line.contains("ringmq daemon running")).findFirst().orElseThrow());
        assertTrue(recovered.find() && Long.parseLong(recovered.group(1)) >= 5,
            () -> "the restarted daemon replays its journal\n" + restarted);

        final Result consume = run("consume", "r", "--count", "5", "--timeout-ms", "20000");
        consume.assertExit(0);
        assertEquals(List.of("1\thello", "2\thello", "3\thello", "4\thello", "5\thello"), consume.stdout);

        stopDaemon(restarted);
    }

    @Test
    void commandsSayNoDaemonIsRunning() throws Exception
    {
        // Nothing ever ran in this config's Aeron directory.
        assertNoDaemon(run("publish", "q"));
        assertNoDaemon(run("consume", "q", "--count", "1", "--timeout-ms", "1000"));

        // A daemon that died without cleaning up leaves a stale Aeron directory behind.
        final Cli daemon = startDaemon(config);
        daemon.kill();
        assertNoDaemon(run("publish", "q"));
    }

    @Test
    void helpVersionAndUsageErrorsThroughTheLauncher()
    {
        final Result help = run("dlq", "redrive", "--help");
        help.assertExit(0);
        assertTrue(help.stdout.get(0).startsWith("Usage: ringmq dlq redrive"), help::toString);

        final Result version = run("--version");
        version.assertExit(0);
        assertTrue(version.stdout.get(0).matches("ringmq \\d+\\.\\d+\\.\\d+.*"),
            () -> "the version from the jar manifest\n" + version);

        final Result usage = run("consume");
        usage.assertExit(2);
        assertEquals(List.of(), usage.stdout, usage::toString);
        assertTrue(usage.stderr.contains("Missing required parameter: 'QUEUE-OR-PATTERN'") &&
            usage.stderr.contains("see `ringmq consume --help`") && usage.stderr.lines().count() <= 3,
            () -> "one line and where the help is\n" + usage);
    }

    @Test
    void consumeIntoAClosedPipeAcksOnlyWhatWasWrittenAndGivesTheRestBack() throws Exception
    {
        startDaemon(config);
        final String payload = "x".repeat(1000); // 1,000 lines of ~1 KB: far more than a pipe holds
        run("publish", "p", "--count", "1000", "--payload", payload).assertExit(0);

        final Result piped = startPiped("head -3", "consume", "p", "--timeout-ms", "20000").awaitExit(COMMAND);
        assertEquals(3, piped.stdout.size(), piped::toString);
        assertTrue(piped.stderr.contains("ringmq exit 1") && piped.stderr.contains("output closed"),
            () -> "consume stops with exit 1 when its output is gone\n" + piped);

        // Acked are at most the lines that got into the pipe before head exited (a pipe holds 64 KiB, head reads
        // ahead a little): about 70 lines of these. Everything else is back in the queue, not acked unseen.
        final Result stats = run("stats", "p");
        stats.assertExit(0);
        final Matcher held = Pattern.compile("messages=(\\d+)").matcher(stats.stdout.get(0));
        assertTrue(held.find(), stats::toString);
        final long left = Long.parseLong(held.group(1));
        assertTrue(left >= 1000 - 200, () -> left + " of 1000 messages left: acked without being written\n" + piped);

        final Result rest = run("consume", "p", "--count", String.valueOf(left), "--timeout-ms", "20000");
        rest.assertExit(0);
        assertEquals(left, rest.stdout.size(), "every message left is delivered at once: none held by the first");
    }

    @Test
    void sigtermOnConsumeClosesItsSessionSoNothingWaitsForAGhost() throws Exception
    {
        startDaemon(config);
        run("publish", "g", "--count", "1").assertExit(0);
        final Cli consumer = start(config, "consume", "g");
        consumer.awaitStdoutLine((line) -> line.startsWith("1\t"), COMMAND);

        assertTrue(consumer.process.toHandle().destroy(), "SIGTERM sent");
        final Result stopped = consumer.awaitExit(COMMAND);
        stopped.assertExit(143);
        assertTrue(stopped.stderr.contains("stopped by SIGTERM after 1 messages"), stopped::toString);

        // A consumer that only died would stay subscribed until its session timed out (~10 s), holding what the
        // group sends it; a closed one takes nothing more.
        run("publish", "g", "--count", "1").assertExit(0);
        final Result next = run("consume", "g", "--count", "1", "--timeout-ms", "3000");
        next.assertExit(0);
        assertEquals(List.of("2\tmessage-1"), next.stdout);
    }

    @Test
    void linesFromAFileGoOutEscapedOrAsBase64AndDrainEndsWhenNothingIsLeft() throws Exception
    {
        startDaemon(config);
        final Path lines = Files.writeString(tempDir.resolve("lines.txt"), "plain\ntab\there\nback\\slash\n");

        final Result quiet = run("publish", "f", "--payload-file", lines.toString(), "--quiet");
        quiet.assertExit(0);
        assertEquals(List.of(), quiet.stdout, "--quiet prints no receipt lines");
        assertTrue(quiet.stderr.contains("ringmq: published 3 messages in "), () -> "the summary\n" + quiet);
        run("publish", "f", "--payload-file", lines.toString(), "--count", "2").assertExit(2);
        run("declare", "group", "f", "text").assertExit(0); // both groups get every message held
        run("declare", "group", "f", "b64").assertExit(0);

        final Result text = run("consume", "f", "--group", "text", "--drain");
        text.assertExit(0);
        assertEquals(List.of("1\tplain", "2\ttab\\there", "3\tback\\\\slash"), text.stdout,
            () -> "one line per message, a tab and a backslash escaped\n" + text);
        assertTrue(text.stderr.contains("ringmq: consumed 3 messages in "), text::toString);

        final Result base64 = run("consume", "f", "--group", "b64", "--drain", "--payload-format", "base64");
        base64.assertExit(0);
        assertEquals("2\t" + java.util.Base64.getEncoder().encodeToString("tab\there".getBytes(StandardCharsets.UTF_8)),
            base64.stdout.get(1), base64::toString);
    }

    @Test
    void noAckWithoutACountGoesOnPastItsPrefetchAndAQuietWaitSaysWhy() throws Exception
    {
        startDaemon(config);
        run("publish", "na", "--count", "30", "--quiet").assertExit(0);

        // Nothing is settled, so a prefetch window would stop it at 10 with 20 messages ready.
        final Result all = run("consume", "na", "--no-ack", "--prefetch", "10", "--timeout", "2s");
        all.assertExit(1); // it ends by its timeout
        assertEquals(30, all.stdout.size(), all::toString);

        // A new group after the others finished gets nothing: after a while, the command says why instead of
        // waiting in silence.
        run("publish", "done", "--count", "5", "--quiet").assertExit(0);
        run("consume", "done", "--count", "5").assertExit(0);
        final Cli waiting = start(config, "consume", "done", "--group", "later");
        awaitStderr(waiting, "nothing for group 'later' for 5 s; queue 'done' holds 0 messages");
        awaitStderr(waiting, "--from oldest");
        waiting.kill();
    }

    @Test
    void aRetainingQueueIsReadAgainByANewGroupFromTheOldestAndBySeekingAGroupBack() throws Exception
    {
        startDaemon(config);
        run("declare", "queue", "kept", "--retain-ms", "3600000", "--retain-bytes", "1000000").assertExit(0);
        run("publish", "kept", "--count", "3", "--quiet").assertExit(0);
        final Result first = run("consume", "kept", "--count", "3");
        first.assertExit(0);
        assertEquals(List.of("1\tmessage-1", "2\tmessage-2", "3\tmessage-3"), first.stdout, first::toString);

        final Result fromOldest = run("consume", "kept", "--group", "audit", "--from", "oldest", "--count", "3");
        fromOldest.assertExit(0);
        assertEquals(first.stdout, fromOldest.stdout, fromOldest::toString);

        final Result sought = run("seek", "kept", "--group", "default", "--to-seq", "2");
        sought.assertExit(0);
        assertEquals(List.of("sought 2"), sought.stdout, sought::toString);
        final Result again = run("consume", "kept", "--count", "2", "--json");
        again.assertExit(0);
        assertEquals("2", parseFlatJson(again.stdout.get(0)).get("seq"));
        assertEquals("1", parseFlatJson(again.stdout.get(0)).get("attempt"), "a seek delivers anew");

        // Every place of issue 16's contract, declare group --start and seek, as a user types it.
        run("publish", "kept", "--payload", "fourth", "--quiet").assertExit(0);
        run("declare", "group", "kept", "late", "--start", "seq:3").assertExit(0);
        final Result late = run("consume", "kept", "--group", "late", "--count", "2");
        assertEquals(List.of("3\tmessage-3", "4\tfourth"), late.stdout, late::toString);
        run("declare", "group", "kept", "fresh", "--start", "newest").assertExit(0);
        run("consume", "kept", "--group", "fresh", "--count", "1", "--timeout-ms", "1000").assertExit(1);
        run("declare", "group", "kept", "then", "--start",
            "time:" + java.time.Instant.now().minus(java.time.Duration.ofHours(1))).assertExit(0);
        assertEquals(4, run("consume", "kept", "--group", "then", "--count", "4").stdout.size());

        assertEquals(List.of("sought 0"), run("seek", "kept", "--group", "default", "--newest").stdout);
        run("consume", "kept", "--count", "1", "--timeout-ms", "1000").assertExit(1);
        final String anHourAgo = java.time.Instant.now().minus(java.time.Duration.ofHours(1)).toString();
        assertEquals(List.of("sought 4"), run("seek", "kept", "--group", "default", "--to-time", anHourAgo).stdout);
        assertEquals(List.of("1\tmessage-1", "2\tmessage-2", "3\tmessage-3", "4\tfourth"),
            run("consume", "kept", "--count", "4").stdout);
        assertEquals(List.of("sought 4"), run("seek", "kept", "--group", "default", "--oldest").stdout);

        run("seek", "kept", "--group", "nobody", "--oldest").assertExit(1);
        run("seek", "kept", "--group", "default").assertExit(2); // one of the places is required
        run("seek", "kept", "--group", "default", "--to-time", "yesterday").assertExit(2);
        run("declare", "group", "kept", "late", "--start", "sometime").assertExit(2);
        run("consume", "kept", "--from", "sometime").assertExit(2);
    }

    /** Waits, with a deadline, until a line the process wrote on stderr contains {@code text}. */
    private static void awaitStderr(final Cli cli, final String text) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + COMMAND.toNanos();
        while (cli.stderr.stream().noneMatch((line) -> line.contains(text)))
        {
            if (System.nanoTime() - deadlineNs > 0 || !cli.process.isAlive())
            {
                fail("no stderr line with: " + text + "\n" + cli);
            }
            Thread.sleep(20); // polling the process's output, not waiting out a time
        }
    }

    @Test
    void badConfigValueExitsTwoBeforeTouchingData() throws Exception
    {
        final Path badData = tempDir.resolve("bad-data");
        final Path bad = writeConfig("bad.properties", badData, Map.of("ringmq.ring.size", "1000"));
        final Path badAeronDir = aeronDirs.get(aeronDirs.size() - 1);

        final Result daemon = run(bad, "daemon");
        daemon.assertExit(2);
        assertTrue(daemon.stderr.contains("ringmq.ring.size") && daemon.stderr.contains("1000"),
            () -> "stderr names the key and the value\n" + daemon);
        assertFalse(daemon.stdout.stream().anyMatch((line) -> line.contains("ringmq daemon running")),
            daemon::toString);
        assertFalse(Files.exists(badData), "the data directory must not be created");
        assertFalse(Files.exists(badAeronDir), "the Aeron directory must not be created");
    }

    @Test
    void everyGroupGetsEveryMessage() throws Exception
    {
        startDaemon(config);
        // A group gets what is published while it exists (and what is still retained when it starts). A consume
        // --create that subscribes and times out creates one (and the queue); two at once, to save a JVM start.
        final Cli createBilling =
            start(config, "consume", "f", "--create", "--group", "billing", "--timeout-ms", "300");
        final Cli createAudit = start(config, "consume", "f", "--create", "--group", "audit", "--timeout-ms", "300");
        createBilling.awaitExit(COMMAND).assertExit(1);
        createAudit.awaitExit(COMMAND).assertExit(1);

        run("publish", "f", "--count", "10").assertExit(0);

        final Cli billing = startConsumer("f", "billing", 10, 20000);
        final Cli audit = startConsumer("f", "audit", 10, 20000);
        final List<String> expected = LongStream.rangeClosed(1, 10).mapToObj((n) -> n + "\tmessage-" + n).toList();
        for (final Cli consumer : List.of(billing, audit))
        {
            final Result result = consumer.awaitExit(COMMAND);
            result.assertExit(0);
            assertEquals(expected, result.stdout, result::toString);
        }
    }

    @Test
    void consumersInOneGroupShareTheMessages() throws Exception
    {
        startDaemon(config);
        run("publish", "w", "--count", "10").assertExit(0);

        // Each pulls exactly five (credit for its --count), so the two split the ten between them.
        final Cli first = startConsumer("w", "workers", 5, 20000);
        final Cli second = startConsumer("w", "workers", 5, 20000);
        final List<Long> seen = new ArrayList<>();
        for (final Cli consumer : List.of(first, second))
        {
            final Result result = consumer.awaitExit(COMMAND);
            result.assertExit(0);
            assertEquals(5, result.stdout.size(), result::toString);
            for (final String line : result.stdout)
            {
                final String[] fields = line.split("\t", 2);
                assertEquals("message-" + fields[0], fields[1], line);
                seen.add(Long.parseLong(fields[0]));
            }
        }
        assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), seen.stream().sorted().toList(),
            "together the two consumers got every message exactly once");

        final Result empty = run("consume", "w", "--group", "workers", "--count", "1", "--timeout-ms", "1000");
        empty.assertExit(1);
        assertEquals(List.of(), empty.stdout, "both consumers acked what they printed");
    }

    /**
     * Issue 17: {@code stat --json}, another process reading the daemon's counters from its Aeron directory's CnC file
     * (no client connects), agrees with what was published, acked, nacked and dead-lettered, and with the errors
     * answered; the text table names the same fields. Counters are copied at a bounded rate: waited for with a
     * deadline.
     */
    @Test
    void statReadsTheCountersOfARunningDaemonFromAnotherProcess() throws Exception
    {
        assertNoDaemon(run("stat"));
        final Path oneAttempt =
            writeConfig("one-attempt.properties", dataDir, Map.of("ringmq.queue.max.attempts", "1"));
        startDaemon(oneAttempt);
        run(oneAttempt, "publish", "s", "--count", "5").assertExit(0);
        run(oneAttempt, "consume", "s", "--count", "3").assertExit(0);
        run(oneAttempt, "consume", "s", "--count", "2", "--nack").assertExit(0); // one attempt: to s.dlq
        run(oneAttempt, "consume", "nope", "--timeout-ms", "1000").assertExit(1); // UNKNOWN_QUEUE

        final Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("queues.s.published", 5L);
        expected.put("queues.s.delivered", 5L);
        expected.put("queues.s.acked", 3L);
        expected.put("queues.s.nacked", 2L);
        expected.put("queues.s.dead_lettered", 2L);
        expected.put("queues.s.redelivered", 0L);
        expected.put("queues.s.depth", 0L);
        expected.put("queues.s.in_flight", 0L);
        expected.put("queues.s.dlq.published", 2L);
        expected.put("queues.s.dlq.depth", 2L);
        expected.put("groups.s/default.lag", 0L);
        expected.put("groups.s/default.consumers", 0L);
        expected.put("errors.UNKNOWN_QUEUE", 1L);
        expected.put("daemon.ring_remaining", 1024L);
        expected.put("stages.publish_to_deliver.count", 5L); // first attempts
        expected.put("stages.deliver_to_ack.count", 3L);
        Map<String, Long> stat = Map.of();
        final long deadlineNs = System.nanoTime() + COMMAND.toNanos();
        while (!stat.entrySet().containsAll(expected.entrySet()) && System.nanoTime() - deadlineNs < 0)
        {
            final Result json = run(oneAttempt, "stat", "--json");
            json.assertExit(0);
            assertEquals(1, json.stdout.size(), json::toString);
            stat = parseStat(json.stdout.get(0));
        }
        final Map<String, Long> last = stat;
        expected.forEach((field, value) -> assertEquals(value, last.get(field), () -> field + " in " + last));
        assertTrue(last.get("queues.s.dlq.oldest_age_ms") >= 0, last::toString);
        assertTrue(last.get("daemon.journal_position") > 0, last::toString);
        assertTrue(last.containsKey("daemon.journal_syncs") && last.containsKey("daemon.snapshots") &&
            last.containsKey("daemon.sessions") && last.containsKey("daemon.frames_refused"), last::toString);
        // Stage latencies, read by this other process too; the publishes' second is long over: its percentiles show.
        assertTrue(last.get("stages.ingress_to_journaled.count") >= 5, last::toString);
        assertTrue(last.get("stages.ingress_to_dispatched.p99_ns") > 0, last::toString);
        assertEquals(0L, last.get("stages.ingress_to_replicated.count"), last::toString);

        final Result text = run(oneAttempt, "stat");
        text.assertExit(0);
        assertTrue(text.stdout.get(0).matches("queue +depth +bytes +in_flight +published +delivered +acked +nacked " +
            "+redelivered +expired +dead_lettered +oldest_age_ms"), text::toString);
        assertTrue(text.stdout.stream().anyMatch((line) -> line.matches("s +0 +0 +0 +5 +5 +3 +2 +0 +0 +2 +0")),
            text::toString);
        assertTrue(text.stdout.stream().anyMatch((line) -> line.matches("UNKNOWN_QUEUE +1")), text::toString);

        // --watch refreshes until stopped: a JSON object per refresh, and SIGTERM ends it with 0.
        final Cli watch = start(oneAttempt, "stat", "--watch", "--json", "--interval", "100ms");
        for (int i = 0; i < 3; i++)
        {
            watch.awaitStdoutLine((line) -> line.startsWith("{\"queues\":[{\"queue\":\"s\""), COMMAND);
        }
        assertTrue(watch.process.toHandle().destroy(), "SIGTERM sent");
        watch.awaitExit(COMMAND).assertExit(0);
    }

    /**
     * {@code stat --json} as flat names: "queues.Q.field", "groups.Q/G.field", "daemon.field", "errors.CODE",
     * "stages.STAGE.field".
     */
    private static Map<String, Long> parseStat(final String line) throws IOException
    {
        final Map<String, Long> fields = new HashMap<>();
        try (JsonParser parser = JSON.createParser(line))
        {
            assertEquals(JsonToken.START_OBJECT, parser.nextToken(), line);
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String section = parser.currentName();
                if (JsonToken.START_ARRAY == parser.nextToken())
                {
                    while (parser.nextToken() == JsonToken.START_OBJECT)
                    {
                        final Map<String, String> row = new LinkedHashMap<>();
                        readFields(parser, "", row, line);
                        final String group = row.remove("group");
                        final String stage = row.remove("stage");
                        final String name =
                            null != stage ? stage : row.remove("queue") + (null == group ? "" : "/" + group);
                        row.forEach((field, value) ->
                            fields.put(section + "." + name + "." + field, Long.valueOf(value)));
                    }
                }
                else
                {
                    final Map<String, String> object = new LinkedHashMap<>();
                    readFields(parser, "", object, line);
                    object.forEach((field, value) -> fields.put(section + "." + field, Long.valueOf(value)));
                }
            }
        }
        return fields;
    }

    // ------------------------------------------------------------------------------------------------------------

    private Cli startDaemon(final Path configFile)
    {
        final Cli daemon = start(configFile, "daemon");
        daemon.awaitStdoutLine((line) -> line.contains("ringmq daemon running"), DAEMON_START);
        return daemon;
    }

    /**
     * SIGTERM; the daemon must drain, say so and exit 0. Sent through the process handle: {@link Process#destroy()}
     * sends the same signal but also closes our end of the process's stdout, losing what it prints while stopping.
     */
    private static void stopDaemon(final Cli daemon)
    {
        assertTrue(daemon.process.toHandle().destroy(), "SIGTERM sent");
        final Result stopped = daemon.awaitExit(COMMAND);
        stopped.assertExit(0);
        assertTrue(stopped.stdout.contains("ringmq daemon stopped"), stopped::toString);
    }

    private static void assertNoDaemon(final Result result)
    {
        result.assertExit(1);
        assertTrue(result.stderr.contains("no ringmq daemon is running"), result::toString);
        assertTrue(result.elapsed.compareTo(NO_DAEMON) < 0, () -> "took " + result.elapsed + "\n" + result);
    }

    private Cli startConsumer(final String queue, final String group, final int count, final int timeoutMs)
    {
        return start(config, "consume", queue, "--group", group, "--count", String.valueOf(count),
            "--timeout-ms", String.valueOf(timeoutMs));
    }

    private Result run(final String... args)
    {
        return run(config, args);
    }

    private Result run(final Path configFile, final String... args)
    {
        return start(configFile, args).awaitExit(COMMAND);
    }

    private Cli start(final Path configFile, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add("bash");
        command.add(repoRoot.resolve("bin/ringmq").toString());
        command.addAll(List.of(args));
        command.add("--config");
        command.add(configFile.toString());
        return launch(command, args);
    }

    /**
     * {@code bin/ringmq ARGS | PIPE_TO} in a shell, as a user types it; the command's own exit code is printed on
     * stderr as {@code ringmq exit N} (the pipeline's is the last command's).
     */
    private Cli startPiped(final String pipeTo, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add("bash");
        command.add("-c");
        command.add("bash \"$0\" \"$@\" | " + pipeTo + "; echo \"ringmq exit ${PIPESTATUS[0]}\" >&2");
        command.add(repoRoot.resolve("bin/ringmq").toString());
        command.addAll(List.of(args));
        command.add("--config");
        command.add(config.toString());
        return launch(command, args);
    }

    private Cli launch(final List<String> command, final String... args)
    {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(repoRoot.toFile());
        // The same JDK as this test; no inherited -D overrides. A small pre-touched heap keeps the daemon quick to
        // start on a small machine (and shows the launcher honours RINGMQ_JAVA_OPTS).
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("RINGMQ_JAVA_OPTS", "daemon".equals(args[0]) ? "-Xms64m -Xmx512m" : "");
        try
        {
            final Cli cli = new Cli(String.join(" ", args), builder.start());
            started.add(cli);
            return cli;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private Path writeConfig(final String name, final Path data, final Map<String, String> extra) throws IOException
    {
        final Path shm = Path.of("/dev/shm");
        final Path aeronDir = (Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")))
            .resolve("ringmq-test-" + UUID.randomUUID());
        aeronDirs.add(aeronDir);

        final Map<String, String> values = new LinkedHashMap<>();
        values.put("ringmq.data.dir", data.toString());
        values.put("ringmq.aeron.dir", aeronDir.toString());
        values.put("ringmq.aeron.ipc.term.length", "1m");
        values.put("ringmq.max.message.bytes", "128k");
        values.put("ringmq.ring.size", "1024");
        values.put("ringmq.client.connect.timeout", "2s");
        values.putAll(extra);

        final Path file = tempDir.resolve(name);
        Files.write(file, values.entrySet().stream().map((e) -> e.getKey() + "=" + e.getValue()).toList());
        return file;
    }

    private static List<String> numbered(final String prefix, final int count)
    {
        return LongStream.rangeClosed(1, count).mapToObj((n) -> prefix + n).toList();
    }

    /**
     * A JSON object as field name to text of its scalar value (numbers as written, null as "null"); a nested object's
     * fields under "name.field".
     */
    private static Map<String, String> parseFlatJson(final String line) throws IOException
    {
        final Map<String, String> fields = new HashMap<>();
        try (JsonParser parser = JSON.createParser(line))
        {
            assertEquals(JsonToken.START_OBJECT, parser.nextToken(), line);
            readFields(parser, "", fields, line);
            assertEquals(null, parser.nextToken(), () -> "one object per line: " + line);
        }
        return fields;
    }

    private static void readFields(
        final JsonParser parser, final String prefix, final Map<String, String> fields, final String line)
        throws IOException
    {
        while (parser.nextToken() == JsonToken.FIELD_NAME)
        {
            final String name = prefix + parser.currentName();
            final JsonToken value = parser.nextToken();
            if (JsonToken.START_OBJECT == value)
            {
                readFields(parser, name + ".", fields, line);
                continue;
            }
            assertTrue(value.isScalarValue(), () -> name + " is not a scalar in " + line);
            fields.put(name, parser.getText());
        }
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

    /** What a finished command did. */
    private record Result(String command, int exitCode, List<String> stdout, String stderr, Duration elapsed)
    {
        void assertExit(final int expected)
        {
            assertEquals(expected, exitCode, this::toString);
        }

        public String toString()
        {
            return "`ringmq " + command + "` exited " + exitCode + " after " + elapsed.toMillis() + " ms\n" +
                "--- stdout ---\n" + String.join("\n", stdout) + "\n--- stderr ---\n" + stderr;
        }
    }

    /** A started {@code bin/ringmq} process whose stdout and stderr are read as they come. */
    private static final class Cli
    {
        private final String command;
        private final Process process;
        private final long startNs = System.nanoTime();
        private final BlockingQueue<String> pendingStdout = new LinkedBlockingQueue<>();
        private final List<String> stdout = new CopyOnWriteArrayList<>();
        private final List<String> stderr = new CopyOnWriteArrayList<>();
        private final Thread stdoutReader;
        private final Thread stderrReader;

        Cli(final String command, final Process process) throws IOException
        {
            this.command = command;
            this.process = process;
            process.getOutputStream().close();
            stdoutReader = reader(process.getInputStream(), (line) ->
            {
                stdout.add(line);
                pendingStdout.add(line);
            }, "stdout");
            stderrReader = reader(process.getErrorStream(), stderr::add, "stderr");
        }

        private Thread reader(final InputStream in, final java.util.function.Consumer<String> sink, final String name)
        {
            final Thread thread = new Thread(() ->
            {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
                {
                    String line;
                    while (null != (line = lines.readLine()))
                    {
                        sink.accept(line);
                    }
                }
                catch (final IOException ignore)
                {
                    // the process was killed; what was read is kept
                }
            }, "ringmq " + command + " " + name);
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        /**
         * The next stdout line (not returned before) that matches, waiting at most {@code timeout}; fails the test
         * if none comes in time or the process exits first.
         */
        String awaitStdoutLine(final Predicate<String> matching, final Duration timeout)
        {
            final long deadlineNs = System.nanoTime() + timeout.toNanos();
            try
            {
                while (true)
                {
                    final String line = pendingStdout.poll(
                        Math.max(0, Math.min(deadlineNs - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100))),
                        TimeUnit.NANOSECONDS);
                    if (null != line)
                    {
                        if (matching.test(line))
                        {
                            return line;
                        }
                        continue;
                    }
                    if (!process.isAlive())
                    {
                        stdoutReader.join(TimeUnit.SECONDS.toMillis(5));
                        if (pendingStdout.isEmpty())
                        {
                            return fail("the process exited before the expected line\n" + snapshot());
                        }
                        continue;
                    }
                    if (System.nanoTime() - deadlineNs >= 0)
                    {
                        return fail("no expected line within " + timeout.toMillis() + " ms\n" + snapshot());
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }

        /** Waits for the process to exit (failing, and killing it, after the timeout) and reads all its output. */
        Result awaitExit(final Duration timeout)
        {
            try
            {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                {
                    final String snapshot = snapshot();
                    kill();
                    return fail("still running after " + timeout.toMillis() + " ms\n" + snapshot);
                }
                final Duration elapsed = Duration.ofNanos(System.nanoTime() - startNs);
                stdoutReader.join(TimeUnit.SECONDS.toMillis(5));
                stderrReader.join(TimeUnit.SECONDS.toMillis(5));
                return new Result(command, process.exitValue(), List.copyOf(stdout),
                    String.join("\n", stderr), elapsed);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }

        void kill() throws InterruptedException
        {
            if (process.isAlive())
            {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }

        private String snapshot()
        {
            return "`ringmq " + command + "` (" + (process.isAlive() ? "running" : "exit " + process.exitValue()) +
                ")\n--- stdout ---\n" + String.join("\n", stdout) + "\n--- stderr ---\n" + String.join("\n", stderr);
        }

        public String toString()
        {
            return snapshot();
        }
    }
}
