package io.ringmq.perf;

import java.util.concurrent.TimeUnit;

/**
 * Throughput of one system on the {@link ThroughputWorkload}.
 *
 * @param system    "ringmq", "raw", "artemis".
 * @param workload  what was run.
 * @param elapsedNs first publish to last message consumed (and acked).
 */
public record ThroughputFigures(String system, ThroughputWorkload workload, long elapsedNs)
{
    public double messagesPerSecond()
    {
        return workload.messages() * (double)TimeUnit.SECONDS.toNanos(1) / Math.max(1, elapsedNs);
    }

    /** Payload megabytes (10^6 B) per second. */
    public double megabytesPerSecond()
    {
        return messagesPerSecond() * workload.payloadBytes() / 1e6;
    }

    public String format()
    {
        return String.format("%s: %s: %,.0f msg/s, %,.1f MB/s (%.2f s)", system, workload.describe(),
            messagesPerSecond(), megabytesPerSecond(), elapsedNs / 1e9);
    }
}
