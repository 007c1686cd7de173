package io.ringmq.daemon.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ringmq.daemon.counters.CountersReport;
import io.ringmq.daemon.counters.RingmqCounter;
import org.agrona.concurrent.EpochClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The daemon's counters over HTTP in Prometheus' formats ({@code GET /metrics}), built on the Prometheus Java client
 * (its callback metrics and HTTP exporter: exposition, content negotiation and escaping are the library's). Nothing
 * is kept here: each scrape reads the counters in the CnC file ({@code report}, for each metric), the same ones
 * {@code ringmq stat} reads, so the endpoint costs the daemon's threads nothing and answers while the ring is full.
 * <p>
 * Names are {@code ringmq_queue_<field>{queue}}, {@code ringmq_group_<field>{queue,group}},
 * {@code ringmq_<field>} for the daemon and {@code ringmq_errors_total{code}}, counters ending in {@code _total};
 * the oldest message is a gauge of its age in seconds, sync time a counter of seconds ({@link #prometheusName});
 * stage latencies are a summary and a gauge of their maximum ({@link StageMetrics}).
 */
public final class PrometheusEndpoint implements AutoCloseable
{
    private final HTTPServer server;

    private PrometheusEndpoint(final HTTPServer server)
    {
        this.server = server;
    }

    /**
     * Starts serving on {@code port} (0: any free port, see {@link #port()}), every interface.
     *
     * @throws IllegalStateException naming ringmq.metrics.prometheus.port if the port cannot be bound.
     */
    public static PrometheusEndpoint start(final int port, final Supplier<CountersReport> report, final EpochClock clock)
    {
        final PrometheusRegistry registry = new PrometheusRegistry();
        for (final RingmqCounter counter : RingmqCounter.values())
        {
            if (RingmqCounter.Scope.STAGE != counter.scope())
            {
                register(registry, counter, report, clock);
            }
        }
        StageMetrics.register(registry, report);
        try
        {
            return new PrometheusEndpoint(HTTPServer.builder().port(port).registry(registry).buildAndStart());
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("the Prometheus endpoint cannot listen on ringmq.metrics.prometheus.port=" +
                port + ": " + ex.getMessage(), new UncheckedIOException(ex));
        }
    }

    /** The port it listens on. */
    public int port()
    {
        return server.getPort();
    }

    public void close()
    {
        server.close();
    }

    /** The metric's name without the {@code _total} the library adds to counters. */
    static String prometheusName(final RingmqCounter counter)
    {
        return switch (counter)
        {
            case QUEUE_OLDEST_ENQUEUED -> "ringmq_queue_oldest_message_age_seconds";
            case JOURNAL_SYNC_TIME -> "ringmq_journal_sync_seconds";
            case ERRORS -> "ringmq_errors";
            default -> switch (counter.scope())
            {
                case QUEUE -> "ringmq_queue_" + counter.fieldName();
                case GROUP -> "ringmq_group_" + counter.fieldName();
                default -> "ringmq_" + counter.fieldName();
            };
        };
    }

    private static void register(
        final PrometheusRegistry registry,
        final RingmqCounter counter,
        final Supplier<CountersReport> report,
        final EpochClock clock)
    {
        final String[] labels = switch (counter.scope())
        {
            case QUEUE -> new String[]{"queue"};
            case GROUP -> new String[]{"queue", "group"};
            case ERROR -> new String[]{"code"};
            case DAEMON, STAGE -> new String[0];
        };
        final String help = RingmqCounter.QUEUE_OLDEST_ENQUEUED == counter ?
            "age of the oldest message held, seconds; 0 when empty" :
            RingmqCounter.JOURNAL_SYNC_TIME == counter ? "time spent in journal fsyncs, seconds" : counter.help();
        if (counter.monotonic())
        {
            CounterWithCallback.builder().name(prometheusName(counter)).help(help).labelNames(labels)
                .callback((callback) -> values(counter, report.get(), clock, callback::call))
                .register(registry);
        }
        else
        {
            GaugeWithCallback.builder().name(prometheusName(counter)).help(help).labelNames(labels)
                .callback((callback) -> values(counter, report.get(), clock, callback::call))
                .register(registry);
        }
    }

    /** Each value of the counter, in Prometheus' base units, with its label values. */
    private static void values(
        final RingmqCounter counter,
        final CountersReport report,
        final EpochClock clock,
        final BiConsumer<Double, String[]> sink)
    {
        switch (counter.scope())
        {
            case QUEUE -> report.queues().forEach((row) ->
                sink.accept(inBaseUnits(counter, row.value(counter), clock), new String[]{row.queue()}));
            case GROUP -> report.groups().forEach((row) ->
                sink.accept((double)row.value(counter), new String[]{row.queue(), row.group()}));
            case ERROR -> report.errors().forEach((code, count) -> sink.accept((double)count, new String[]{code}));
            case STAGE -> throw new IllegalArgumentException("stages are StageMetrics' summaries");
            case DAEMON ->
            {
                final Long value = report.daemon().get(counter);
                if (null != value)
                {
                    sink.accept(inBaseUnits(counter, value, clock), new String[0]);
                }
            }
        }
    }

    private static double inBaseUnits(final RingmqCounter counter, final long value, final EpochClock clock)
    {
        return switch (counter)
        {
            case QUEUE_OLDEST_ENQUEUED -> 0 == value ? 0 : Math.max(0, clock.time() - value) / 1000.0;
            case JOURNAL_SYNC_TIME -> value / (double)TimeUnit.SECONDS.toNanos(1);
            default -> value;
        };
    }
}
