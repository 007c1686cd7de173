package io.ringmq.http;

import io.ringmq.client.OutgoingMessage;
import io.ringmq.client.RingmqException;
import io.ringmq.client.TestMessages;
import io.ringmq.codecs.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The routes about messages: send, batch, receive, and settling by receipt handle. */
class MessageRoutesTest extends HttpFaceFixture
{
    private static final byte[] BINARY = {0, 1, (byte)0xFE, (byte)0xFF};
    private static final String BINARY_BASE64 = Base64.getEncoder().encodeToString(BINARY);

    @Test
    void aSendCarriesItsBodyHeadersIdAndDeliveryControl()
    {
        service.answerWith("send", 17L);
        final Reply reply = post("/queues/orders/messages", "{\"body\":\"héllo\",\"headers\":{\"trace\":\"abc\"," +
            "\"blob\":{\"base64\":\"" + BINARY_BASE64 + "\"}},\"id\":\"order-17\",\"priority\":7,\"delayMs\":5000," +
            "\"ttlMs\":60000}");
        assertEquals(200, reply.status());
        assertEquals(Map.of("queue", "orders", "seq", 17L), reply.json());

        final FakeQueueService.Call call = service.next("send");
        assertEquals("orders", call.arg(0));
        assertArrayEquals("héllo".getBytes(StandardCharsets.UTF_8), (byte[])call.arg(1));
        final OutgoingMessage message = (OutgoingMessage)call.arg(2);
        final Map<String, Object> headers = TestMessages.headers(message);
        assertEquals(List.of("trace", "blob"), List.copyOf(headers.keySet()));
        assertEquals("abc", headers.get("trace"));
        assertArrayEquals(BINARY, (byte[])headers.get("blob"));
        assertEquals("order-17", TestMessages.messageId(message));
        assertEquals(7, TestMessages.priority(message));
        assertEquals(5000, TestMessages.delayMs(message));
        assertEquals(0, TestMessages.deliverAtMs(message));
        assertEquals(60_000, TestMessages.ttlMs(message));
    }

    @Test
    void aSendTakesABase64BodyAndADeliverAt()
    {
        assertEquals(200, post("/queues/orders/messages", "{\"bodyBase64\":\"" + BINARY_BASE64 + "\"," +
            "\"deliverAt\":\"2030-01-02T03:04:05.678Z\"}").status());
        final FakeQueueService.Call call = service.next("send");
        assertArrayEquals(BINARY, (byte[])call.arg(1));
        final OutgoingMessage message = (OutgoingMessage)call.arg(2);
        assertEquals(Instant.parse("2030-01-02T03:04:05.678Z").toEpochMilli(), TestMessages.deliverAtMs(message));
        assertEquals(0, TestMessages.delayMs(message));
        assertEquals(4, TestMessages.priority(message), "the default priority");
        assertEquals("", TestMessages.messageId(message));
        assertEquals(Map.of(), TestMessages.headers(message));
    }

    @Test
    void anEmptyBodyIsABody()
    {
        assertEquals(200, post("/queues/orders/messages", "{\"body\":\"\"}").status());
        assertEquals(0, ((byte[])service.next("send").arg(1)).length);
        assertEquals(200, post("/queues/orders/messages", "{\"bodyBase64\":\"\"}").status());
        assertEquals(0, ((byte[])service.next("send").arg(1)).length);
    }

    @Test
    void aSendWithABadFieldIs400NamingIt()
    {
        final String path = "/queues/orders/messages";
        post(path, null).isError(400, "BAD_REQUEST", "exactly one of 'body' (text) and 'bodyBase64'");
        post(path, "{\"body\":\"a\",\"bodyBase64\":\"YQ==\"}").isError(400, "BAD_REQUEST", "exactly one");
        post(path, "{\"body\":5}").isError(400, "BAD_REQUEST", "'body' must be a string, not 5");
        post(path, "{\"bodyBase64\":\"@@@\"}").isError(400, "BAD_REQUEST", "'bodyBase64' is not base64");
        post(path, "{\"body\":\"a\",\"priority\":10}").isError(400, "BAD_REQUEST", "'priority' must be an integer from 0 to 9");
        post(path, "{\"body\":\"a\",\"priority\":\"5\"}").isError(400, "BAD_REQUEST", "'priority'");
        post(path, "{\"body\":\"a\",\"priority\":1.5}").isError(400, "BAD_REQUEST", "'priority'");
        post(path, "{\"body\":\"a\",\"delayMs\":-1}").isError(400, "BAD_REQUEST", "'delayMs'");
        post(path, "{\"body\":\"a\",\"ttlMs\":99999999999999999999}").isError(400, "BAD_REQUEST", "'ttlMs'");
        post(path, "{\"body\":\"a\",\"delayMs\":1,\"deliverAt\":\"2030-01-01T00:00:00Z\"}")
            .isError(400, "BAD_REQUEST", "not both");
        final String said = (String)post(path, "{\"body\":\"a\",\"deliverAt\":\"tomorrow\"}")
            .isError(400, "BAD_REQUEST", "ISO-8601 instant in UTC, YYYY-MM-DDThh:mm:ss[.fff]Z, at most a year from now")
            .json().get("message");
        assertFalse(said.matches(".*\\d{4}-\\d\\d-\\d\\d.*"), "no example date that would be refused later: " + said);
        post(path, "{\"body\":\"a\",\"deliverAt\":\"1969-12-31T00:00:00Z\"}").isError(400, "BAD_REQUEST", "1970");
        post(path, "{\"body\":\"a\",\"id\":\"" + "i".repeat(129) + "\"}").isError(400, "BAD_REQUEST", "'id'");
        post(path, "{\"body\":\"a\",\"headers\":{\"n\":5}}").isError(400, "BAD_REQUEST", "header 'headers.n'");
        post(path, "{\"body\":\"a\",\"headers\":{\"n\":{\"hex\":\"00\"}}}")
            .isError(400, "BAD_REQUEST", "unknown field 'headers.n.hex'");
        post(path, "{\"body\":\"a\",\"headers\":[]}").isError(400, "BAD_REQUEST", "'headers' must be a JSON object");
        post(path, "{\"body\":\"a\",\"colour\":\"red\"}").isError(400, "BAD_REQUEST", "unknown field 'colour'");
        post(path, "{\"body\":\"a\",\"body\":\"b\"}").isError(400, "BAD_REQUEST", "'body' is given twice");
        post(path, "{\"body\":\"a\"").isError(400, "BAD_REQUEST", "malformed JSON");
        post(path, "{\"body\":\"a\"} {}").isError(400, "BAD_REQUEST", "more than one value");
        post(path + "?x=1", "{\"body\":\"a\"}").isError(400, "BAD_REQUEST", "unknown query parameter 'x'");
        assertEquals(0, service.untaken());
    }

    @Test
    void aBatchAnswersEachMessageInItsOrder()
    {
        service.answerWith("send", 1L);
        service.failWith("send", new RingmqException(ErrorCode.QUEUE_FULL, "orders is full"));
        service.answerWith("send", 3L);
        final Reply reply = post("/queues/orders/messages/batch", "{\"messages\":[{\"body\":\"one\"}," +
            "{\"body\":\"bad\",\"priority\":12},{\"body\":\"two\"},7,{\"bodyBase64\":\"" + BINARY_BASE64 + "\"}]}");
        assertEquals(200, reply.status());

        final List<Object> results = TestJson.list(reply.json(), "results");
        assertEquals(5, results.size());
        assertEquals(Map.of("seq", 1L), results.get(0));
        final Map<?, ?> invalid = (Map<?, ?>)results.get(1);
        assertEquals("BAD_REQUEST", invalid.get("error"));
        assertTrue(((String)invalid.get("message")).contains("'messages[1].priority'"), invalid.toString());
        final Map<?, ?> refused = (Map<?, ?>)results.get(2);
        assertEquals("QUEUE_FULL", refused.get("error"));
        assertTrue(((String)refused.get("message")).contains("orders is full"));
        assertEquals("BAD_REQUEST", ((Map<?, ?>)results.get(3)).get("error"), "not an object");
        assertEquals(Map.of("seq", 3L), results.get(4));

        assertArrayEquals("one".getBytes(StandardCharsets.UTF_8), (byte[])service.next("send").arg(1));
        assertArrayEquals("two".getBytes(StandardCharsets.UTF_8), (byte[])service.next("send").arg(1));
        assertArrayEquals(BINARY, (byte[])service.next("send").arg(1));
        assertEquals(0, service.untaken(), "the invalid ones are never sent");
    }

    @Test
    void aBatchHoldsOneToTenMessages()
    {
        final String eleven = "{\"messages\":[" + "{\"body\":\"m\"},".repeat(10) + "{\"body\":\"m\"}]}";
        post("/queues/orders/messages/batch", eleven).isError(400, "BAD_REQUEST", "1 to 10 messages, not 11");
        post("/queues/orders/messages/batch", "{\"messages\":[]}").isError(400, "BAD_REQUEST", "not 0");
        post("/queues/orders/messages/batch", "{}").isError(400, "BAD_REQUEST", "not none");
        post("/queues/orders/messages/batch", "{\"messages\":{}}").isError(400, "BAD_REQUEST", "an array");
        assertEquals(0, service.untaken());

        final String ten = "{\"messages\":[" + "{\"body\":\"m\"},".repeat(9) + "{\"body\":\"m\"}]}";
        assertEquals(10, TestJson.list(post("/queues/orders/messages/batch", ten).json(), "results").size());
    }

    @Test
    void aBatchDeleteHoldsOneToTenHandlesAndAnswersEachAlone()
    {
        final String eleven = "{\"receiptHandles\":[" + "\"h\",".repeat(10) + "\"h\"]}";
        post("/queues/orders/messages/delete", eleven).isError(400, "BAD_REQUEST", "1 to 10 handles, not 11");
        post("/queues/orders/messages/delete", "{}").isError(400, "BAD_REQUEST", "not none");
        post("/queues/orders/messages/delete", "{\"handles\":[\"h\"]}").isError(400, "BAD_REQUEST", "handles");
        assertEquals(0, service.untaken());

        final Reply reply = post("/queues/orders/messages/delete", "{\"receiptHandles\":[\"h1\",7,\"h2\"]}");
        assertEquals(200, reply.status());
        final Map<String, Object> results = reply.json();
        assertEquals(Map.of("deleted", true), TestJson.at(results, "results", 0));
        assertEquals("BAD_REQUEST", TestJson.at(results, "results", 1).get("error"));
        assertTrue(((String)TestJson.at(results, "results", 1).get("message")).contains("receiptHandles[1]"),
            results::toString);
        assertEquals(Map.of("deleted", true), TestJson.at(results, "results", 2));
        final FakeQueueService.Call first = service.next("delete");
        final FakeQueueService.Call second = service.next("delete");
        assertEquals(List.of("orders", "h1", "orders", "h2"), List.of(first.arg(0), first.arg(1), second.arg(0),
            second.arg(1)), "the string handles, in order; the number was never sent");
    }

    @Test
    void aReceiveTakesItsDefaultsFromNothing()
    {
        final Reply reply = post("/queues/orders/messages/receive", null);
        assertEquals(200, reply.status());
        assertEquals(Map.of("messages", List.of()), reply.json());
        final FakeQueueService.Call call = service.next("receive");
        assertEquals("orders", call.arg(0));
        assertEquals(new ReceiveRequest("default", 1, 0, 0), call.arg(1));
    }

    @Test
    void aReceiveTakesItsParametersFromTheBodyOrTheQuery()
    {
        assertEquals(200, post("/queues/orders/messages/receive", "{\"group\":\"billing\",\"max\":10," +
            "\"waitMs\":20000,\"visibilityTimeoutMs\":60000,\"bodyFormat\":\"text\"}").status());
        assertEquals(new ReceiveRequest("billing", 10, 20_000, 60_000), service.next("receive").arg(1));

        assertEquals(200, post("/queues/orders/messages/receive?group=eu&max=3&waitMs=5&visibilityTimeoutMs=7" +
            "&bodyFormat=base64", null).status());
        assertEquals(new ReceiveRequest("eu", 3, 5, 7), service.next("receive").arg(1));

        post("/queues/orders/messages/receive?max=2", "{\"max\":3}").isError(400, "BAD_REQUEST", "not both");
        post("/queues/orders/messages/receive?count=2", null).isError(400, "BAD_REQUEST", "'count'");
        post("/queues/orders/messages/receive?max=two", null).isError(400, "BAD_REQUEST", "'max'");
        post("/queues/orders/messages/receive", "{\"max\":11}").isError(400, "BAD_REQUEST", "max=11 must be between 1 and 10");
        post("/queues/orders/messages/receive", "{\"max\":0}").isError(400, "BAD_REQUEST", "max=0");
        post("/queues/orders/messages/receive", "{\"waitMs\":20001}").isError(400, "BAD_REQUEST", "waitMs=20001");
        post("/queues/orders/messages/receive", "{\"visibilityTimeoutMs\":-1}")
            .isError(400, "BAD_REQUEST", "visibilityTimeoutMs=-1");
        post("/queues/orders/messages/receive", "{\"bodyFormat\":\"hex\"}").isError(400, "BAD_REQUEST", "bodyFormat");
        post("/queues/orders/messages/receive", "{\"max\":\"1\"}").isError(400, "BAD_REQUEST", "'max'");
        assertEquals(0, service.untaken());
    }

    @Test
    void receivedMessagesCarryTheirHandleAndFields()
    {
        final Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("trace", "abc");
        headers.put("blob", BINARY);
        service.answerWith("receive", List.of(
            new ReceivedMessage("h-1", "orders", "billing", 41, 2, 1_000_000, "héllo".getBytes(StandardCharsets.UTF_8),
                TestMessages.headers(headers), "order-41", 9, 7),
            new ReceivedMessage("h-2", "orders", "billing", 42, 1, 2_000_000, BINARY, TestMessages.headers(Map.of()),
                null, 0, 4)));
        final Map<String, Object> json = post("/queues/orders/messages/receive", "{\"group\":\"billing\",\"max\":2}")
            .json();

        final Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("receiptHandle", "h-1");
        expected.put("queue", "orders");
        expected.put("group", "billing");
        expected.put("seq", 41L);
        expected.put("attempt", 2L);
        expected.put("publishTimestampNs", 1_000_000L);
        expected.put("body", "héllo");
        expected.put("headers", Map.of("trace", "abc", "blob", Map.of("base64", BINARY_BASE64)));
        expected.put("id", "order-41");
        expected.put("producerId", 9L);
        expected.put("priority", 7L);
        assertEquals(expected, TestJson.at(json, "messages", 0));
        final Map<String, Object> second = TestJson.at(json, "messages", 1);
        assertTrue(second.containsKey("id"));
        assertEquals(null, second.get("id"), "no id: null");
        assertEquals(Map.of(), second.get("headers"));

        service.answerWith("receive", List.of(new ReceivedMessage("h-3", "orders", "default", 43, 1, 3, BINARY,
            TestMessages.headers(Map.of()), null, 0, 4)));
        final Map<String, Object> base64 = TestJson.at(
            post("/queues/orders/messages/receive?bodyFormat=base64", null).json(), "messages", 0);
        assertEquals(BINARY_BASE64, base64.get("bodyBase64"));
        assertTrue(!base64.containsKey("body"));
    }

    @Test
    void aHandleIsDeletedRejectedOrGivenTimeWith204()
    {
        final Reply deleted = delete("/queues/orders/messages/h-1");
        assertEquals(204, deleted.status());
        assertEquals("", deleted.body());
        assertEquals(List.of("orders", "h-1"), service.next("delete").args());

        assertEquals(204, post("/queues/orders/messages/h-2/visibility", "{\"timeoutMs\":30000}").status());
        assertEquals(List.of("orders", "h-2", 30_000L), service.next("changeVisibility").args());
        assertEquals(204, post("/queues/orders/messages/h-2/visibility", "{\"timeoutMs\":0}").status());
        assertEquals(List.of("orders", "h-2", 0L), service.next("changeVisibility").args());

        assertEquals(204, post("/queues/orders/messages/h-3/reject", null).status());
        assertEquals(List.of("orders", "h-3"), service.next("reject").args());
    }

    @Test
    void aVisibilityChangeNeedsATimeoutInRange()
    {
        final String path = "/queues/orders/messages/h-1/visibility";
        post(path, null).isError(400, "BAD_REQUEST", "'timeoutMs' is required");
        post(path, "{\"timeoutMs\":43200001}").isError(400, "BAD_REQUEST", "from 0 to 43200000");
        post(path, "{\"timeoutMs\":-1}").isError(400, "BAD_REQUEST", "'timeoutMs'");
        post(path, "{\"timeoutMs\":5,\"other\":1}").isError(400, "BAD_REQUEST", "unknown field 'other'");
        assertEquals(0, service.untaken());
        assertEquals(204, post(path, "{\"timeoutMs\":43200000}").status());
    }

    @Test
    void aMalformedHandleIs400AndOneNoLongerCurrentIs410()
    {
        service.failWith("delete", new ReceiptHandleException("not a handle: x", true));
        delete("/queues/orders/messages/x").isError(400, "INVALID_RECEIPT_HANDLE", "not a handle: x");

        service.failWith("changeVisibility", new ReceiptHandleException("h-1 timed out", false));
        post("/queues/orders/messages/h-1/visibility", "{\"timeoutMs\":1}")
            .isError(410, "RECEIPT_HANDLE_NOT_CURRENT", "h-1 timed out");

        service.failWith("reject", new ReceiptHandleException("h-2 was settled", false));
        post("/queues/orders/messages/h-2/reject", null).isError(410, "RECEIPT_HANDLE_NOT_CURRENT", "settled");
    }
}
