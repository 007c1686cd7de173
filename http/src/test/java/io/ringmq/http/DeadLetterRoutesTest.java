package io.ringmq.http;

import io.ringmq.client.BrowsedMessage;
import io.ringmq.client.TestMessages;
import io.ringmq.codecs.DeadLetterReason;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The routes about a queue's dead letters: list, redrive. */
class DeadLetterRoutesTest extends HttpFaceFixture
{
    private static BrowsedMessage letter(final long seq, final String group, final String id, final byte[] payload)
    {
        return new BrowsedMessage(seq, 5_000, DeadLetterReason.MAX_ATTEMPTS, 3, "orders", group, payload,
            TestMessages.headerBytes(Map.of("trace", "t-" + seq)), id, 0, 0, 6);
    }

    @Test
    void deadLettersAreListedWithTheCliFieldNames()
    {
        service.answerWith("deadLetters", List.of(
            letter(8, "billing", "order-8", "late".getBytes(StandardCharsets.UTF_8)),
            letter(9, "", "", new byte[]{(byte)0xFF})));
        final Reply reply = get("/queues/orders/dlq");
        assertEquals(200, reply.status());
        assertEquals(List.of("orders", "", 0L), service.next("deadLetters").args(), "every group, every letter");

        final Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("queue", "orders.dlq");
        expected.put("seq", 8L);
        expected.put("sourceQueue", "orders");
        expected.put("sourceGroup", "billing");
        expected.put("reason", "MAX_ATTEMPTS");
        expected.put("attempts", 3L);
        expected.put("publishTimestampNs", 5_000L);
        expected.put("body", "late");
        expected.put("headers", Map.of("trace", "t-8"));
        expected.put("id", "order-8");
        expected.put("priority", 6L);
        final Map<String, Object> json = reply.json();
        assertEquals(expected, TestJson.at(json, "messages", 0));
        final Map<String, Object> second = TestJson.at(json, "messages", 1);
        assertTrue(second.containsKey("sourceGroup") && null == second.get("sourceGroup"), second.toString());
        assertTrue(second.containsKey("id") && null == second.get("id"), second.toString());
    }

    @Test
    void deadLettersAreFilteredByGroupAndCountInEitherFormat()
    {
        service.answerWith("deadLetters", List.of(letter(8, "billing", "", new byte[]{(byte)0xFF})));
        final Map<String, Object> json = get("/queues/orders/dlq?group=billing&max=5&bodyFormat=base64").json();
        assertEquals(List.of("orders", "billing", 5L), service.next("deadLetters").args());
        assertEquals("/w==", TestJson.at(json, "messages", 0).get("bodyBase64"));

        get("/queues/orders/dlq?max=-1").isError(400, "BAD_REQUEST", "'max'");
        get("/queues/orders/dlq?bodyFormat=hex").isError(400, "BAD_REQUEST", "bodyFormat");
        get("/queues/orders/dlq?group=a%20b").isError(400, "INVALID_NAME", "group name");
        get("/queues/orders/dlq?count=1").isError(400, "BAD_REQUEST", "'count'");
        assertEquals(0, service.untaken());
    }

    @Test
    void redriveMovesEveryLetterUnlessToldOtherwise()
    {
        service.answerWith("redrive", 4L);
        final Reply all = post("/queues/orders/dlq/redrive", null);
        assertEquals(200, all.status());
        assertEquals(Map.of("queue", "orders", "redriven", 4L), all.json());
        assertEquals(List.of("orders", "", 0L), service.next("redrive").args());

        assertEquals(200, post("/queues/orders/dlq/redrive", "{\"group\":\"billing\",\"count\":2}").status());
        assertEquals(List.of("orders", "billing", 2L), service.next("redrive").args());
        assertEquals(200, post("/queues/orders/dlq/redrive", "{\"group\":\"\"}").status());
        assertEquals(List.of("orders", "", 0L), service.next("redrive").args());

        post("/queues/orders/dlq/redrive", "{\"count\":-1}").isError(400, "BAD_REQUEST", "'count'");
        post("/queues/orders/dlq/redrive", "{\"group\":7}").isError(400, "BAD_REQUEST", "'group' must be a string");
        post("/queues/orders/dlq/redrive", "{\"max\":1}").isError(400, "BAD_REQUEST", "unknown field 'max'");
        assertEquals(0, service.untaken());
    }
}
