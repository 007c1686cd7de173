package io.ringmq.perf.http;

import io.ringmq.client.QueueOptions;
import io.ringmq.http.ClientQueueService;
import io.ringmq.http.HttpFaceServer;
import io.ringmq.perf.InProcessDaemon;
import io.ringmq.perf.PerfArgs;
import io.ringmq.perf.PerfMain;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the HTTP face does with the CPU it gets: HTTP clients (the JDK's, HTTP/1.1 keep-alive, each thread waiting for
 * its answer before the next request) against the face and an in-process daemon, in one JVM. After a warm-up of
 * every kind of request, five passes, each after a warm-up of its own as long: sends of one message, sends of ten ({@code /messages/batch}), receive (ten at
 * most) then delete each, then sends of ten again and receive then one batch delete ({@code /messages/delete}), each
 * receive pass until the queue the sends filled is empty or the time is up. Reports requests (a receive round: its
 * receive and deletes) and messages per second, and the round trip's percentiles.
 * <p>
 * {@code perf/bin/perf-java io.ringmq.perf.http.HttpFaceLoad [--clients N] [--seconds S] [--fsync NONE|BATCH]}
 */
public final class HttpFaceLoad
{
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: HttpFaceLoad [options]",
        "  --clients N   HTTP client threads, each with one request outstanding (4)",
        "  --seconds S   length of each pass, after a warm-up as long (5)",
        "  --fsync F     the daemon's ringmq.journal.fsync: NONE or BATCH (NONE)");
    private static final Pattern HANDLE = Pattern.compile("\"receiptHandle\":\"([A-Za-z0-9_-]+)\"");
    private static final String BODY = "x".repeat(100);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    private HttpFaceLoad(final int port)
    {
        this.base = "http://127.0.0.1:" + port;
    }

    public static void main(final String[] args)
    {
        PerfMain.runAndExit(() ->
        {
            final PerfArgs options = PerfArgs.parse(args, List.of("--clients", "--seconds", "--fsync"),
                List.of("--help"), USAGE);
            if (options.has("--help"))
            {
                System.out.println(USAGE);
                return;
            }
            final int clients = options.integer("--clients", 4);
            final int seconds = options.integer("--seconds", 5);
            final String fsync = options.string("--fsync", "NONE");
            if (clients < 1 || seconds < 1)
            {
                throw new IllegalArgumentException("--clients >= 1, --seconds >= 1\n" + USAGE);
            }
            try (InProcessDaemon daemon = InProcessDaemon.launch(Map.of("ringmq.journal.fsync", fsync));
                ClientQueueService service = ClientQueueService.connect(
                    daemon.clientContext("http-face", null), 30_000);
                HttpFaceServer server = HttpFaceServer.start(service, "127.0.0.1", 0, 16 << 20))
            {
                service.declareQueue("load", QueueOptions.unset()).join();
                final HttpFaceLoad load = new HttpFaceLoad(server.port());
                System.out.println("HTTP face, in-process daemon (fsync " + fsync + "), " + clients +
                    " client threads, 100-byte bodies, " + seconds + " s per pass after a warm-up as long");
                final String one = "{\"body\":\"" + BODY + "\"}";
                final String ten = "{\"messages\":[" + String.join(",", java.util.Collections.nCopies(10, one)) + "]}";
                // Every kind of request once first: the first pass otherwise runs while the JIT compiles them all.
                run(clients, seconds, 1, () -> load.post("/queues/load/messages", one), null);
                run(clients, seconds, 10, () -> load.post("/queues/load/messages/batch", ten), null);
                run(clients, seconds, 0, () -> load.receiveAndDelete(false), null);
                run(clients, seconds, 0, () -> load.receiveAndDelete(true), null);
                load.pass("send", clients, seconds, 1, () -> load.post("/queues/load/messages", one));
                load.pass("send batch of 10", clients, seconds, 10, () -> load.post("/queues/load/messages/batch", ten));
                load.pass("receive (max 10) + delete each", clients, seconds, 0, () -> load.receiveAndDelete(false));
                load.pass("send batch of 10", clients, seconds, 10, () -> load.post("/queues/load/messages/batch", ten));
                load.pass("receive (max 10) + batch delete", clients, seconds, 0, () -> load.receiveAndDelete(true));
            }
        });
    }

    /** One request, and the messages it moved (sends) or -1 to say it counted its own. */
    private interface Request
    {
        int run() throws IOException, InterruptedException;
    }

    private void pass(final String name, final int clients, final int seconds, final int messagesPerRequest,
        final Request request) throws InterruptedException
    {
        run(clients, seconds, messagesPerRequest, request, null); // warm-up
        final Histogram roundTrips = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final long[] counts = run(clients, seconds, messagesPerRequest, request, roundTrips);
        System.out.printf("  %-32s %9.0f requests/s %9.0f messages/s   round trip p50 %7.1f us  p99 %8.1f us" +
                "  p99.9 %8.1f us%n", name, counts[0] / (double)seconds, counts[1] / (double)seconds,
            roundTrips.getValueAtPercentile(50) / 1e3, roundTrips.getValueAtPercentile(99) / 1e3,
            roundTrips.getValueAtPercentile(99.9) / 1e3);
    }

    /** @return {requests, messages} over the pass. */
    private static long[] run(final int clients, final int seconds, final int messagesPerRequest,
        final Request request, final Histogram roundTrips) throws InterruptedException
    {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong messages = new AtomicLong();
        final long endNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        final List<Thread> threads = new ArrayList<>();
        final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < clients; i++)
        {
            final Thread thread = new Thread(() ->
            {
                final Histogram own = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
                try
                {
                    while (System.nanoTime() < endNs)
                    {
                        final long startNs = System.nanoTime();
                        final int moved = request.run();
                        own.recordValue(Math.min(System.nanoTime() - startNs, own.getHighestTrackableValue()));
                        requests.incrementAndGet();
                        messages.addAndGet(moved >= 0 ? moved : messagesPerRequest);
                    }
                }
                catch (final Exception ex)
                {
                    failures.add(ex);
                }
                if (null != roundTrips)
                {
                    synchronized (roundTrips)
                    {
                        roundTrips.add(own);
                    }
                }
            }, "http-load-" + i);
            threads.add(thread);
            thread.start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        if (!failures.isEmpty())
        {
            throw new IllegalStateException("a request failed: " + failures.get(0), failures.get(0));
        }
        return new long[] {requests.get(), messages.get()};
    }

    private int post(final String path, final String body) throws IOException, InterruptedException
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (200 != response.statusCode())
        {
            throw new IOException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return -1;
    }

    /**
     * A receive of up to ten, then a delete of each, or one batch delete of them all: the messages deleted. The
     * requests of one round count as one, and are timed as one.
     */
    private int receiveAndDelete(final boolean batch) throws IOException, InterruptedException
    {
        final HttpResponse<String> received = http.send(HttpRequest.newBuilder(
            URI.create(base + "/queues/load/messages/receive"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString("{\"max\":10,\"waitMs\":1000}")).build(),
            HttpResponse.BodyHandlers.ofString());
        final Matcher handles = HANDLE.matcher(received.body());
        if (batch)
        {
            final List<String> quoted = new ArrayList<>();
            while (handles.find())
            {
                quoted.add('"' + handles.group(1) + '"');
            }
            if (!quoted.isEmpty())
            {
                post("/queues/load/messages/delete", "{\"receiptHandles\":[" + String.join(",", quoted) + "]}");
            }
            return quoted.size();
        }
        int deleted = 0;
        while (handles.find())
        {
            final HttpResponse<Void> delete = http.send(HttpRequest.newBuilder(
                URI.create(base + "/queues/load/messages/" + handles.group(1)))
                .timeout(Duration.ofSeconds(30)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
            if (204 != delete.statusCode())
            {
                throw new IOException("delete answered " + delete.statusCode());
            }
            deleted++;
        }
        return deleted;
    }
}
