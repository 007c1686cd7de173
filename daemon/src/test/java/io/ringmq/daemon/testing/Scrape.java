package io.ringmq.daemon.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Scrapes a daemon's Prometheus endpoint over loopback, as Prometheus would (text format). */
public final class Scrape
{
    private Scrape()
    {
    }

    /** The body of {@code GET /metrics}; fails the test on any status but 200. */
    public static String metrics(final int port) throws IOException, InterruptedException
    {
        final HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response::body);
        return response.body();
    }

    /** The exposition's samples: "name{labels}" to value. */
    public static Map<String, Double> samples(final String body)
    {
        final Map<String, Double> samples = new HashMap<>();
        for (final String line : body.split("\n"))
        {
            if (!line.isBlank() && !line.startsWith("#"))
            {
                final int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    /** A TCP port free now, for an endpoint to listen on. */
    public static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
