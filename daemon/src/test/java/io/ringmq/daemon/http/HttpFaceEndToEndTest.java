package io.ringmq.daemon.http;

import io.ringmq.client.ClientContext;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.SeekTarget;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.Daemon;
import io.ringmq.daemon.DaemonContext;
import io.ringmq.daemon.testing.HttpJson;
import io.ringmq.daemon.testing.TestDaemons;
import io.ringmq.http.ClientQueueService;
import io.ringmq.http.HttpFaceServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP face against a real daemon: what an application that speaks only HTTP sees of queues, sends, receives,
 * receipt handles, visibility and dead letters.
 */
class HttpFaceEndToEndTest
{
    @TempDir
    Path tempDir;

    private RingmqConfig config;
    private Daemon daemon;
    private ClientQueueService service;
    private HttpFaceServer server;
    private HttpJson http;

    @BeforeEach
    void start()
    {
        config = TestDaemons.config(tempDir);
        daemon = Daemon.launch(new DaemonContext().settings(config));
        service = ClientQueueService.connect(new ClientContext()
            .aeronDirectoryName(config.aeronDir().toString())
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .clientName("http-test"), 30_000);
        server = HttpFaceServer.start(service, "127.0.0.1", 0, 1 << 20);
        http = new HttpJson(server.port());
    }

    @AfterEach
    void stop()
    {
        if (null != server)
        {
            server.close();
        }
        if (null != service)
        {
            service.close();
        }
        if (null != daemon)
        {
            daemon.close();
        }
    }

    @Test
    void sendReceiveDeleteAsAnSqsUserWould()
    {
        assertEquals(201, http.send("PUT", "/queues/orders", "{\"visibilityTimeout\":\"30s\",\"maxAttempts\":5}").status());
        assertEquals(200, http.send("PUT", "/queues/orders", "{\"visibilityTimeout\":\"30s\",\"maxAttempts\":5}").status(),
            "declared again with the same settings");
        assertEquals(409, http.send("PUT", "/queues/orders", "{\"maxAttempts\":7}").status(), "other settings");

        final HttpJson.Answer first = http.send("POST", "/queues/orders/messages",
            "{\"body\":\"order-1\",\"headers\":{\"region\":\"eu\"},\"id\":\"o-1\",\"priority\":6}");
        assertEquals(200, first.status(), first::toString);
        assertEquals(1L, first.json().get("seq"));
        assertEquals(1L, http.send("POST", "/queues/orders/messages", "{\"body\":\"order-1 again\",\"id\":\"o-1\"}")
            .json().get("seq"), "the same message id is stored once: the first one's sequence answers");
        assertEquals(2L, http.send("POST", "/queues/orders/messages", "{\"bodyBase64\":\"AAEC/w==\"}").json().get("seq"));

        final HttpJson.Answer received = http.send("POST", "/queues/orders/messages/receive",
            "{\"group\":\"billing\",\"max\":10,\"waitMs\":5000}");
        assertEquals(200, received.status(), received::toString);
        final List<Map<String, Object>> messages = received.list("messages");
        assertEquals(2, messages.size(), received::toString);
        final Map<String, Object> order = messages.get(0);
        assertEquals("order-1", order.get("body"));
        assertEquals(1L, order.get("seq"));
        assertEquals(1L, order.get("attempt"));
        assertEquals("o-1", order.get("id"));
        assertEquals(6L, order.get("priority"));
        assertEquals(Map.of("region", "eu"), order.get("headers"));
        assertEquals(2L, messages.get(1).get("seq"));

        final String handle = (String)order.get("receiptHandle");
        assertEquals(204, http.send("DELETE", "/queues/orders/messages/" + handle, null).status());
        assertEquals(410, http.send("DELETE", "/queues/orders/messages/" + handle, null).status(),
            "a deleted message's handle is no longer current");
        assertEquals(400, http.send("DELETE", "/queues/orders/messages/not-a-handle", null).status());

        final HttpJson.Answer stats = http.send("GET", "/queues/orders", null);
        assertEquals(1L, stats.json().get("messages"), stats::toString);
        assertEquals(1L, stats.json().get("inFlight"), stats::toString);
    }

    @Test
    void concurrentSendersAndShortLongPollsGetEveryMessageOnceAndLoseNone() throws Exception
    {
        assertEquals(201, http.send("PUT", "/queues/race", null).status());
        final int senders = 3;
        final int perSender = 300;
        final int total = senders * perSender;
        final java.util.Set<String> received = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final java.util.Queue<String> problems = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final java.util.concurrent.atomic.AtomicInteger deleted = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        final List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
        for (int s = 0; s < senders; s++)
        {
            final int sender = s;
            work.add(pool.submit(() ->
            {
                for (int i = 0; i < perSender; i++)
                {
                    final HttpJson.Answer sent = http.send("POST", "/queues/race/messages",
                        "{\"body\":\"" + sender + "-" + i + "\"}");
                    if (200 != sent.status())
                    {
                        problems.add("send: " + sent);
                    }
                }
            }));
        }
        for (int r = 0; r < 3; r++)
        {
            final java.util.Random random = new java.util.Random(r);
            work.add(pool.submit(() ->
            {
                while (deleted.get() < total && System.nanoTime() < deadlineNs && problems.isEmpty())
                {
                    // Short waits and small batches: receives that answer short and time out while deliveries are
                    // on their way, the paths where the face withdraws credit or holds what came late.
                    final List<Map<String, Object>> messages = http.send("POST", "/queues/race/messages/receive",
                        "{\"max\":" + (1 + random.nextInt(10)) + ",\"waitMs\":" + random.nextInt(50) + "}")
                        .list("messages");
                    for (final Map<String, Object> message : messages)
                    {
                        if (!received.add((String)message.get("body")) || 1L != (Long)message.get("attempt"))
                        {
                            problems.add("delivered again: " + message);
                        }
                        final int status = http.send("DELETE", "/queues/race/messages/" +
                            message.get("receiptHandle"), null).status();
                        if (204 != status)
                        {
                            problems.add("delete answered " + status + ": " + message);
                        }
                        deleted.incrementAndGet();
                    }
                }
            }));
        }
        for (final java.util.concurrent.Future<?> one : work)
        {
            one.get(180, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(problems.isEmpty(), () -> problems.size() + " problems, the first: " + problems.peek());
        assertEquals(total, received.size(), "every message received");
        final Map<String, Object> stats = http.send("GET", "/queues/race", null).json();
        assertEquals(0L, stats.get("messages"), stats::toString);
        assertEquals(0L, stats.get("inFlight"), stats::toString);
    }

    @Test
    void itsMetricsCountRequestsByRouteAndStatusAndSayWhatItHolds()
    {
        assertEquals(201, http.send("PUT", "/queues/seen", null).status());
        http.send("POST", "/queues/seen/messages", "{\"body\":\"a\"}");
        http.send("POST", "/queues/seen/messages", "{\"body\":\"b\"}");
        assertEquals(404, http.send("GET", "/nowhere", null).status());
        assertEquals(404, http.send("GET", "/queues/unseen", null).status());
        assertEquals(2, http.send("POST", "/queues/seen/messages/receive", "{\"max\":2,\"waitMs\":5000}")
            .list("messages").size());

        final HttpJson.Answer scraped = http.send("GET", "/metrics", null);
        assertEquals(200, scraped.status(), scraped::toString);
        final List<String> lines = List.of(scraped.body().split("\n"));
        for (final String expected : List.of(
            "ringmq_http_requests_total{route=\"declare_queue\",status=\"201\"} 1.0",
            "ringmq_http_requests_total{route=\"send\",status=\"200\"} 2.0",
            "ringmq_http_requests_total{route=\"none\",status=\"404\"} 1.0",
            "ringmq_http_requests_total{route=\"queue_stats\",status=\"404\"} 1.0",
            "ringmq_http_requests_total{route=\"receive\",status=\"200\"} 1.0",
            "ringmq_http_deliveries_in_flight 2.0",
            "ringmq_http_consumers 1.0",
            "ringmq_http_receives_waiting 0.0",
            "ringmq_http_connected 1.0"))
        {
            assertTrue(lines.contains(expected), () -> expected + " in\n" + scraped.body());
        }
    }

    @Test
    void aBatchDeleteSettlesEachHandleAloneInOrder()
    {
        assertEquals(201, http.send("PUT", "/queues/bulk", null).status());
        assertEquals(200, http.send("POST", "/queues/bulk/messages/batch",
            "{\"messages\":[{\"body\":\"a\"},{\"body\":\"b\"}]}").status());
        final List<Map<String, Object>> messages = http.send("POST", "/queues/bulk/messages/receive",
            "{\"max\":10,\"waitMs\":5000}").list("messages");
        assertEquals(2, messages.size(), messages::toString);
        final String a = (String)messages.get(0).get("receiptHandle");
        final String b = (String)messages.get(1).get("receiptHandle");

        final HttpJson.Answer answer = http.send("POST", "/queues/bulk/messages/delete",
            "{\"receiptHandles\":[\"" + a + "\",\"not-a-handle\",\"" + a + "\",\"" + b + "\"]}");
        assertEquals(200, answer.status(), answer::toString);
        final List<Map<String, Object>> results = answer.list("results");
        assertEquals(Map.of("deleted", true), results.get(0));
        assertEquals("INVALID_RECEIPT_HANDLE", results.get(1).get("error"));
        assertEquals("RECEIPT_HANDLE_NOT_CURRENT", results.get(2).get("error"), "a was deleted just before");
        assertEquals(Map.of("deleted", true), results.get(3));
        assertEquals(0L, http.send("GET", "/queues/bulk", null).json().get("messages"), "both acked");
    }

    @Test
    void aSettleTheDaemonRefusesIsAnswered410AndAHandleNamesOneHandOutOnly()
    {
        assertEquals(201, http.send("PUT", "/queues/sought", null).status());
        assertEquals(200, http.send("POST", "/queues/sought/messages", "{\"body\":\"s-1\"}").status());
        final String before = onlyHandle(http.send("POST", "/queues/sought/messages/receive", "{\"waitMs\":5000}"));
        try (RingmqClient admin = TestDaemons.connect(config))
        {
            assertEquals(1, admin.seek("sought", "default", SeekTarget.OLDEST), "the delivery ends at the daemon");
        }
        final HttpJson.Answer stale = http.send("DELETE", "/queues/sought/messages/" + before, null);
        assertEquals(410, stale.status(), () -> "the daemon refused that ack: not deleted, so not 204: " + stale);

        final HttpJson.Answer again = http.send("POST", "/queues/sought/messages/receive", "{\"waitMs\":5000}");
        assertEquals(1L, again.list("messages").get(0).get("attempt"), again::toString);
        final String after = onlyHandle(again);
        assertNotEquals(before, after, "delivered again as attempt 1 after the seek: a handle of its own");
        assertEquals(410, http.send("DELETE", "/queues/sought/messages/" + before, null).status());
        assertEquals(204, http.send("DELETE", "/queues/sought/messages/" + after, null).status());
        assertEquals(0L, http.send("GET", "/queues/sought", null).json().get("messages"));

        // A queue deleted and declared again numbers its messages from 1: an old handle must not settle a new one.
        assertEquals(200, http.send("POST", "/queues/sought/messages", "{\"body\":\"old\"}").status());
        final String old = onlyHandle(http.send("POST", "/queues/sought/messages/receive", "{\"waitMs\":5000}"));
        assertEquals(200, http.send("DELETE", "/queues/sought?force=true", null).status());
        assertEquals(201, http.send("PUT", "/queues/sought", null).status());
        assertEquals(200, http.send("POST", "/queues/sought/messages", "{\"body\":\"new\"}").status());
        final String fresh = onlyHandle(http.send("POST", "/queues/sought/messages/receive", "{\"waitMs\":5000}"));
        assertEquals(410, http.send("DELETE", "/queues/sought/messages/" + old, null).status());
        assertEquals(204, http.send("DELETE", "/queues/sought/messages/" + fresh, null).status());
    }

    @Test
    void aMessageWhoseTimeToLivePassedInFlightCannotBeDeletedAs204()
    {
        assertEquals(201, http.send("PUT", "/queues/brief", null).status());
        assertEquals(200, http.send("POST", "/queues/brief/messages", "{\"body\":\"b-1\",\"ttlMs\":200}").status());
        final String handle = onlyHandle(http.send("POST", "/queues/brief/messages/receive", "{\"waitMs\":5000}"));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (http.send("GET", "/queues/brief/dlq", null).list("messages").isEmpty())
        {
            assertTrue(System.nanoTime() < deadline, "the message never expired to the dead-letter queue");
            Thread.onSpinWait();
        }
        final HttpJson.Answer late = http.send("DELETE", "/queues/brief/messages/" + handle, null);
        assertEquals(410, late.status(), () -> "expired and dead-lettered, so not deleted: " + late);
    }

    @Test
    void aLongPollWhoseClientHasGoneTakesNoMessage() throws Exception
    {
        assertEquals(201, http.send("PUT", "/queues/left", "{\"visibilityTimeout\":\"10m\"}").status());
        try (Socket socket = new Socket("127.0.0.1", server.port()))
        {
            final byte[] body = "{\"waitMs\":20000}".getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(("POST /queues/left/messages/receive HTTP/1.1\r\nHost: x\r\n" +
                "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            awaitMetric("ringmq_http_receives_waiting 1.0");
        }
        awaitMetric("ringmq_http_receives_waiting 0.0");
        assertEquals(200, http.send("POST", "/queues/left/messages", "{\"body\":\"for-the-living\"}").status());
        final HttpJson.Answer received = http.send("POST", "/queues/left/messages/receive", "{\"waitMs\":5000}");
        final List<Map<String, Object>> messages = received.list("messages");
        assertEquals(1, messages.size(), () -> "not held by the receive whose client went away: " + received);
        assertEquals(1L, messages.get(0).get("attempt"), received::toString);
    }

    @Test
    void aLongPollAnswersWhenAMessageArrivesAndAShortOneAnswersEmpty() throws Exception
    {
        assertEquals(201, http.send("PUT", "/queues/jobs", null).status());
        final HttpJson.Answer empty = http.send("POST", "/queues/jobs/messages/receive", "{\"waitMs\":0}");
        assertEquals(200, empty.status(), empty::toString);
        assertTrue(empty.list("messages").isEmpty(), empty::toString);

        final long startNs = System.nanoTime();
        final CompletableFuture<HttpJson.Answer> waiting = CompletableFuture.supplyAsync(() ->
            http.send("POST", "/queues/jobs/messages/receive", "{\"waitMs\":20000}"));
        assertEquals(200, http.send("POST", "/queues/jobs/messages", "{\"body\":\"job-1\"}").status());
        final HttpJson.Answer answer = waiting.get(30, TimeUnit.SECONDS);
        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        assertEquals("job-1", answer.list("messages").get(0).get("body"), answer::toString);
        assertTrue(waitedMs < 15_000, "answered when the message came, not at the end of the wait: " + waitedMs + " ms");
    }

    @Test
    void aReceiveThatAnsweredShortLeavesNoCreditBehindSoLaterMessagesStayWithTheGroup() throws Exception
    {
        assertEquals(201, http.send("PUT", "/queues/work", null).status());
        http.send("POST", "/queues/work/messages", "{\"body\":\"w1\"}");
        assertEquals(1, http.send("POST", "/queues/work/messages/receive", "{\"max\":10,\"waitMs\":5000}")
            .list("messages").size(), "one there: answered with one, nine credits unused");
        assertEquals(0, http.send("POST", "/queues/work/messages/receive", "{\"max\":10,\"waitMs\":0}")
            .list("messages").size(), "nothing more there");
        http.send("POST", "/queues/work/messages", "{\"body\":\"w2\"}");
        http.send("POST", "/queues/work/messages", "{\"body\":\"w3\"}");

        // Had the face kept its credit, w2 and w3 would be in flight to it now, waiting for a receive.
        final Map<String, Object> stats = http.send("GET", "/queues/work", null).json();
        assertEquals(3L, stats.get("messages"), stats::toString);
        assertEquals(1L, stats.get("inFlight"), () -> "only w1, which a receive holds: " + stats);
        final List<Map<String, Object>> next = http.send("POST", "/queues/work/messages/receive",
            "{\"max\":10,\"waitMs\":5000}").list("messages");
        assertEquals(List.of("w2", "w3"), next.stream().map((m) -> m.get("body")).toList());
        assertEquals(1L, next.get(0).get("attempt"), "never delivered before: not held and given back on the way");
    }

    @Test
    void aMessageGivenBackOrLeftPastItsVisibilityComesBackAsTheNextAttempt()
    {
        assertEquals(201, http.send("PUT", "/queues/tasks", null).status());
        http.send("POST", "/queues/tasks/messages", "{\"body\":\"t\"}");

        final Map<String, Object> first = http.send("POST", "/queues/tasks/messages/receive", "{\"waitMs\":5000}")
            .list("messages").get(0);
        final String firstHandle = (String)first.get("receiptHandle");
        assertEquals(204, http.send("POST", "/queues/tasks/messages/" + firstHandle + "/visibility",
            "{\"timeoutMs\":0}").status(), "visible again at once");

        final Map<String, Object> second = http.send("POST", "/queues/tasks/messages/receive",
            "{\"waitMs\":5000,\"visibilityTimeoutMs\":300}").list("messages").get(0);
        assertEquals(2L, second.get("attempt"));
        final String secondHandle = (String)second.get("receiptHandle");
        assertNotEquals(firstHandle, secondHandle);
        assertEquals(410, http.send("DELETE", "/queues/tasks/messages/" + firstHandle, null).status());

        // Not deleted within its 300 ms: the daemon delivers it again, as the third attempt.
        final Map<String, Object> third = http.send("POST", "/queues/tasks/messages/receive", "{\"waitMs\":20000}")
            .list("messages").get(0);
        assertEquals(3L, third.get("attempt"), third::toString);
        assertEquals(410, http.send("DELETE", "/queues/tasks/messages/" + secondHandle, null).status(),
            "past its visibility timeout");
        assertEquals(204, http.send("DELETE", "/queues/tasks/messages/" + third.get("receiptHandle"), null).status());
        assertEquals(0L, http.send("GET", "/queues/tasks", null).json().get("messages"));
    }

    @Test
    void aRejectedMessageIsADeadLetterThatCanBeInspectedAndRedriven()
    {
        assertEquals(201, http.send("PUT", "/queues/mail", null).status());
        assertTrue(http.send("GET", "/queues/mail/dlq", null).list("messages").isEmpty(), "no dead letters yet");
        http.send("POST", "/queues/mail/messages", "{\"body\":\"poison\"}");
        final String handle = (String)http.send("POST", "/queues/mail/messages/receive",
            "{\"group\":\"senders\",\"waitMs\":5000}").list("messages").get(0).get("receiptHandle");
        assertEquals(204, http.send("POST", "/queues/mail/messages/" + handle + "/reject", null).status());

        final List<Map<String, Object>> letters = http.send("GET", "/queues/mail/dlq", null).list("messages");
        assertEquals(1, letters.size(), letters::toString);
        assertEquals("REJECTED", letters.get(0).get("reason"));
        assertEquals("senders", letters.get(0).get("sourceGroup"));
        assertEquals("poison", letters.get(0).get("body"));

        assertEquals(1L, http.send("POST", "/queues/mail/dlq/redrive", null).json().get("redriven"));
        final Map<String, Object> again = http.send("POST", "/queues/mail/messages/receive",
            "{\"group\":\"senders\",\"waitMs\":5000}").list("messages").get(0);
        assertEquals("poison", again.get("body"));
        assertEquals(1L, again.get("attempt"), "a redriven letter is a new message, first attempt again");
        assertNull(again.get("reason"), "not a dead letter any more: " + again);

        // Received from the dead-letter queue itself, a letter says why it is one, as the listing does.
        assertEquals(204, http.send("POST", "/queues/mail/messages/" + again.get("receiptHandle") + "/reject", null)
            .status());
        final Map<String, Object> letter = http.send("POST", "/queues/mail.dlq/messages/receive",
            "{\"group\":\"triage\",\"waitMs\":5000}").list("messages").get(0);
        assertEquals("poison", letter.get("body"), letter::toString);
        assertEquals("REJECTED", letter.get("reason"), letter::toString);
        assertEquals("mail", letter.get("sourceQueue"), letter::toString);
        assertEquals("senders", letter.get("sourceGroup"), letter::toString);
        assertEquals(1L, letter.get("attempts"), letter::toString);
    }

    @Test
    void queuesAreListedAndDeletedAndAnUnknownQueueIsNotFound()
    {
        assertEquals(404, http.send("POST", "/queues/nowhere/messages/receive", null).status());
        assertEquals(404, http.send("GET", "/queues/nowhere", null).status());
        assertEquals(201, http.send("PUT", "/queues/audit.eu", "{\"delay\":\"1s\"}").status());
        assertEquals(201, http.send("PUT", "/queues/audit.us", null).status());
        final List<Map<String, Object>> listed = http.send("GET", "/queues?pattern=audit.*", null).list("queues");
        assertEquals(List.of("audit.eu", "audit.us"), listed.stream().map((q) -> q.get("queue")).toList());
        assertEquals(1000L, listed.get(0).get("delayMs"));
        assertNull(listed.get(0).get("dlqDepth"), "no dead-letter queue yet");

        // A receive leaves the face's consumer attached; deleting through the face detaches it, no force needed.
        http.send("POST", "/queues/audit.us/messages", "{\"body\":\"a\"}");
        assertFalse(http.send("POST", "/queues/audit.us/messages/receive", "{\"waitMs\":5000}")
            .list("messages").isEmpty());
        final HttpJson.Answer deleted = http.send("DELETE", "/queues/audit.us", null);
        assertEquals(200, deleted.status(), deleted::toString);
        assertEquals(1L, deleted.json().get("deleted"));
        assertEquals(404, http.send("GET", "/queues/audit.us", null).status());
        assertEquals(200, http.send("GET", "/health", null).status());
    }

    @Test
    void theDeadLetterQueueOfAQueueOfTheLongestNameCanBeReceivedFromPurgedAndDeleted()
    {
        final String queue = "q".repeat(255);
        final String dlq = queue + ".dlq";
        http.send("POST", "/queues/" + queue + "/messages", "{\"body\":\"long\"}");
        final String handle = (String)http.send("POST", "/queues/" + queue + "/messages/receive", "{\"waitMs\":5000}")
            .list("messages").get(0).get("receiptHandle");
        assertEquals(204, http.send("POST", "/queues/" + queue + "/messages/" + handle + "/reject", null).status());

        final HttpJson.Answer stats = http.send("GET", "/queues/" + dlq, null);
        assertEquals(200, stats.status(), stats::toString);
        assertEquals(1L, stats.json().get("messages"), stats::toString);
        final List<Map<String, Object>> letters = http.send("POST", "/queues/" + dlq + "/messages/receive",
            "{\"waitMs\":5000}").list("messages");
        assertEquals("long", letters.get(0).get("body"));
        assertEquals(200, http.send("POST", "/queues/" + dlq + "/purge", null).status());
        final HttpJson.Answer deleted = http.send("DELETE", "/queues/" + dlq + "?force=true", null);
        assertEquals(200, deleted.status(), deleted::toString);
        assertEquals(404, http.send("GET", "/queues/" + dlq, null).status());
        assertEquals(400, http.send("GET", "/queues/" + queue + "q.dlq", null).status(), "256 and .dlq: too long");
    }

    @Test
    void aGroupMadeByAMistypedReceiveKeepsMessagesUntilDeleted()
    {
        assertEquals(201, http.send("PUT", "/queues/typo", null).status());
        assertTrue(http.send("POST", "/queues/typo/messages/receive", "{\"group\":\"bililng\"}")
            .list("messages").isEmpty());
        http.send("POST", "/queues/typo/messages", "{\"body\":\"t1\"}");
        final String handle = (String)http.send("POST", "/queues/typo/messages/receive",
            "{\"group\":\"billing\",\"waitMs\":5000}").list("messages").get(0).get("receiptHandle");
        assertEquals(204, http.send("DELETE", "/queues/typo/messages/" + handle, null).status());
        assertEquals(1L, http.send("GET", "/queues/typo", null).json().get("messages"), "kept for 'bililng'");

        final HttpJson.Answer deleted = http.send("DELETE", "/queues/typo/groups/bililng", null);
        assertEquals(200, deleted.status(), deleted::toString);
        assertEquals(Map.of("queue", "typo", "group", "bililng", "deleted", 1L), deleted.json());
        assertEquals(0L, http.send("GET", "/queues/typo", null).json().get("messages"));
        assertEquals(List.of("billing"), http.send("GET", "/queues/typo/groups", null).list("groups").stream()
            .map((g) -> g.get("group")).toList());
        final HttpJson.Answer again = http.send("DELETE", "/queues/typo/groups/bililng", null);
        assertEquals(404, again.status(), again::toString);
        assertEquals("UNKNOWN_GROUP", again.json().get("error"));
    }

    private static String onlyHandle(final HttpJson.Answer received)
    {
        final List<Map<String, Object>> messages = received.list("messages");
        assertEquals(1, messages.size(), received::toString);
        return (String)messages.get(0).get("receiptHandle");
    }

    private void awaitMetric(final String line)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!http.send("GET", "/metrics", null).body().lines().anyMatch(line::equals))
        {
            assertTrue(System.nanoTime() < deadline, () -> "never: " + line);
            Thread.onSpinWait();
        }
    }
}
