package io.ringmq.daemon.pipeline;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.TimeUnit;

/**
 * Latency of the pipeline's stages, recorded on the hot path by one writer each and read as interval histograms
 * by whoever reports them.
 */
public final class StageHistograms
{
    /** Values above this are clamped: a command delayed more than a minute is reported as a minute. */
    static final long HIGHEST_TRACKABLE_NS = TimeUnit.MINUTES.toNanos(1);

    private final SingleWriterRecorder ingressToDispatchNs = new SingleWriterRecorder(HIGHEST_TRACKABLE_NS, 3);
    private final Histogram total = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private Histogram interval;

    public SingleWriterRecorder ingressToDispatchNs()
    {
        return ingressToDispatchNs;
    }

    /** Takes what was recorded since the last call, adds it to the running total, and describes both. */
    public synchronized String report()
    {
        interval = ingressToDispatchNs.getIntervalHistogram(interval);
        total.add(interval);
        return "ingress->dispatch interval " + summary(interval) + " | since start " + summary(total);
    }

    private static String summary(final Histogram histogram)
    {
        if (histogram.getTotalCount() == 0)
        {
            return "n=0";
        }
        return String.format("n=%d p50=%.1fus p99=%.1fus p99.9=%.1fus max=%.1fus",
            histogram.getTotalCount(),
            histogram.getValueAtPercentile(50) / 1000.0,
            histogram.getValueAtPercentile(99) / 1000.0,
            histogram.getValueAtPercentile(99.9) / 1000.0,
            histogram.getMaxValue() / 1000.0);
    }
}
