package io.ringmq.daemon.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.Daemon;
import io.ringmq.daemon.DaemonContext;
import io.ringmq.daemon.testing.Scrape;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Prometheus and Grafana see of a running daemon: its scrape passes the Prometheus project's own checker
 * ({@code promtool check metrics}: CI installs it, see .ci/run; a developer without it skips that test), and every
 * metric the shipped Grafana dashboard (ops/grafana/ringmq.json) queries is one the endpoint exposes.
 */
class ScrapeLintAndDashboardTest
{
    private static final long TIMEOUT_MS = 10_000;
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Pattern METRIC_NAME = Pattern.compile("\\bringmq_[a-z0-9_]+");
    /** The dashboard's fields that hold PromQL: panel targets, template variables. */
    private static final Set<String> QUERY_FIELDS = Set.of("expr", "query", "definition");

    @TempDir
    Path tempDir;

    private Daemon daemon;
    private RingmqClient client;
    private String scraped;

    /** A daemon with a sample of every kind: a queue with a group, a dead letter, an error code, every stage. */
    @BeforeEach
    void scrapeADaemonThatDidSomething() throws Exception
    {
        final RingmqConfig config = TestDaemons.config(tempDir,
            Map.of("ringmq.metrics.prometheus.port", Integer.toString(Scrape.freePort())));
        daemon = Daemon.launch(new DaemonContext().settings(config));
        final List<Exception> errors = new CopyOnWriteArrayList<>();
        client = TestDaemons.connect(config, new io.ringmq.client.ClientContext().errorHandler(errors::add));
        final Publisher publisher = client.publisher("orders");
        publisher.publishAndWait("keep");
        publisher.publishAndWait("reject");
        final List<String> seen = new CopyOnWriteArrayList<>();
        client.consumer("orders", "billing", 10, (delivery) ->
        {
            seen.add(delivery.payloadAsString());
            if ("reject".equals(delivery.payloadAsString()))
            {
                delivery.reject();
            }
            else
            {
                delivery.ack();
            }
        });
        pollUntil(client, () -> seen.size() == 2, TIMEOUT_MS, "both deliveries");
        client.consumer("orders", "audit", 1, (delivery) -> { }).ack(1, 9); // refused: an error code
        pollUntil(client, () -> !errors.isEmpty(), TIMEOUT_MS, "the refused ack's error");
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        do
        {
            scraped = Scrape.metrics(config.metricsPrometheusPort());
            client.poll();
        }
        // Each metric family reads the counters as they stand when it is collected, so the scrape that first has a
        // row may have it in one family and not yet in the next: wait until every kind is in all of theirs.
        while (!(scraped.contains("ringmq_errors_total{") && scraped.contains("queue=\"orders.dlq\"") &&
            everyGroupFamilyHas(scraped, "audit")) && System.nanoTime() - deadlineNs < 0);
    }

    private static boolean everyGroupFamilyHas(final String scraped, final String group)
    {
        for (final String family : List.of("ringmq_group_lag", "ringmq_group_consumers", "ringmq_group_in_flight"))
        {
            if (!scraped.contains(family + "{queue=\"orders\",group=\"" + group + "\"}") &&
                !scraped.contains(family + "{group=\"" + group + "\",queue=\"orders\"}"))
            {
                return false;
            }
        }
        return true;
    }

    @AfterEach
    void stop()
    {
        client.close();
        daemon.close();
    }

    @Test
    void theScrapePassesPromtoolCheckMetrics() throws Exception
    {
        final File promtool = onPath("promtool");
        if (null == promtool)
        {
            assertTrue(null == System.getenv("CI"), "CI must have promtool (Debian package prometheus, see .ci/run)");
            Assumptions.abort("promtool is not installed (apt-get install prometheus); CI runs this check");
        }
        final Process process = new ProcessBuilder(promtool.getPath(), "check", "metrics")
            .redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream())
        {
            in.write(scraped.getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> "promtool check metrics:\n" + output + "\nscraped:\n" + scraped);
        assertEquals("", output.strip(), () -> "promtool check metrics:\n" + output);
    }

    @Test
    void everyMetricTheDashboardQueriesIsOneTheEndpointExposes() throws IOException
    {
        final Set<String> exposed = new TreeSet<>();
        Scrape.samples(scraped).keySet().forEach((sample) -> exposed.add(sample.replaceAll("\\{.*", "")));
        final Set<String> queried = dashboardMetricNames(ROOT.resolve("ops/grafana/ringmq.json"));

        assertTrue(queried.size() >= 15, () -> "the dashboard queries " + queried);
        final Set<String> unknown = new TreeSet<>(queried);
        unknown.removeAll(exposed);
        assertEquals(Set.of(), unknown, () -> "the dashboard queries metrics the endpoint lacks; it exposes " + exposed);
        for (final String wanted : List.of("ringmq_queue_depth", "ringmq_group_lag", "ringmq_queue_dead_lettered_total",
            "ringmq_stage_latency_seconds", "ringmq_replication_lag", "ringmq_queue_published_total",
            "ringmq_groups_expired_total", "ringmq_queues_expired_total"))
        {
            assertTrue(queried.contains(wanted), () -> "the dashboard shows no " + wanted);
        }
    }

    /** The ringmq metric names in every query of the dashboard (panel targets and template variables). */
    private static Set<String> dashboardMetricNames(final Path dashboard) throws IOException
    {
        final Set<String> names = new TreeSet<>();
        try (JsonParser parser = new JsonFactory().createParser(Files.readString(dashboard)))
        {
            JsonToken token;
            while (null != (token = parser.nextToken()))
            {
                if (JsonToken.VALUE_STRING == token && QUERY_FIELDS.contains(String.valueOf(parser.currentName())))
                {
                    final Matcher matcher = METRIC_NAME.matcher(parser.getText());
                    while (matcher.find())
                    {
                        names.add(matcher.group());
                    }
                }
            }
        }
        return names;
    }

    private static File onPath(final String command)
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        {
            final File file = new File(dir, command);
            if (file.canExecute())
            {
                return file;
            }
        }
        return null;
    }
}
