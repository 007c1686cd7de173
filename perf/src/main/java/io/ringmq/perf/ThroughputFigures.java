package io.ringmq.perf;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * Throughput of one system on the {@link ThroughputWorkload}.
 *
 * @param system    "ringmq", "raw", "artemis".
 * @param workload  what was run.
 * @param elapsedNs first publish to last message consumed (and acked).
 * @param processCpuNs CPU time of this whole process during the measured pass, ns, and of the server's process where
 *                  the server runs in one of its own (the deployment shape); -1 where unknown.
 * @param receiptNs publish→receipt of every measured message, from its send time, ns: the receipt latency at
 *                  saturation (a closed loop, queueing behind the window included).
 * @param serverCpuNs the part of {@code processCpuNs} the server's own process used (the daemon's, the broker's), ns;
 *                  -1 where the server runs in this process.
 */
public record ThroughputFigures(
    String system, ThroughputWorkload workload, long elapsedNs, long processCpuNs, Histogram receiptNs,
    long serverCpuNs)
{
    /** A system whose server runs in this process. */
    public ThroughputFigures(
        final String system, final ThroughputWorkload workload, final long elapsedNs, final long processCpuNs,
        final Histogram receiptNs)
    {
        this(system, workload, elapsedNs, processCpuNs, receiptNs, -1);
    }

    /**
     * CPU time the process (server and clients together) spent per message, µs; less sensitive than msg/s to what
     * else the machine runs, since a loaded machine mostly takes wall time away. NaN where unknown.
     */
    public double cpuMicrosPerMessage()
    {
        return processCpuNs < 0 ? Double.NaN : processCpuNs / 1e3 / workload.messages();
    }

    /** The server process's CPU time per message, µs, where it runs in a process of its own; NaN otherwise. */
    public double serverCpuMicrosPerMessage()
    {
        return serverCpuNs < 0 ? Double.NaN : serverCpuNs / 1e3 / workload.messages();
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
        return String.format("%s: %s: %,.0f msg/s, %,.1f MB/s (%.2f s), %.2f us CPU per message%s%n%s", system,
            workload.describe(), messagesPerSecond(), megabytesPerSecond(), elapsedNs / 1e9, cpuMicrosPerMessage(),
            serverCpuNs < 0 ? "" : String.format(" (the server's process %.2f)", serverCpuMicrosPerMessage()),
            LatencyResult.percentileLine("publish->receipt", receiptNs));
    }
}
