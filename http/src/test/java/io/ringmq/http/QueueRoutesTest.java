package io.ringmq.http;

import io.ringmq.client.GroupListing;
import io.ringmq.client.QueueListing;
import io.ringmq.client.QueueOptions;
import io.ringmq.client.QueueStats;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.BackoffKind;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.LimitAction;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The routes about queues as a whole: health, list, declare, stats, delete, purge, groups. */
class QueueRoutesTest extends HttpFaceFixture
{
    @Test
    void healthSaysWhetherTheServiceHasADaemon()
    {
        final Reply ok = get("/health");
        assertEquals(200, ok.status());
        assertEquals(Map.of("status", "ok"), ok.json());

        service.connected(false);
        final Reply down = get("/health");
        assertEquals(503, down.status());
        assertEquals(Map.of("status", "disconnected"), down.json());
    }

    @Test
    void queuesAreListedWithTheCliFieldNames()
    {
        service.answerWith("queues", List.of(
            new QueueListing("orders", 10, 2, 1, 3, 4, 30_000, 5, BackoffKind.EXPONENTIAL,
                DispatchStrategy.LEAST_OUTSTANDING, 6, 600, 250),
            new QueueListing("orders.dlq", 4, 0, 0, 0, -1, 30_000, 5, BackoffKind.NONE,
                DispatchStrategy.ROUND_ROBIN, 0, 0, 0)));
        final Reply reply = get("/queues?pattern=ord*");
        assertEquals(200, reply.status());
        assertEquals("ord*", service.next("queues").arg(0));

        final Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("queue", "orders");
        expected.put("depth", 10L);
        expected.put("inFlight", 2L);
        expected.put("groups", 1L);
        expected.put("consumers", 3L);
        expected.put("dlqDepth", 4L);
        expected.put("visibilityTimeoutMs", 30_000L);
        expected.put("maxAttempts", 5L);
        expected.put("backoff", "exponential");
        expected.put("strategy", "least-outstanding");
        expected.put("retained", 6L);
        expected.put("retainedBytes", 600L);
        expected.put("delayMs", 250L);
        final Map<String, Object> json = reply.json();
        assertEquals(expected, TestJson.at(json, "queues", 0));
        final Map<String, Object> dlq = TestJson.at(json, "queues", 1);
        assertTrue(dlq.containsKey("dlqDepth"));
        assertEquals(null, dlq.get("dlqDepth"), "no dead-letter queue: null, as ringmq queues --json");
        assertEquals("none", dlq.get("backoff"));
        assertEquals("round-robin", dlq.get("strategy"));

        assertEquals(200, get("/queues").status());
        assertEquals("", service.next("queues").arg(0), "no pattern: every queue");
    }

    @Test
    void declareIs201WhenCreatedAnd200WhenItExists()
    {
        final Reply created = put("/queues/orders", null);
        assertEquals(201, created.status());
        assertEquals(Map.of("queue", "orders", "created", true), created.json());
        final FakeQueueService.Call call = service.next("declareQueue");
        assertEquals("orders", call.arg(0));
        assertEquals(QueueOptions.unset().toString(), call.arg(1).toString(), "nothing given: nothing set");

        service.answerWith("declareQueue", false);
        final Reply exists = put("/queues/orders", "{}");
        assertEquals(200, exists.status());
        assertEquals(Map.of("queue", "orders", "created", false), exists.json());
    }

    @Test
    void declareReadsEverySettingInTheDeclareSpellings()
    {
        assertEquals(201, put("/queues/orders", "{\"visibilityTimeout\":\"30s\",\"maxAttempts\":\"5\"," +
            "\"backoff\":\"exponential:100ms:30s\",\"strategy\":\"least-outstanding\",\"maxAge\":\"1h\"," +
            "\"maxMessages\":\"none\",\"maxBytes\":\"64m\",\"expired\":\"drop\",\"overflow\":\"reject-publish\"," +
            "\"retain\":\"1m\",\"retainBytes\":\"1024\",\"delay\":\"5s\"}").status());
        assertEquals(QueueOptions.unset().visibilityTimeout(Duration.ofSeconds(30)).maxAttempts(5)
            .exponentialBackoff(Duration.ofMillis(100), Duration.ofSeconds(30)).leastOutstanding()
            .maxAge(Duration.ofHours(1)).noMaxMessages().maxBytes(64L << 20).onExpiry(LimitAction.DROP)
            .onOverflow(LimitAction.REJECT_PUBLISH).retainFor(Duration.ofMinutes(1)).retainBytes(1024)
            .delay(Duration.ofSeconds(5)).toString(), service.next("declareQueue").arg(1).toString());
    }

    @Test
    void declareTakesNumbersAsCountsBytesAndMilliseconds()
    {
        assertEquals(201, put("/queues/orders", "{\"visibilityTimeout\":1500,\"maxAttempts\":3,\"maxAge\":60000," +
            "\"maxMessages\":1000,\"maxBytes\":4096,\"retain\":2000,\"retainBytes\":10,\"delay\":250," +
            "\"backoff\":\"fixed:2s\",\"strategy\":\"round-robin\",\"expired\":\"dead-letter\"," +
            "\"overflow\":\"drop\"}").status());
        assertEquals(QueueOptions.unset().visibilityTimeout(Duration.ofMillis(1500)).maxAttempts(3)
            .fixedBackoff(Duration.ofSeconds(2)).roundRobin().maxAge(Duration.ofMinutes(1)).maxMessages(1000)
            .maxBytes(4096).onExpiry(LimitAction.DEAD_LETTER).onOverflow(LimitAction.DROP)
            .retainFor(Duration.ofSeconds(2)).retainBytes(10).delay(Duration.ofMillis(250)).toString(),
            service.next("declareQueue").arg(1).toString());
    }

    @Test
    void retainRetainBytesAndDelayTakeTheConfigFilesSizesAndNone()
    {
        assertEquals(201, put("/queues/orders", "{\"retainBytes\":\"1m\",\"retain\":\"2h\"}").status());
        assertEquals(QueueOptions.unset().retainFor(Duration.ofHours(2)).retainBytes(1L << 20).toString(),
            service.next("declareQueue").arg(1).toString());
        assertEquals(201, put("/queues/orders", "{\"retainBytes\":\"none\",\"retain\":\"none\"," +
            "\"delay\":\"NONE\"}").status());
        assertEquals(QueueOptions.unset().toString(), service.next("declareQueue").arg(1).toString(),
            "none is the daemon's none: not kept, no default delay");

        final String zero = put("/queues/orders", "{\"delay\":0}")
            .isError(400, "BAD_REQUEST", "delay=0 is invalid: must be none or a duration from 1ms to 365 days").body();
        assertFalse(zero.contains("PT0S"), zero);
        put("/queues/orders", "{\"retainBytes\":\"lots\"}")
            .isError(400, "BAD_REQUEST", "retainBytes=lots is invalid: must be none or a size of at least 1 byte");
        assertEquals(0, service.untaken());
    }

    @Test
    void declareRefusesBadSettingsNamingThem()
    {
        put("/queues/orders", "{\"visibilityTimeout\":\"soon\"}").isError(400, "BAD_REQUEST", "visibilityTimeout=soon");
        put("/queues/orders", "{\"maxAttempts\":0,\"strategy\":\"random\"}")
            .isError(400, "BAD_REQUEST", "maxAttempts=0").isError(400, "BAD_REQUEST", "strategy=random");
        put("/queues/orders", "{\"backoff\":\"fixed\"}").isError(400, "BAD_REQUEST", "backoff=fixed");
        put("/queues/orders", "{\"expired\":\"reject-publish\"}").isError(400, "BAD_REQUEST", "expired");
        put("/queues/orders", "{\"backoff\":5}").isError(400, "BAD_REQUEST", "'backoff' must be a string");
        put("/queues/orders", "{\"maxAge\":1.5}").isError(400, "BAD_REQUEST", "'maxAge' must be a string or an integer");
        put("/queues/orders", "{\"retain\":\"1ns\"}").isError(400, "BAD_REQUEST", "retain=1ns");
        put("/queues/orders", "{\"retainBytes\":0}").isError(400, "BAD_REQUEST", "retainBytes");
        put("/queues/orders", "{\"delay\":\"400d\"}").isError(400, "BAD_REQUEST", "delay");
        put("/queues/orders", "{\"visibility\":\"30s\"}").isError(400, "BAD_REQUEST", "unknown field 'visibility'");
        put("/queues/orders", "[]").isError(400, "BAD_REQUEST", "the body must be a JSON object");
        put("/queues/orders", "{\"maxAttempts\":").isError(400, "BAD_REQUEST", "malformed JSON");
        for (final String malformed : new String[] {"{\"maxAttempts\":", "{\"a\":[1,2}", "{x}", "{\"a\":tru}"})
        {
            final String said = (String)put("/queues/orders", malformed).isError(400, "BAD_REQUEST", "malformed JSON: ")
                .json().get("message");
            assertTrue(said.matches("malformed JSON: [^`]+ \\(line 1, column \\d+\\)"), said);
            assertFalse(said.contains("Source") || said.contains("StreamReadFeature"), said);
        }
        assertEquals(0, service.untaken());
    }

    @Test
    void declareWithOtherSettingsIs409()
    {
        service.failWith("declareQueue", new RingmqException(ErrorCode.SETTINGS_CONFLICT, "orders has maxAttempts=5"));
        put("/queues/orders", "{\"maxAttempts\":3}").isError(409, "SETTINGS_CONFLICT", "maxAttempts=5");
    }

    @Test
    void statsCarryTheCliFieldNames()
    {
        service.answerWith("stats", new QueueStats(1, 2, 3, 4, 5, 6, 7, 8, 9));
        final Reply reply = get("/queues/orders");
        assertEquals(200, reply.status());
        assertEquals("orders", service.next("stats").arg(0));
        final Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("queue", "orders");
        expected.put("messages", 1L);
        expected.put("bytes", 2L);
        expected.put("inFlight", 3L);
        expected.put("groups", 4L);
        expected.put("consumers", 5L);
        expected.put("expired", 6L);
        expected.put("overflowed", 7L);
        expected.put("dropped", 8L);
        expected.put("refused", 9L);
        assertEquals(expected, reply.json());
    }

    @Test
    void deleteForcesOnlyWhenAsked()
    {
        service.answerWith("deleteQueue", 12L);
        final Reply reply = delete("/queues/orders");
        assertEquals(200, reply.status());
        assertEquals(Map.of("queue", "orders", "deleted", 12L), reply.json());
        assertEquals(List.of("orders", false), service.next("deleteQueue").args());

        assertEquals(200, delete("/queues/orders?force=true").status());
        assertEquals(List.of("orders", true), service.next("deleteQueue").args());

        delete("/queues/orders?force=yes").isError(400, "BAD_REQUEST", "'force' must be true or false");
        service.failWith("deleteQueue", new RingmqException(ErrorCode.HAS_CONSUMERS, "2 consumers"));
        delete("/queues/orders").isError(409, "HAS_CONSUMERS", "2 consumers");
    }

    @Test
    void aGroupIsDeletedLikeByTheCliForcedOnlyWhenAsked()
    {
        service.answerWith("deleteGroup", 3L);
        final Reply reply = delete("/queues/orders/groups/bililng");
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(Map.of("queue", "orders", "group", "bililng", "deleted", 3L), reply.json());
        assertEquals(List.of("orders", "bililng", false), service.next("deleteGroup").args());

        assertEquals(200, delete("/queues/orders/groups/billing?force=true").status());
        assertEquals(List.of("orders", "billing", true), service.next("deleteGroup").args());

        delete("/queues/orders/groups/bad%20name").isError(400, "INVALID_NAME", "group name 'bad name'");
        delete("/queues/orders/groups/g?force=1").isError(400, "BAD_REQUEST", "'force' must be true or false");
        service.failWith("deleteGroup", new RingmqException(ErrorCode.HAS_CONSUMERS, "1 consumer"));
        delete("/queues/orders/groups/g").isError(409, "HAS_CONSUMERS", "1 consumer");
        service.failWith("deleteGroup", new RingmqException(ErrorCode.UNKNOWN_GROUP, "no group 'g'"));
        delete("/queues/orders/groups/g").isError(404, "UNKNOWN_GROUP", "no group 'g'");
    }

    @Test
    void purgeSaysHowMany()
    {
        service.answerWith("purge", 42L);
        final Reply reply = post("/queues/orders/purge", null);
        assertEquals(200, reply.status());
        assertEquals(Map.of("queue", "orders", "purged", 42L), reply.json());
        assertEquals("orders", service.next("purge").arg(0));
    }

    @Test
    void groupsCarryTheCliFieldNamesWithANullFilterForNone()
    {
        service.answerWith("groups", List.of(
            new GroupListing("billing", 5, 1, 2, DispatchStrategy.ROUND_ROBIN, "orders.dlq", 0, ""),
            new GroupListing("eu", 0, 0, 0, DispatchStrategy.LEAST_OUTSTANDING, "eu.dlq", 3, "region=eu")));
        final Reply reply = get("/queues/orders/groups");
        assertEquals(200, reply.status());
        assertEquals("orders", service.next("groups").arg(0));

        final Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("queue", "orders");
        expected.put("group", "billing");
        expected.put("lag", 5L);
        expected.put("consumers", 1L);
        expected.put("inFlight", 2L);
        expected.put("strategy", "round-robin");
        expected.put("dlq", "orders.dlq");
        expected.put("filtered", 0L);
        expected.put("filter", null);
        final Map<String, Object> json = reply.json();
        assertEquals(expected, TestJson.at(json, "groups", 0));
        assertEquals("region=eu", TestJson.at(json, "groups", 1).get("filter"));
        assertEquals("least-outstanding", TestJson.at(json, "groups", 1).get("strategy"));
    }
}
