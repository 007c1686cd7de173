package io.ringmq.perf;

import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Outcome of one measured pass of {@link ManyToManyIpcThroughputHarness}. Only made for a pass in which every message
 * was delivered exactly once to the group, in each producer's order; a pass that was not fails instead.
 *
 * @param producers          producers, each on its own client and thread.
 * @param consumers          consumers competing in one group, each on its own client and thread.
 * @param messages           messages published (all producers) and delivered.
 * @param payloadBytes       payload size of each.
 * @param deliveredPerConsumer how many messages each consumer got.
 * @param toLastDeliveryNs   first publish (of any producer) to the last delivery acked (of any consumer).
 * @param toLastReceiptNs    first publish to the last receipt (of any producer).
 * @param receiptNs          publish→receipt of every message, from its send time: the latency at saturation.
 * @param deliverNs          publish→deliver of every message, from its send time.
 * @param framesNotSent      egress frames the daemon gave up on during the whole run (expected 0).
 * @param framesRejected     ingress frames the daemon refused during the whole run (expected 0).
 * @param daemonStages       the daemon's ingress-to-dispatch histogram line for the measured pass.
 * @param cpu                where the CPU went during the measured pass.
 * @param processCpuNs       CPU time of the whole process during the measured pass; -1 unknown.
 */
public record ManyToManyResult(
    int producers,
    int consumers,
    long messages,
    int payloadBytes,
    long[] deliveredPerConsumer,
    long toLastDeliveryNs,
    long toLastReceiptNs,
    Histogram receiptNs,
    Histogram deliverNs,
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

    /** "2P/2C". */
    public String shape()
    {
        return producers + "P/" + consumers + "C";
    }

    /** The result block the harness prints. */
    public String format()
    {
        final String nl = System.lineSeparator();
        return "---- ManyToManyIpcThroughputHarness result ----" + nl +
            String.format("shape           %d producers x %d consumers (one group); delivered per consumer %s",
                producers, consumers, Arrays.toString(deliveredPerConsumer)) + nl +
            String.format("messages        %,d x %d B payload, each delivered exactly once, in each producer's " +
                "order, first attempt", messages, payloadBytes) + nl +
            String.format("to last ack     %8.3f s  %,12.0f msg/s  %8.2f MB/s",
                toLastDeliveryNs / 1e9, messagesPerSecond(), megabytesPerSecond()) + nl +
            String.format("to last receipt %8.3f s  %,12.0f msg/s", toLastReceiptNs / 1e9, receiptsPerSecond()) + nl +
            percentiles("publish->receipt", receiptNs) + nl +
            percentiles("publish->deliver", deliverNs) + nl +
            "daemon " + daemonStages + nl +
            String.format("daemon frames not sent %d, rejected %d", framesNotSent, framesRejected) + nl +
            "cpu: " + cpu + nl +
            "------------------------------------------------";
    }

    /** {@code publish->receipt (us): p50 12.3  p90 ...  max ...  (n 1,000,000)}. */
    static String percentiles(final String name, final Histogram histogram)
    {
        final StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-16s (us):", name));
        final long[] values = LatencyResult.percentilesNs(histogram);
        for (int i = 0; i < values.length; i++)
        {
            text.append(String.format(Locale.ROOT, "  %s %,.1f", LatencyResult.PERCENTILE_NAMES[i], values[i] / 1e3));
        }
        return text.append(String.format(Locale.ROOT, "  (n %,d)", histogram.getTotalCount())).toString();
    }

    private static double perSecond(final double amount, final long elapsedNs)
    {
        return amount * TimeUnit.SECONDS.toNanos(1) / Math.max(1, elapsedNs);
    }
}
