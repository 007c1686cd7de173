package io.ringmq.http;

import io.ringmq.client.MessageHeaders;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server as a server: its connections, its order of replies, its limits, its threads and its lifecycle. */
class HttpFaceServerTest extends HttpFaceFixture
{
    private static ReceivedMessage message(final String handle, final String body)
    {
        return new ReceivedMessage(handle, "orders", "default", 7, 1, 123, body.getBytes(StandardCharsets.UTF_8),
            new MessageHeaders(), null, 0, 4);
    }

    @Test
    void aReplyIsJsonWithItsLength() throws IOException
    {
        try (RawConnection connection = new RawConnection(server.port()))
        {
            final RawConnection.Response response = connection.write(RawConnection.request("GET", "/health", null)).read();
            assertEquals(200, response.status());
            assertEquals("application/json; charset=utf-8", response.headers().get("content-type"));
            assertEquals(String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length),
                response.headers().get("content-length"));
            assertEquals(Map.of("status", "ok"), TestJson.object(response.body()));
        }
    }

    @Test
    void twoRequestsGoOnOneConnection() throws IOException
    {
        try (RawConnection connection = new RawConnection(server.port()))
        {
            final RawConnection.Response first = connection.write(RawConnection.request("GET", "/health", null)).read();
            assertEquals(200, first.status());
            assertNull(first.headers().get("connection"), "kept open");
            final RawConnection.Response second = connection.write(RawConnection.request("GET", "/queues", null)).read();
            assertEquals(200, second.status());
            assertEquals(Map.of("queues", List.of()), TestJson.object(second.body()));
        }
        service.next("queues");
    }

    @Test
    void aConnectionCloseRequestIsAnsweredThenClosed() throws IOException
    {
        try (RawConnection connection = new RawConnection(server.port()))
        {
            final RawConnection.Response response = connection.write(
                "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").read();
            assertEquals(200, response.status());
            assertEquals("close", response.headers().get("connection"));
            assertTrue(connection.closedByServer());
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheirOrder() throws Exception
    {
        final CompletableFuture<List<ReceivedMessage>> later = service.answer("receive", new CompletableFuture<>());
        try (RawConnection connection = new RawConnection(server.port()))
        {
            connection.write(RawConnection.request("POST", "/queues/orders/messages/receive", "{\"waitMs\":20000}") +
                RawConnection.request("GET", "/queues/orders", null));
            service.next("receive");
            service.next("stats"); // answered at once, but its reply waits for the receive's
            final Thread completer = new Thread(() -> later.complete(List.of(message("h-1", "first"))));
            completer.start();

            final RawConnection.Response first = connection.read();
            assertEquals(200, first.status());
            assertEquals("h-1", TestJson.at(TestJson.object(first.body()), "messages", 0).get("receiptHandle"));
            final RawConnection.Response second = connection.read();
            assertEquals(200, second.status());
            assertEquals("orders", TestJson.object(second.body()).get("queue"));
            completer.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    @Test
    void aReceiveIsAnsweredWhenItsFutureCompletesOnAnotherThread() throws Exception
    {
        final CompletableFuture<List<ReceivedMessage>> later = service.answer("receive", new CompletableFuture<>());
        final CompletableFuture<Reply> reply = sendAsync("POST", "/queues/orders/messages/receive",
            "{\"waitMs\":20000,\"max\":2}");
        final FakeQueueService.Call call = service.next("receive");
        assertEquals(new ReceiveRequest("default", 2, 20_000, 0), call.arg(1));
        assertFalse(reply.isDone(), "no reply before the service answers");

        final Thread completer = new Thread(() -> later.complete(List.of(message("h-1", "a"), message("h-2", "b"))));
        completer.start();
        final Reply answered = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(200, answered.status());
        assertEquals(2, TestJson.list(answered.json(), "messages").size());
        completer.join(TimeUnit.SECONDS.toMillis(10));
    }

    @Test
    void aBodyOverTheLimitIs413() throws IOException
    {
        final String big = "{\"body\":\"" + "x".repeat(MAX_BODY_BYTES) + "\"}";
        post("/queues/orders/messages", big).isError(413, "BODY_TOO_LARGE", String.valueOf(MAX_BODY_BYTES));
        assertEquals(0, service.untaken(), "never sent");

        try (RawConnection connection = new RawConnection(server.port()))
        {
            connection.write(RawConnection.request("POST", "/queues/orders/messages", big) +
                RawConnection.request("GET", "/health", null));
            assertEquals(413, connection.read().status());
            assertEquals(200, connection.read().status(), "the rest of the big body is skipped, the connection goes on");
        }
    }

    @Test
    void aBodyAnnouncedTooLargeIs413BeforeItIsSent() throws IOException
    {
        try (RawConnection connection = new RawConnection(server.port()))
        {
            final RawConnection.Response response = connection.write("POST /queues/orders/messages HTTP/1.1\r\n" +
                "Host: localhost\r\nExpect: 100-continue\r\nContent-Length: " + (MAX_BODY_BYTES + 1) + "\r\n\r\n")
                .read();
            assertEquals(413, response.status());
            assertEquals("BODY_TOO_LARGE", TestJson.object(response.body()).get("error"));
            assertEquals("close", response.headers().get("connection"), "the body never comes: closed");
            assertTrue(connection.closedByServer());
        }
        assertEquals(0, service.untaken());
    }

    @Test
    void aRequestThatIsNotHttpIs400AndCloses() throws IOException
    {
        try (RawConnection connection = new RawConnection(server.port()))
        {
            final RawConnection.Response response = connection.write("GET /health HTTP/1.1\r\nHost localhost\r\n\r\n")
                .read();
            assertEquals(400, response.status(), response.body());
            assertEquals("BAD_REQUEST", TestJson.object(response.body()).get("error"));
            assertTrue(connection.closedByServer());
        }
    }

    @Test
    void theServiceIsCalledOnAFewNamedEventLoops() throws IOException
    {
        for (int i = 0; i < 4; i++)
        {
            try (RawConnection connection = new RawConnection(server.port()))
            {
                assertEquals(200, connection.write(RawConnection.request("GET", "/queues/q" + i, null)).read().status());
            }
            assertTrue(service.next("stats").thread().startsWith("ringmq-http-worker"));
        }
        final long workers = Thread.getAllStackTraces().keySet().stream()
            .filter((thread) -> thread.getName().startsWith("ringmq-http-worker")).count();
        assertTrue(workers >= 1 && workers <= 2, workers + " worker threads");
    }

    @Test
    void closeFreesThePort()
    {
        final int port = server.port();
        assertEquals(200, get("/health").status());
        server.close();
        server.close(); // twice: nothing more to do

        server = HttpFaceServer.start(service, "127.0.0.1", port, MAX_BODY_BYTES);
        assertEquals(port, server.port());
        assertEquals(200, get("/health").status());
    }

    @Test
    void closeClosesOpenConnectionsEvenWithAReplyOutstanding() throws IOException
    {
        final CompletableFuture<List<ReceivedMessage>> later = service.answer("receive", new CompletableFuture<>());
        try (RawConnection connection = new RawConnection(server.port()))
        {
            connection.write(RawConnection.request("POST", "/queues/orders/messages/receive", "{\"waitMs\":20000}"));
            service.next("receive");
            server.close();
            assertTrue(connection.closedByServer());
        }
        assertTrue(later.isCancelled(), "the receive stops waiting once its connection is gone");
        assertFalse(later.complete(List.of(message("h-1", "too late"))), "nobody to write to: ignored");
    }

    @Test
    void aReceiveWhoseClientClosesItsConnectionStopsWaiting() throws IOException
    {
        final CompletableFuture<List<ReceivedMessage>> answered = service.answer("receive", new CompletableFuture<>());
        final CompletableFuture<List<ReceivedMessage>> abandoned = service.answer("receive", new CompletableFuture<>());
        try (RawConnection connection = new RawConnection(server.port()))
        {
            connection.write(RawConnection.request("POST", "/queues/orders/messages/receive", "{\"waitMs\":20000}"));
            service.next("receive");
            answered.complete(List.of(message("h-1", "one")));
            assertEquals(200, connection.read().status());
            connection.write(RawConnection.request("POST", "/queues/orders/messages/receive", "{\"waitMs\":20000}"));
            service.next("receive");
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!abandoned.isDone())
        {
            assertTrue(System.nanoTime() < deadline, "the waiting receive was never cancelled");
            Thread.onSpinWait();
        }
        assertTrue(abandoned.isCancelled(), "the service is told to stop waiting (and give back what it holds)");
        assertFalse(answered.isCancelled(), "an answered receive is left alone");
    }

    @Test
    void anIdleConnectionIsClosedButOneWaitingForItsReplyIsNot() throws IOException
    {
        server.close();
        server = HttpFaceServer.start(service, "127.0.0.1", 0, MAX_BODY_BYTES, 200);
        final CompletableFuture<List<ReceivedMessage>> later = service.answer("receive", new CompletableFuture<>());
        try (RawConnection waiting = new RawConnection(server.port()))
        {
            waiting.write(RawConnection.request("POST", "/queues/orders/messages/receive", "{\"waitMs\":20000}"));
            service.next("receive");
            try (RawConnection idle = new RawConnection(server.port())) // opened after: its idle time ends later
            {
                assertTrue(idle.closedByServer(), "no traffic for 200 ms: closed");
            }
            // Quiet for longer than that too, but a request of it waits for its reply: open, and answered.
            assertTrue(later.complete(List.of(message("h-1", "late"))));
            assertEquals(200, waiting.read().status());
        }
    }

    @Test
    void startRefusesAPortInUseSaying()
    {
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> HttpFaceServer.start(service, "127.0.0.1", server.port(), MAX_BODY_BYTES));
        assertTrue(refused.getMessage().contains("127.0.0.1:" + server.port()), refused.getMessage());
    }

    @Test
    void startChecksItsArguments()
    {
        assertThrows(IllegalArgumentException.class, () -> HttpFaceServer.start(service, "127.0.0.1", -1, 1));
        assertThrows(IllegalArgumentException.class, () -> HttpFaceServer.start(service, "127.0.0.1", 65536, 1));
        assertThrows(IllegalArgumentException.class, () -> HttpFaceServer.start(service, "127.0.0.1", 0, 0));
        assertThrows(NullPointerException.class, () -> HttpFaceServer.start(null, "127.0.0.1", 0, 1));
    }

    @Test
    void aContentLengthThatIsNotANumberOrOverflowsIsAnswered400AndTheConnectionClosed() throws IOException
    {
        for (final String length : new String[] {"abc", "99999999999999999999", "-1"})
        {
            try (RawConnection connection = new RawConnection(server.port()))
            {
                final RawConnection.Response response = connection.write("POST /queues/q/messages HTTP/1.1\r\n" +
                    "Host: localhost\r\nContent-Length: " + length + "\r\n\r\n").read();
                assertEquals(400, response.status(), length);
                assertEquals("BAD_REQUEST", TestJson.object(response.body()).get("error"), response::toString);
                assertTrue(connection.closedByServer(), length);
            }
        }
        assertEquals(0, service.untaken());
    }

    @Test
    void headOfAGetRouteIsAnsweredAsTheGetWithoutItsBody() throws IOException
    {
        try (RawConnection connection = new RawConnection(server.port()))
        {
            connection.write("HEAD /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
            final RawConnection.Response head = connection.readHead();
            assertEquals(200, head.status());
            assertEquals(String.valueOf("{\"status\":\"ok\"}".length()), head.headers().get("content-length"),
                "the length the GET's body has");
            final RawConnection.Response next = connection.write(RawConnection.request("GET", "/health", null)).read();
            assertEquals(Map.of("status", "ok"), TestJson.object(next.body()), "no body came between the two answers");
        }
    }
}
