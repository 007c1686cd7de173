package io.ringmq.daemon.pipeline;

import org.HdrHistogram.Histogram;

/**
 * One stage's figures as the counters show them: percentiles over the last whole second in which it recorded anything
 * (0 until one), with the count and the sum of every latency recorded since start (a Prometheus summary's _count and
 * _sum).
 */
public record StageFigures(long count, long sumNs, long p50Ns, long p90Ns, long p99Ns, long p999Ns, long maxNs)
{
    static final StageFigures NONE = new StageFigures(0, 0, 0, 0, 0, 0, 0);

    /** The window must hold something. */
    static StageFigures of(final Histogram window, final long count, final long sumNs)
    {
        return new StageFigures(count, sumNs,
            window.getValueAtPercentile(50), window.getValueAtPercentile(90), window.getValueAtPercentile(99),
            window.getValueAtPercentile(99.9), window.getMaxValue());
    }

    StageFigures counted(final long count, final long sumNs)
    {
        return new StageFigures(count, sumNs, p50Ns, p90Ns, p99Ns, p999Ns, maxNs);
    }
}
