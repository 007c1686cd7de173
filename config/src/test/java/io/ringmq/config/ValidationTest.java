package io.ringmq.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole-config checks: cross-key rules, unknown keys, several problems at once. */
class ValidationTest {

    private static final String SYS = " (from system property)";

    @Test
    void messageMatchesTheDocumentedShape() {
        assertTrue(TestEnv.problems("ringmq.ring.size", "1000")
                .startsWith("ringmq.ring.size=1000 is invalid: must be a power of two between 64 and 67108864"));
    }

    @Test
    void maxMessageMayBeAnEighthOfTheTerm() {
        RingmqConfig config = TestEnv.load("ringmq.aeron.ipc.term.length", "64k", "ringmq.max.message.bytes", "8k");
        assertEquals(8192, config.maxMessageBytes());
        // the defaults sit exactly on the limit: 1m = 8m / 8
        assertEquals(TestEnv.load().aeronIpcTermLength() / 8, TestEnv.load().maxMessageBytes());
    }

    @Test
    void maxMessageLargerThanAnEighthOfTheTermNamesBothKeys() {
        assertEquals("ringmq.max.message.bytes=8193 is invalid: must be at most ringmq.aeron.ipc.term.length / 8, "
                        + "which is 8k for ringmq.aeron.ipc.term.length=64k" + SYS,
                TestEnv.problems("ringmq.aeron.ipc.term.length", "64k", "ringmq.max.message.bytes", "8193"));
    }

    @Test
    void shrinkingTheTermAloneBreaksTheDefaultMessageLimit() {
        String message = TestEnv.problems("ringmq.aeron.ipc.term.length", "4m");
        assertEquals("ringmq.max.message.bytes=1m is invalid: must be at most ringmq.aeron.ipc.term.length / 8, "
                + "which is 512k for ringmq.aeron.ipc.term.length=4m (default)", message);
    }

    @Test
    void maxMessageHasItsOwnRange() {
        assertEquals("ringmq.max.message.bytes=0 is invalid: must be between 1 and 4m" + SYS,
                TestEnv.problems("ringmq.max.message.bytes", "0"));
        assertEquals("ringmq.max.message.bytes=5m is invalid: must be between 1 and 4m" + SYS,
                TestEnv.problems("ringmq.aeron.ipc.term.length", "1g", "ringmq.max.message.bytes", "5m"));
        assertEquals(4 * 1024 * 1024, TestEnv.load("ringmq.aeron.ipc.term.length", "32m",
                "ringmq.response.max.term.length", "32m", "ringmq.max.message.bytes", "4m").maxMessageBytes());
    }

    /** A cap below what the largest frame needs would refuse every response channel that names its term-length. */
    @Test
    void responseTermCapMustCarryTheLargestFrame() {
        assertEquals("ringmq.response.max.term.length=16m is invalid: must be at least 8 x ringmq.max.message.bytes, "
                        + "which is 32m (default)",
                TestEnv.problems("ringmq.aeron.ipc.term.length", "32m", "ringmq.max.message.bytes", "4m"));
        assertEquals(8 << 20, TestEnv.load("ringmq.response.max.term.length", "8m").responseMaxTermLength());
    }

    @Test
    void limitsOnClientsHaveTheirRanges() {
        assertEquals("ringmq.max.sessions=0 is invalid: must be between 1 and 65536" + SYS,
                TestEnv.problems("ringmq.max.sessions", "0"));
        assertEquals("ringmq.max.queues=0 is invalid: must be between 1 and 10000000" + SYS,
                TestEnv.problems("ringmq.max.queues", "0"));
        assertEquals("ringmq.max.consumers.per.session=0 is invalid: must be between 1 and 1000000" + SYS,
                TestEnv.problems("ringmq.max.consumers.per.session", "0"));
        assertEquals("ringmq.response.max.term.length=3m is invalid: must be a power of two between 64k and 1g" + SYS,
                TestEnv.problems("ringmq.response.max.term.length", "3m"));
        assertEquals("ringmq.response.allowed.hosts=a b is invalid: must be empty or host names and IP addresses "
                        + "separated by commas" + SYS,
                TestEnv.problems("ringmq.response.allowed.hosts", "a b"));
        RingmqConfig config = TestEnv.load("ringmq.max.connects.per.second", "0", "ringmq.queue.max.bytes", "0",
                "ringmq.response.allowed.hosts", " Gateway.example, 10.0.0.5,[::1] ");
        assertEquals(0, config.maxConnectsPerSecond(), "no limit");
        assertEquals(0, config.queueMaxBytes(), "no bound");
        assertEquals(List.of("gateway.example", "10.0.0.5", "[::1]"), config.responseAllowedHosts());
    }

    @Test
    void crossRuleIsSkippedWhenAKeyItReadsIsInvalid() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TestEnv.load("ringmq.aeron.ipc.term.length", "3m", "ringmq.max.message.bytes", "4m",
                        "ringmq.response.max.term.length", "32m"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().startsWith("ringmq.aeron.ipc.term.length=3m"), e.getMessage());
    }

    @Test
    void unknownRingmqKeySuggestsTheClosestKnownKey() {
        assertEquals("ringmq.ring.sise=1024 is invalid: unknown key; did you mean ringmq.ring.size?" + SYS,
                TestEnv.problems("ringmq.ring.sise", "1024"));
        assertEquals("ringmq.idle.strategies=noop is invalid: unknown key; did you mean ringmq.idle.strategy?" + SYS,
                TestEnv.problems("ringmq.idle.strategies", "noop"));
    }

    @Test
    void unknownRingmqKeyFarFromAnyKnownKeyGetsNoSuggestion() {
        String message = TestEnv.problems("ringmq.queue.orders.visibility.timeout", "30s");
        assertEquals("ringmq.queue.orders.visibility.timeout=30s is invalid: unknown key" + SYS, message);
        assertFalse(message.contains("did you mean"));
    }

    @Test
    void everyProblemIsReportedTogetherOneLineEach() {
        ConfigException e = assertThrows(ConfigException.class, () -> TestEnv.load(
                "ringmq.ring.size", "1000",
                "ringmq.idle.strategy", "fast",
                "ringmq.aeron.embedded", "yes",
                "ringmq.client.connect.timeout", "5 minutes",
                "ringmq.ring.sise", "2048"));

        List<String> expected = List.of(
                "ringmq.aeron.embedded=yes is invalid: must be true or false" + SYS,
                "ringmq.ring.size=1000 is invalid: must be a power of two between 64 and 67108864" + SYS,
                "ringmq.idle.strategy=fast is invalid: must be one of GROWING_BACKOFF, BACKOFF, YIELDING, SLEEPING, BUSY_SPIN, NOOP" + SYS,
                "ringmq.client.connect.timeout=5 minutes is invalid: not " + ValueTypes.DURATION.expected()
                        + "; must be between 100ms and 10m" + SYS,
                "ringmq.ring.sise=2048 is invalid: unknown key; did you mean ringmq.ring.size?" + SYS);
        assertEquals(expected, e.problems());
        assertEquals(String.join("\n", expected), e.getMessage());
    }

    @Test
    void configExceptionIsUncheckedAndNeedsAProblem() {
        assertTrue(RuntimeException.class.isAssignableFrom(ConfigException.class));
        assertEquals(List.of("x"), new ConfigException("x").problems());
        assertThrows(IllegalArgumentException.class, () -> new ConfigException(List.of()));
    }

    @Test
    void queueDefaultsAndTickIntervalHaveTheirRanges() {
        assertEquals("ringmq.queue.max.attempts=0 is invalid: must be between 1 and 1000" + SYS,
                TestEnv.problems("ringmq.queue.max.attempts", "0"));
        assertTrue(TestEnv.problems("ringmq.queue.visibility.timeout", "13h").startsWith(
                "ringmq.queue.visibility.timeout=13h is invalid: must be between"));
        assertTrue(TestEnv.problems("ringmq.tick.interval", "2s").startsWith(
                "ringmq.tick.interval=2s is invalid: must be between"));
        RingmqConfig config = TestEnv.load("ringmq.queue.visibility.timeout", "250ms", "ringmq.queue.max.attempts",
                "3", "ringmq.tick.interval", "5ms");
        assertEquals(250_000_000L, config.queueVisibilityTimeoutNs());
        assertEquals(3, config.queueMaxAttempts());
        assertEquals(5_000_000L, config.tickIntervalNs());
    }
}
