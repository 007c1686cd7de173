package io.ringmq.daemon.counters;

import io.ringmq.client.ClientContext;
import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.Daemon;
import io.ringmq.daemon.DaemonContext;
import io.ringmq.daemon.testing.Scrape;
import io.ringmq.daemon.testing.TestDaemons;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon's counters as another reader sees them: through the CnC file mapped apart from the daemon (as
 * {@code ringmq stat} maps it), and scraped over HTTP from the Prometheus endpoint. Both agree with what was
 * published, acked, nacked and dead-lettered, and with the errors answered.
 */
class CountersEndToEndTest
{
    private static final long TIMEOUT_MS = 10_000;

    @TempDir
    Path tempDir;

    private RingmqConfig config;
    private Daemon daemon;
    private RingmqClient client;
    private final List<RingmqException> errors = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException
    {
        config = TestDaemons.config(tempDir, Map.of("ringmq.metrics.prometheus.port", Integer.toString(Scrape.freePort()),
            "ringmq.metrics.hlog.path", tempDir.resolve("stages.hlog").toString(),
            "ringmq.metrics.hlog.interval", "100ms"));
        daemon = Daemon.launch(new DaemonContext().settings(config));
        client = TestDaemons.connect(config, new ClientContext().errorHandler(errors::add));
    }

    @AfterEach
    void stop()
    {
        client.close();
        daemon.close();
    }

    @Test
    void countersReadFromTheCncFileAndScrapedOverHttpAgreeWithWhatHappened() throws Exception
    {
        final Publisher publisher = client.publisher("orders");
        for (int i = 1; i <= 4; i++)
        {
            publisher.publishAndWait("m" + i);
        }
        final List<String> seen = new CopyOnWriteArrayList<>();
        client.consumer("orders", "g", 10, (delivery) ->
        {
            seen.add(delivery.payloadAsString() + "/" + delivery.attempt());
            switch (delivery.payloadAsString() + "/" + delivery.attempt())
            {
                case "m3/1" -> delivery.reject();
                case "m4/1" -> delivery.nack();
                default -> delivery.ack();
            }
        });
        pollUntil(client, () -> seen.contains("m4/2"), TIMEOUT_MS, "the nacked message's second attempt");
        client.publisher("orders").publishAndWait("m5");
        pollUntil(client, () -> seen.contains("m5/1"), TIMEOUT_MS, "m5");
        final var stale = client.consumer("orders", "h", 1, (delivery) -> { });
        stale.ack(1, 9); // no such delivery: refused with an error code, counted by code
        pollUntil(client, () -> !errors.isEmpty(), TIMEOUT_MS, "the refused ack's error");
        final String code = errors.get(0).code().name();

        final Map<String, Long> expected = new HashMap<>();
        expected.put("orders.published", 5L);
        expected.put("orders.delivered", 6L); // m4 twice; h came when nothing was left, so got nothing
        expected.put("orders.acked", 4L);
        expected.put("orders.nacked", 2L);
        expected.put("orders.redelivered", 1L);
        expected.put("orders.dead_lettered", 1L);
        expected.put("orders.dlq.depth", 1L);
        expected.put("orders.dlq.published", 1L);
        expected.put("g.lag", 0L);
        expected.put("g.consumers", 1L);
        expected.put("h.consumers", 1L);
        expected.put("h.lag", 0L);
        expected.put("errors." + code, 1L);
        expected.put("daemon.sessions", 1L);
        expected.put("daemon.ring_remaining", 1024L); // once idle, the ring is empty
        expected.put("stage.publish_to_deliver.count", 5L); // first attempts only: m4's second is not counted
        expected.put("stage.deliver_to_ack.count", 4L); // m1, m2, m4/2 and m5 acked; m3 rejected, m4/1 nacked
        expected.put("stage.request_to_reply.count", 0L);

        final long deadlineNs = System.nanoTime() + TIMEOUT_MS * 1_000_000;
        Map<String, Long> read = Map.of();
        while (!read.entrySet().containsAll(expected.entrySet()) && System.nanoTime() - deadlineNs < 0)
        {
            try (CncCounters cnc = CncCounters.open(config.aeronDir()))
            {
                read = flatten(CountersReport.read(cnc.reader()));
            }
            client.poll();
        }
        final Map<String, Long> last = read;
        expected.forEach((name, value) -> assertEquals(value, last.get(name), () -> name + " in " + last));
        assertTrue(last.get("daemon.journal_position") > 0, last::toString);
        for (final String stage : List.of("ingress_to_journaled", "ingress_to_dispatched"))
        {
            // at least the connect, five publishes and two subscribes went through both
            assertTrue(last.get("stage." + stage + ".count") >= 8, () -> stage + " in " + last);
            assertTrue(last.get("stage." + stage + ".sum_ns") > 0, () -> stage + " in " + last);
        }
        assertEquals(0L, last.get("stage.ingress_to_replicated.count"), "no standby: nothing replicated");
        assertJournalSyncsTimedOneByOne();

        final Map<String, Double> scraped = Scrape.samples(Scrape.metrics(config.metricsPrometheusPort()));
        assertEquals(5.0, scraped.get("ringmq_queue_published_total{queue=\"orders\"}"), scraped::toString);
        assertEquals(4.0, scraped.get("ringmq_queue_acked_total{queue=\"orders\"}"), scraped::toString);
        assertEquals(1.0, scraped.get("ringmq_queue_dead_lettered_total{queue=\"orders\"}"), scraped::toString);
        assertEquals(1.0, scraped.get("ringmq_queue_depth{queue=\"orders.dlq\"}"), scraped::toString);
        assertEquals(0.0, scraped.get("ringmq_group_lag{group=\"g\",queue=\"orders\"}"), scraped::toString);
        assertEquals(1.0, scraped.get("ringmq_errors_total{code=\"" + code + "\"}"), scraped::toString);
        assertTrue(scraped.get("ringmq_ring_remaining") > 0, scraped::toString);
        final Double age = scraped.get("ringmq_queue_oldest_message_age_seconds{queue=\"orders.dlq\"}");
        assertNotNull(age, scraped::toString);
        assertTrue(age >= 0 && age < 600, scraped::toString);
        assertTrue(scraped.containsKey("ringmq_journal_sync_seconds_total"), scraped::toString);
        assertTrue(scraped.containsKey("ringmq_journal_syncs_slow_total"), scraped::toString);
        assertTrue(scraped.get("ringmq_stage_latency_seconds_count{stage=\"journal_sync\"}") > 0, scraped::toString);
        assertEquals(4.0, scraped.get("ringmq_stage_latency_seconds_count{stage=\"deliver_to_ack\"}"),
            scraped::toString);
        assertTrue(scraped.get("ringmq_stage_latency_seconds_sum{stage=\"ingress_to_journaled\"}") > 0,
            scraped::toString);
        assertTrue(scraped.keySet().stream().anyMatch((name) -> name.startsWith("ringmq_stage_latency_seconds{") &&
            name.contains("quantile=\"0.99\"") && name.contains("stage=\"publish_to_deliver\"")), scraped::toString);
        assertTrue(scraped.containsKey("ringmq_stage_latency_max_seconds{stage=\"request_to_reply\"}"),
            scraped::toString);

        final long hlogDeadlineNs = System.nanoTime() + TIMEOUT_MS * 1_000_000;
        while (loggedCount("deliver_to_ack") < 4)
        {
            assertTrue(System.nanoTime() - hlogDeadlineNs < 0, "4 acks in the .hlog");
            client.poll();
        }
    }

    /**
     * With the default fsync (BATCH) every sync is counted and its latency is in the journal_sync stage, one value per
     * sync: once idle the two counts agree. None of them is slow by the default threshold's measure unless it took 1 s.
     */
    private void assertJournalSyncsTimedOneByOne()
    {
        final long deadlineNs = System.nanoTime() + TIMEOUT_MS * 1_000_000;
        Map<String, Long> read = Map.of();
        while (System.nanoTime() - deadlineNs < 0)
        {
            try (CncCounters cnc = CncCounters.open(config.aeronDir()))
            {
                read = flatten(CountersReport.read(cnc.reader()));
            }
            final Long syncs = read.get("daemon.journal_syncs");
            if (null != syncs && syncs > 0 && syncs.equals(read.get("stage.journal_sync.count")))
            {
                break;
            }
            client.poll();
        }
        final Map<String, Long> last = read;
        assertTrue(last.get("daemon.journal_syncs") > 0, last::toString);
        assertEquals(last.get("daemon.journal_syncs"), last.get("stage.journal_sync.count"), last::toString);
        assertTrue(last.get("stage.journal_sync.sum_ns") > 0, last::toString);
        assertTrue(last.get("stage.journal_sync.sum_ns") <= last.get("daemon.journal_sync_ns") + 1_000_000,
            last::toString); // the same syncs' time, the histogram's sum rounded to its precision
        assertTrue(last.get("daemon.journal_syncs_slow") <= last.get("daemon.journal_syncs"), last::toString);
    }

    /** The values of one stage in the daemon's .hlog so far, read with HdrHistogram's reader; 0 if cut mid-line. */
    private long loggedCount(final String stage) throws IOException
    {
        long count = 0;
        try (HistogramLogReader reader = new HistogramLogReader(tempDir.resolve("stages.hlog").toFile()))
        {
            EncodableHistogram next;
            while (null != (next = reader.nextIntervalHistogram()))
            {
                final Histogram histogram = (Histogram)next;
                count += stage.equals(histogram.getTag()) ? histogram.getTotalCount() : 0;
            }
        }
        catch (final RuntimeException ex)
        {
            return 0; // read while the daemon was writing an interval: the next read sees it whole
        }
        return count;
    }

    /** "QUEUE.field" for queues, "GROUP.field" for groups, "daemon.field", "errors.CODE", "stage.STAGE.field". */
    private static Map<String, Long> flatten(final CountersReport report)
    {
        final Map<String, Long> flat = new HashMap<>();
        for (final CountersReport.Row row : report.queues())
        {
            row.values().forEach((counter, value) -> flat.put(row.queue() + "." + counter.fieldName(), value));
        }
        for (final CountersReport.Row row : report.groups())
        {
            row.values().forEach((counter, value) -> flat.put(row.group() + "." + counter.fieldName(), value));
        }
        report.daemon().forEach((counter, value) -> flat.put("daemon." + counter.fieldName(), value));
        report.errors().forEach((code, count) -> flat.put("errors." + code, count));
        for (final CountersReport.Row row : report.stages())
        {
            row.values().forEach((counter, value) ->
                flat.put("stage." + row.queue() + "." + counter.fieldName(), value));
        }
        return flat;
    }
}
