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
    void aSystemPropertyOverridesOneSettingOfAFileRule() throws IOException {
        Path file = write("ringmq.queues.orders.max.attempts=3", "ringmq.queues.orders.visibility.timeout=1s");

        List<QueueRule> rules =
                TestEnv.load(file, TestEnv.props("ringmq.queues.orders.max.attempts", "7")).queueRules();

        assertEquals(List.of(new QueueRule("orders", ms(1000), 7, QueueRule.Backoff.UNSET, 0, 0,
                QueueRule.Strategy.UNSET)), rules);
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
