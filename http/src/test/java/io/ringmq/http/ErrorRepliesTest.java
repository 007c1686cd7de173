package io.ringmq.http;

import io.ringmq.client.RingmqException;
import io.ringmq.codecs.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** How a failed service call is answered: the daemon's codes, the client's own failures, and the unexpected. */
class ErrorRepliesTest extends HttpFaceFixture
{
    /** The table as the face documents it; every code not in it is a 500. */
    private static final Map<ErrorCode, Integer> STATUS = new EnumMap<>(ErrorCode.class);

    static
    {
        for (final ErrorCode code : new ErrorCode[]{ErrorCode.INVALID_ARGUMENT, ErrorCode.INVALID_NAME,
            ErrorCode.INVALID_FILTER, ErrorCode.MALFORMED_FRAME})
        {
            STATUS.put(code, 400);
        }
        STATUS.put(ErrorCode.UNKNOWN_QUEUE, 404);
        STATUS.put(ErrorCode.UNKNOWN_GROUP, 404);
        STATUS.put(ErrorCode.SETTINGS_CONFLICT, 409);
        STATUS.put(ErrorCode.HAS_CONSUMERS, 409);
        STATUS.put(ErrorCode.MESSAGE_TOO_LARGE, 413);
        STATUS.put(ErrorCode.HEADERS_TOO_LARGE, 413);
        for (final ErrorCode code : new ErrorCode[]{ErrorCode.QUEUE_FULL, ErrorCode.TOO_MANY_QUEUES,
            ErrorCode.TOO_MANY_CONSUMERS, ErrorCode.TOO_MANY_SESSIONS, ErrorCode.TOO_MANY_CONNECTS})
        {
            STATUS.put(code, 429);
        }
        STATUS.put(ErrorCode.STORAGE_FULL, 507);
        STATUS.put(ErrorCode.NOT_PRIMARY, 503);
        STATUS.put(ErrorCode.REQUEST_TIMEOUT, 504);
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = "NULL_VAL", mode = EnumSource.Mode.EXCLUDE)
    void eachDaemonCodeHasItsStatusAndKeepsItsName(final ErrorCode code)
    {
        final int expected = STATUS.getOrDefault(code, 500);
        assertEquals(expected, ErrorReplies.statusOf(code).code());

        service.failWith("stats", new RingmqException(code, "refused"));
        get("/queues/orders").isError(expected, code.name(), code.name() + ": refused");
    }

    @Test
    void aFailureOnTheClientsSideIs503Unavailable()
    {
        service.failWith("stats", new RingmqException("no daemon answers at /dev/shm/ringmq"));
        get("/queues/orders").isError(503, "UNAVAILABLE", "no daemon answers");
    }

    @Test
    void theClientsOwnChecksAndStatesAreMapped()
    {
        service.failWith("purge", new IllegalArgumentException("queue name too long"));
        post("/queues/orders/purge", null).isError(400, "BAD_REQUEST", "queue name too long");

        service.failWith("purge", new IllegalStateException("the client is closed"));
        post("/queues/orders/purge", null).isError(503, "UNAVAILABLE", "the client is closed");
    }

    @Test
    void theUnexpectedIs500InternalErrorWithoutAStackTrace()
    {
        service.failWith("purge", new UnsupportedOperationException("not today"));
        final Reply reply = post("/queues/orders/purge", null).isError(500, "INTERNAL_ERROR", "not today");
        assertFalse(reply.body().contains("at io.ringmq"), reply.body());

        service.failWith("purge", new NullPointerException());
        post("/queues/orders/purge", null).isError(500, "INTERNAL_ERROR", "NullPointerException");
    }

    @Test
    void aWrappedFailureIsAnsweredByItsCause()
    {
        service.failWith("stats", new CompletionException(new RingmqException(ErrorCode.UNKNOWN_QUEUE, "no orders")));
        get("/queues/orders").isError(404, "UNKNOWN_QUEUE", "no orders");
    }

    @Test
    void anUnknownQueueSaysHowAnHttpClientCreatesIt()
    {
        service.failWith("receive", new RingmqException(ErrorCode.UNKNOWN_QUEUE,
            "queue 'nosuchq' does not exist (a subscribe that asks to create it does)"));
        final String said = (String)post("/queues/nosuchq/messages/receive", null)
            .isError(404, "UNKNOWN_QUEUE",
                "queue 'nosuchq' does not exist (PUT /queues/{queue} creates it, as a send does)")
            .json().get("message");
        assertFalse(said.contains("subscribe"), said);
        service.failWith("stats", new RingmqException(ErrorCode.UNKNOWN_QUEUE, "queue 'nope' does not exist"));
        get("/queues/nope").isError(404, "UNKNOWN_QUEUE", "does not exist (PUT /queues/{queue} creates it");
    }

    @Test
    void aServiceThatThrowsInsteadOfFailingItsFutureIsAnsweredAlike()
    {
        service.throwOnNextCall(new RingmqException(ErrorCode.NOT_PRIMARY, "the primary is at 10.0.0.1:40456"));
        get("/queues/orders").isError(503, "NOT_PRIMARY", "10.0.0.1:40456");
        service.throwOnNextCall(new IllegalArgumentException("pattern too long"));
        get("/queues?pattern=x").isError(400, "BAD_REQUEST", "pattern too long");
    }

    @Test
    void aFailureThatComesLaterFromAnotherThreadIsAnsweredThen() throws Exception
    {
        final CompletableFuture<Long> later = service.answer("send", new CompletableFuture<>());
        final CompletableFuture<Reply> reply = sendAsync("POST", "/queues/orders/messages", "{\"body\":\"a\"}");
        service.next("send");
        final Thread failer = new Thread(() ->
            later.completeExceptionally(new RingmqException(ErrorCode.STORAGE_FULL, "disk full")));
        failer.start();
        reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).isError(507, "STORAGE_FULL", "disk full");
        failer.join(TimeUnit.SECONDS.toMillis(10));
    }
}
