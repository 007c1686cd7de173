package io.ringmq.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A face on a free port over a {@link FakeQueueService}, and an HTTP/1.1 client to drive it, per test.
 */
abstract class HttpFaceFixture
{
    static final int MAX_BODY_BYTES = 4096;
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final HttpClient CLIENT = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(TIMEOUT)
        .build();

    /** A reply as the client got it. */
    record Reply(int status, java.net.http.HttpHeaders headers, String body)
    {
        Map<String, Object> json()
        {
            assertEquals("application/json; charset=utf-8", headers.firstValue("content-type").orElse(null), body);
            return TestJson.object(body);
        }

        /** Asserts an error reply: its status, its code, and that its message says {@code says}. */
        Reply isError(final int expectedStatus, final String code, final String says)
        {
            assertEquals(expectedStatus, status, body);
            final Map<String, Object> json = json();
            assertEquals(code, json.get("error"), body);
            assertTrue(((String)json.get("message")).contains(says), body);
            assertEquals(2, json.size(), body);
            return this;
        }
    }

    final FakeQueueService service = new FakeQueueService();
    HttpFaceServer server;

    @BeforeEach
    void startFace()
    {
        server = HttpFaceServer.start(service, "127.0.0.1", 0, MAX_BODY_BYTES);
    }

    @AfterEach
    void closeFace()
    {
        server.close();
    }

    Reply get(final String path)
    {
        return send("GET", path, null);
    }

    Reply post(final String path, final String json)
    {
        return send("POST", path, json);
    }

    Reply put(final String path, final String json)
    {
        return send("PUT", path, json);
    }

    Reply delete(final String path)
    {
        return send("DELETE", path, null);
    }

    Reply send(final String method, final String path, final String body)
    {
        try
        {
            final HttpResponse<String> response = CLIENT.send(request(method, path, body),
                HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        }
        catch (final IOException ex)
        {
            throw new AssertionError(method + " " + path + " failed", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** Sends without waiting for the reply. */
    CompletableFuture<Reply> sendAsync(final String method, final String path, final String body)
    {
        return CLIENT.sendAsync(request(method, path, body), HttpResponse.BodyHandlers.ofString())
            .thenApply((response) -> new Reply(response.statusCode(), response.headers(), response.body()));
    }

    private HttpRequest request(final String method, final String path, final String body)
    {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(TIMEOUT)
            .method(method, null == body ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build();
    }
}
