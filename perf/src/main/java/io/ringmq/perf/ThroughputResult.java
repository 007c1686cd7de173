package io.ringmq.perf;

import java.util.concurrent.TimeUnit;

/**
 * Outcome of one measured pass of {@link OneToOneIpcThroughputHarness}. Only made for a pass in which every message
 * was delivered exactly once, in order; a pass that was not fails instead.
 *
 * @param messages           messages published and delivered.
 * @param payloadBytes       payload size of each.
 * @param deliveredOnce      distinct sequences delivered (equals {@code messages}).
 * @param toLastDeliveryNs   first publish to the last delivery handled and acked (ack sent).
 * @param toLastReceiptNs    first publish to the last receipt taken by the producer.
 * @param latencyP50Ns       ingress-to-consumer latency, 50th percentile.
 * @param latencyP99Ns       99th percentile.
 * @param latencyP999Ns      99.9th percentile.
 * @param latencyMaxNs       largest.
 * @param latencyMeanNs      mean.
 * @param framesNotSent      egress frames the daemon gave up on during the whole run (expected 0).
 * @param framesRejected     ingress frames the daemon refused during the whole run (expected 0).
 * @param daemonStages       the daemon's ingress-to-dispatch histogram line for the measured pass.
 * @param cpu                where the CPU went during the measured pass.
 * @param processCpuNs       CPU time of the whole process (daemon and clients) during the measured pass; -1 unknown.
 */
public record ThroughputResult(
    long messages,
    int payloadBytes,
    long deliveredOnce,
    long toLastDeliveryNs,
    long toLastReceiptNs,
    long latencyP50Ns,
    long latencyP99Ns,
    long latencyP999Ns,
    long latencyMaxNs,
    double latencyMeanNs,
    long framesNotSent,
    long framesRejected,
    String daemonStages,
    String cpu,
    long processCpuNs)
{
    /** Messages per second, first publish to last delivery acked. */
    public double messagesPerSecond()
    {
        return perSecond(messages, toLastDeliveryNs);
    }

    /** Messages per second, first publish to last receipt. */
    public double receiptsPerSecond()
    {
        return perSecond(messages, toLastReceiptNs);
    }

    /** Payload megabytes (10^6 bytes) per second, first publish to last delivery acked. */
    public double megabytesPerSecond()
    {
        return perSecond((double)messages * payloadBytes, toLastDeliveryNs) / 1e6;
    }

    /** The result block the harness prints. */
    public String format()
    {
        final String nl = System.lineSeparator();
        return "---- OneToOneIpcThroughputHarness result ----" + nl +
            String.format("messages        %,d x %d B payload; %,d delivered exactly once, in order, payloads checked",
                messages, payloadBytes, deliveredOnce) + nl +
            String.format("to last ack     %8.3f s  %,12.0f msg/s  %8.2f MB/s",
                seconds(toLastDeliveryNs), messagesPerSecond(), megabytesPerSecond()) + nl +
            String.format("to last receipt %8.3f s  %,12.0f msg/s",
                seconds(toLastReceiptNs), receiptsPerSecond()) + nl +
            String.format("ingress->consumer latency (us): p50 %,.1f  p99 %,.1f  p99.9 %,.1f  max %,.1f  mean %,.1f",
                micros(latencyP50Ns), micros(latencyP99Ns), micros(latencyP999Ns), micros(latencyMaxNs),
                latencyMeanNs / 1000.0) + nl +
            "daemon " + daemonStages + nl +
            String.format("daemon frames not sent %d, rejected %d", framesNotSent, framesRejected) + nl +
            "cpu: " + cpu + nl +
            "---------------------------------------------";
    }

    private static double perSecond(final double amount, final long elapsedNs)
    {
        return amount * TimeUnit.SECONDS.toNanos(1) / Math.max(1, elapsedNs);
    }

    private static double seconds(final long ns)
    {
        return ns / 1e9;
    }

    private static double micros(final long ns)
    {
        return ns / 1e3;
    }
}
