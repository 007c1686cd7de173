package io.ringmq.http;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which request reaches which route, and what the face answers itself without asking the service. */
class RoutingTest extends HttpFaceFixture
{
    @Test
    void aPathWithNoRouteIs404()
    {
        get("/nope").isError(404, "NOT_FOUND", "/nope");
        get("/queues/orders/nope").isError(404, "NOT_FOUND", "/queues/orders/nope");
        get("/").isError(404, "NOT_FOUND", "/");
        get("/queues/").isError(404, "NOT_FOUND", "/queues/");
        get("/queues//groups").isError(404, "NOT_FOUND", "/queues//groups");
        post("/queues/orders/messages/h/visibility/more", "{}").isError(404, "NOT_FOUND", "more");
        assertEquals(0, service.untaken());
    }

    @Test
    void aMethodThePathDoesNotTakeIs405WithAllow()
    {
        assertEquals("GET, HEAD", delete("/health").isError(405, "METHOD_NOT_ALLOWED", "/health").headers()
            .firstValue("allow").orElseThrow());
        assertEquals("GET, HEAD, PUT, DELETE", post("/queues/orders", "{}").isError(405, "METHOD_NOT_ALLOWED", "POST")
            .headers().firstValue("allow").orElseThrow());
        assertEquals("POST", get("/queues/orders/messages").isError(405, "METHOD_NOT_ALLOWED", "GET").headers()
            .firstValue("allow").orElseThrow());
        assertEquals("DELETE", get("/queues/orders/messages/h-1").isError(405, "METHOD_NOT_ALLOWED", "{handle}")
            .headers().firstValue("allow").orElseThrow());
        assertEquals("POST", delete("/queues/orders/messages/batch").isError(405, "METHOD_NOT_ALLOWED", "batch")
            .headers().firstValue("allow").orElseThrow(), "a literal segment wins over a receipt handle");
        assertEquals("GET, HEAD", put("/queues", "{}").isError(405, "METHOD_NOT_ALLOWED", "PUT").headers()
            .firstValue("allow").orElseThrow());
        assertEquals(0, service.untaken());
    }

    @Test
    void aBadQueueOrGroupNameIs400InvalidNameBeforeTheService()
    {
        get("/queues/bad%24name").isError(400, "INVALID_NAME", "'bad$name'");
        get("/queues/a%2Fb").isError(400, "INVALID_NAME", "'a/b'");
        get("/queues/" + "q".repeat(256)).isError(400, "INVALID_NAME", "queue name");
        get("/queues/" + "q".repeat(256) + ".dlq").isError(400, "INVALID_NAME", "up to 259 if it ends in .dlq");
        put("/queues/sp%20ace", null).isError(400, "INVALID_NAME", "'sp ace'");
        post("/queues/orders/messages/receive", "{\"group\":\"no way\"}").isError(400, "INVALID_NAME", "group name");
        get("/queues/orders/dlq?group=a*b").isError(400, "INVALID_NAME", "group name");
        assertEquals(0, service.untaken());

        assertEquals(200, get("/queues/" + "q".repeat(255)).status());
        service.next("stats");
        assertEquals(200, get("/queues/" + "q".repeat(255) + ".dlq").status(), "the dead-letter queue of the longest");
        service.next("stats");
    }

    @Test
    void aBadNameOnAMatchedRouteIsCountedUnderThatRouteAndOnlyAnUnmatchedRequestUnderNone()
    {
        put("/queues/a%20b", null).isError(400, "INVALID_NAME", "'a b'");
        get("/queues/a%20b").isError(400, "INVALID_NAME", "'a b'");
        delete("/queues/q/groups/a%20b").isError(400, "INVALID_NAME", "'a b'");
        assertEquals(405, send("PATCH", "/queues/q", null).status());
        get("/nowhere").isError(404, "NOT_FOUND", "/nowhere");

        final String metrics = get("/metrics").body();
        for (final String line : List.of(
            "ringmq_http_requests_total{route=\"declare_queue\",status=\"400\"} 1.0",
            "ringmq_http_requests_total{route=\"queue_stats\",status=\"400\"} 1.0",
            "ringmq_http_requests_total{route=\"delete_group\",status=\"400\"} 1.0",
            "ringmq_http_requests_total{route=\"none\",status=\"405\"} 1.0",
            "ringmq_http_requests_total{route=\"none\",status=\"404\"} 1.0"))
        {
            assertTrue(metrics.contains(line), () -> line + " in\n" + metrics);
        }
    }

    @Test
    void pathSegmentsArePercentDecodedOneByOne()
    {
        assertEquals(200, get("/queues/orders%2Eeu").status());
        assertEquals("orders.eu", service.next("stats").arg(0));
        assertEquals(204, delete("/queues/orders/messages/a%2Fb+c%3D%3D").status());
        final FakeQueueService.Call call = service.next("delete");
        assertEquals("orders", call.arg(0));
        assertEquals("a/b+c==", call.arg(1), "%2F is part of the handle and + stays a plus");
    }

    @Test
    void aBrokenEscapeIs400() throws IOException
    {
        try (RawConnection connection = new RawConnection(server.port()))
        {
            final RawConnection.Response broken = connection.write(RawConnection.request("GET", "/queues/a%zz", null))
                .read();
            assertEquals(400, broken.status());
            assertTrue(TestJson.object(broken.body()).get("message").toString().contains("%-escape"), broken.body());
            final RawConnection.Response notUtf8 = connection.write(RawConnection.request("GET", "/queues/a%C3", null))
                .read();
            assertEquals(400, notUtf8.status());
            assertTrue(TestJson.object(notUtf8.body()).get("message").toString().contains("UTF-8"), notUtf8.body());
            final RawConnection.Response query = connection.write(RawConnection.request("GET", "/queues?pattern=%zz",
                null)).read();
            assertEquals(400, query.status());
            assertEquals("BAD_REQUEST", TestJson.object(query.body()).get("error"), query.body());
        }
        assertEquals(0, service.untaken());
    }

    @Test
    void aQueryParameterTheRouteDoesNotTakeIs400()
    {
        get("/health?verbose=1").isError(400, "BAD_REQUEST", "'verbose'");
        get("/queues?patern=x").isError(400, "BAD_REQUEST", "'patern' (known: pattern)");
        get("/queues?pattern=a&pattern=b").isError(400, "BAD_REQUEST", "given 2 times");
        assertEquals(0, service.untaken());
    }

    @Test
    void aRouteThatTakesNoBodyRefusesOneButTakesAnEmptyObject()
    {
        post("/queues/orders/purge", "{\"all\":true}").isError(400, "BAD_REQUEST", "unknown field 'all'");
        assertEquals(0, service.untaken());
        assertEquals(200, post("/queues/orders/purge", "{}").status());
        service.next("purge");
    }
}
