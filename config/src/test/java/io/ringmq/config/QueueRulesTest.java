package io.ringmq.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueRulesTest {

    @TempDir
    Path dir;

    private Path write(String... lines) throws IOException {
        return Files.write(dir.resolve("ringmq.properties"), List.of(lines));
    }

    @Test
    void rulesAreReadAndOrderedMostSpecificFirst() throws IOException {
        Path file = write(
                "ringmq.queues.*.max.attempts=10",
                "ringmq.queues.orders.*.visibility.timeout=5s",
                "ringmq.queues.orders.*.backoff=exponential:100ms:30s",
                "ringmq.queues.orders.eu.strategy=least-outstanding",
                "ringmq.queues.orders.eu.backoff=fixed:250ms",
                "ringmq.queues.o*.backoff=none");

        List<QueueRule> rules = TestEnv.load(file, TestEnv.props()).queueRules();

        assertEquals(List.of("orders.eu", "orders.*", "o*", "*"), rules.stream().map(QueueRule::pattern).toList());
        assertEquals(new QueueRule("orders.eu", 0, 0, QueueRule.Backoff.FIXED, ms(250), 0,
                QueueRule.Strategy.LEAST_OUTSTANDING), rules.get(0));
        assertEquals(new QueueRule("orders.*", ms(5000), 0, QueueRule.Backoff.EXPONENTIAL, ms(100), ms(30_000),
                QueueRule.Strategy.UNSET), rules.get(1));
        assertEquals(QueueRule.Backoff.NONE, rules.get(2).backoff());
        assertEquals(10, rules.get(3).maxAttempts());
    }

    @Test
    void suffixPatternsComeAfterPrefixesAndBeforeEveryQueue() throws IOException {
        Path file = write(
                "ringmq.queues.*.max.attempts=10",
                "ringmq.queues.*.dlq.max.messages=10000",
                "ringmq.queues.*q.max.messages=5",
                "ringmq.queues.o*.backoff=none",
                "ringmq.queues.orders.dlq.max.bytes=1m");

        List<QueueRule> rules = TestEnv.load(file, TestEnv.props()).queueRules();

        assertEquals(List.of("orders.dlq", "o*", "*.dlq", "*q", "*"), rules.stream().map(QueueRule::pattern).toList());
        assertEquals(List.of(QueueRule.PatternKind.NAME, QueueRule.PatternKind.PREFIX, QueueRule.PatternKind.SUFFIX,
                QueueRule.PatternKind.SUFFIX, QueueRule.PatternKind.EVERY_QUEUE),
                rules.stream().map(QueueRule::kind).toList());
        assertEquals(10_000, rules.get(2).limits().maxMessages());
    }

    @Test
    void aPatternHasOneStarAtEitherEnd() throws IOException {
        List<String> bad = List.of("ringmq.queues.*orders*.max.attempts=2", "ringmq.queues.or*ders.max.attempts=2",
                "ringmq.queues.**.max.attempts=2", "ringmq.queues.*bad/name.max.attempts=2");
        Path file = write(bad.toArray(String[]::new));

        ConfigException e = assertThrows(ConfigException.class, () -> TestEnv.load(file, TestEnv.props()));

        for (String key : bad) {
            assertTrue(e.getMessage().contains(key + " is invalid: '"), key + " not reported in:\n" + e.getMessage());
        }
    }

    @Test
    void aSystemPropertyOverridesOneSettingOfAFileRule() throws IOException {
        Path file = write("ringmq.queues.orders.max.attempts=3", "ringmq.queues.orders.visibility.timeout=1s");

        List<QueueRule> rules =
                TestEnv.load(file, TestEnv.props("ringmq.queues.orders.max.attempts", "7")).queueRules();

        assertEquals(List.of(new QueueRule("orders", ms(1000), 7, QueueRule.Backoff.UNSET, 0, 0,
                QueueRule.Strategy.UNSET)), rules);
    }

    @Test
    void limitsAreRead() throws IOException {
        Path file = write(
                "ringmq.queues.orders.max.age=1h",
                "ringmq.queues.orders.max.messages=100000",
                "ringmq.queues.orders.max.bytes=512m",
                "ringmq.queues.orders.expired=drop",
                "ringmq.queues.orders.overflow=reject-publish",
                "ringmq.queues.*.max.messages=none",
                "ringmq.queues.*.overflow=dead-letter");

        List<QueueRule> rules = TestEnv.load(file, TestEnv.props()).queueRules();

        assertEquals(new QueueRule.Limits(TimeUnit.HOURS.toNanos(1), 100_000, 512L << 20, QueueRule.LimitAction.DROP,
                QueueRule.LimitAction.REJECT_PUBLISH), rules.get(0).limits());
        assertEquals(new QueueRule.Limits(0, QueueRule.NO_LIMIT, 0, QueueRule.LimitAction.UNSET,
                QueueRule.LimitAction.DEAD_LETTER), rules.get(1).limits());
        assertEquals("orders: max.age=1h max.messages=100000 max.bytes=512m expired=drop overflow=reject-publish",
                rules.get(0).describe());
    }

    @Test
    void badLimitsAreReported() throws IOException {
        List<String> bad = List.of("ringmq.queues.a.max.age=0", "ringmq.queues.a.max.messages=-3",
                "ringmq.queues.a.max.bytes=lots", "ringmq.queues.a.expired=reject-publish",
                "ringmq.queues.a.overflow=explode", "ringmq.queues.b.max.age=366d",
                "ringmq.queues.b.max.messages=2000000000");
        Path file = write(bad.toArray(String[]::new));

        ConfigException e = assertThrows(ConfigException.class, () -> TestEnv.load(file, TestEnv.props()));

        for (String key : bad) {
            assertTrue(e.getMessage().contains(key + " is invalid"), key + " not reported in:\n" + e.getMessage());
        }
    }

    @Test
    void everyBadRuleIsReportedAtOnce() throws IOException {
        Path file = write(
                "ringmq.queues.orders.visibility.timeout=0",
                "ringmq.queues.orders.max.attempts=many",
                "ringmq.queues.orders.backoff=fixed",
                "ringmq.queues.payments.backoff=exponential:1s:100ms",
                "ringmq.queues.payments.strategy=random",
                "ringmq.queues.bad/name.max.attempts=2",
                "ringmq.queues.orders.colour=blue",
                "ringmq.queues.x.visibility.timeout=13h");

        ConfigException e = assertThrows(ConfigException.class, () -> TestEnv.load(file, TestEnv.props()));

        String message = e.getMessage();
        for (String key : List.of("ringmq.queues.orders.visibility.timeout=0", "ringmq.queues.orders.max.attempts=many",
                "ringmq.queues.orders.backoff=fixed", "ringmq.queues.payments.backoff=exponential:1s:100ms",
                "ringmq.queues.payments.strategy=random", "ringmq.queues.bad/name.max.attempts=2",
                "ringmq.queues.orders.colour=blue", "ringmq.queues.x.visibility.timeout=13h")) {
            assertTrue(message.contains(key + " is invalid"), key + " not reported in:\n" + message);
        }
    }

    @Test
    void theDescriptionListsTheRules() throws IOException {
        Path file = write("ringmq.queues.orders.backoff=exponential:100ms:30s", "ringmq.queues.orders.max.attempts=3");

        String described = TestEnv.load(file, TestEnv.props()).describe();

        assertTrue(described.contains("queue rule orders: max.attempts=3 backoff=exponential:100ms:30s"), described);
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
