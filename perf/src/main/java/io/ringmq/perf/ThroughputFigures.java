package io.ringmq.perf;

import java.util.concurrent.TimeUnit;

/**
 * Throughput of one system on the {@link ThroughputWorkload}.
 *
 * @param system    "ringmq", "raw", "artemis".
 * @param workload  what was run.
 * @param elapsedNs first publish to last message consumed (and acked).
 * @param processCpuNs CPU time of this whole process during the measured pass, ns; -1 where unknown.
 */
public record ThroughputFigures(String system, ThroughputWorkload workload, long elapsedNs, long processCpuNs)
{
    /**
     * CPU time the process (server and clients together) spent per message, µs; less sensitive than msg/s to what
     * else the machine runs, since a loaded machine mostly takes wall time away. NaN where unknown.
     */
    public double cpuMicrosPerMessage()
    {
        return processCpuNs < 0 ? Double.NaN : processCpuNs / 1e3 / workload.messages();
    }

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
        return String.format("%s: %s: %,.0f msg/s, %,.1f MB/s (%.2f s), %.2f us CPU per message", system,
            workload.describe(), messagesPerSecond(), megabytesPerSecond(), elapsedNs / 1e9, cpuMicrosPerMessage());
    }
}
