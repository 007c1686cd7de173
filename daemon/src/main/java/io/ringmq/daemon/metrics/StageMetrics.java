package io.ringmq.daemon.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.ringmq.daemon.counters.CountersReport;
import io.ringmq.daemon.counters.RingmqCounter;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The pipeline stages' latencies for Prometheus, read from the stage counters at each scrape:
 * {@value #SUMMARY}{@code {stage, quantile}} (quantiles 0.5, 0.9, 0.99, 0.999 over the last second in which the stage
 * recorded anything, NaN until then; {@code _count} and {@code _sum} since start) and {@value #MAX}{@code {stage}},
 * the highest in that second.
 */
final class StageMetrics
{
    static final String SUMMARY = "ringmq_stage_latency_seconds";
    static final String MAX = "ringmq_stage_latency_max_seconds";
    private static final double NS_PER_S = TimeUnit.SECONDS.toNanos(1);

    private StageMetrics()
    {
    }

    static void register(final PrometheusRegistry registry, final Supplier<CountersReport> report)
    {
        SummaryWithCallback.builder().name(SUMMARY)
            .help("latency of a pipeline stage: quantiles over its last busy second, count and sum since start")
            .labelNames("stage")
            .callback((callback) -> report.get().stages().forEach((row) ->
                callback.call(row.value(RingmqCounter.STAGE_COUNT), seconds(row.value(RingmqCounter.STAGE_SUM)),
                    quantiles(row), row.queue())))
            .register(registry);
        GaugeWithCallback.builder().name(MAX)
            .help("highest latency of a pipeline stage in its last busy second, seconds; 0 until one")
            .labelNames("stage")
            .callback((callback) -> report.get().stages().forEach((row) ->
                callback.call(seconds(row.value(RingmqCounter.STAGE_MAX)), row.queue())))
            .register(registry);
    }

    private static Quantiles quantiles(final CountersReport.Row row)
    {
        final boolean none = 0 == row.value(RingmqCounter.STAGE_MAX);
        return Quantiles.of(
            quantile(0.5, row.value(RingmqCounter.STAGE_P50), none),
            quantile(0.9, row.value(RingmqCounter.STAGE_P90), none),
            quantile(0.99, row.value(RingmqCounter.STAGE_P99), none),
            quantile(0.999, row.value(RingmqCounter.STAGE_P999), none));
    }

    private static Quantile quantile(final double quantile, final long valueNs, final boolean none)
    {
        return new Quantile(quantile, none ? Double.NaN : seconds(valueNs));
    }

    private static double seconds(final long ns)
    {
        return ns / NS_PER_S;
    }
}
