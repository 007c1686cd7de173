package io.ringmq.perf;

import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Outcome of one measured pass of {@link IpcThroughputHarness}. Only made for a pass in which every message was
 * delivered exactly once to the group, in each producer's order; a pass that was not fails instead.
 *
 * @param figures              what the comparison compares: workload, time to the last ack, CPU, publish→receipt of
 *                             every message from its send time (the latency at saturation).
 * @param toLastReceiptNs      first publish to the last receipt (of any producer).
 * @param deliveredPerConsumer how many messages each consumer got.
 * @param deliverNs            publish→deliver of every message, from its send time.
 * @param ingressToConsumerNs  from the daemon's ingress (its timestamp on the publish) to the consumer's handler.
 * @param framesNotSent        egress frames the daemon gave up on during the whole run (expected 0).
 * @param framesRejected       ingress frames the daemon refused during the whole run (expected 0).
 * @param daemonStages         the daemon's ingress-to-dispatch histogram line for the measured pass.
 * @param cpu                  where the CPU went during the measured pass.
 */
public record ThroughputResult(
    ThroughputFigures figures,
    long toLastReceiptNs,
    long[] deliveredPerConsumer,
    Histogram deliverNs,
    Histogram ingressToConsumerNs,
    long framesNotSent,
    long framesRejected,
    String daemonStages,
    String cpu)
{
    public ThroughputWorkload workload()
    {
        return figures.workload();
    }

    public long messages()
    {
        return figures.workload().messages();
    }

    /** First publish to the last delivery acked. */
    public long toLastDeliveryNs()
    {
        return figures.elapsedNs();
    }

    public Histogram receiptNs()
    {
        return figures.receiptNs();
    }

    /** Messages per second, first publish to last receipt. */
    public double receiptsPerSecond()
    {
        return messages() * (double)TimeUnit.SECONDS.toNanos(1) / Math.max(1, toLastReceiptNs);
    }

    /** The result block the harness prints. */
    public String format()
    {
        final String nl = System.lineSeparator();
        final ThroughputWorkload workload = figures.workload();
        return "---- IpcThroughputHarness result ----" + nl +
            String.format("shape           %d producers x %d consumers (one group); delivered per consumer %s",
                workload.producers(), workload.consumers(), Arrays.toString(deliveredPerConsumer)) + nl +
            String.format("messages        %,d x %d B payload, each delivered exactly once, in each producer's " +
                "order, first attempt; %s", workload.messages(), workload.payloadBytes(), workload.fsync().label()) +
            nl +
            String.format("to last ack     %8.3f s  %,12.0f msg/s  %8.2f MB/s",
                toLastDeliveryNs() / 1e9, figures.messagesPerSecond(), figures.megabytesPerSecond()) + nl +
            String.format("to last receipt %8.3f s  %,12.0f msg/s", toLastReceiptNs / 1e9, receiptsPerSecond()) + nl +
            LatencyResult.percentileLine("publish->receipt", figures.receiptNs()) + nl +
            LatencyResult.percentileLine("publish->deliver", deliverNs) + nl +
            LatencyResult.percentileLine("ingress->consumer", ingressToConsumerNs) + nl +
            "daemon " + daemonStages + nl +
            String.format("daemon frames not sent %d, rejected %d", framesNotSent, framesRejected) + nl +
            "cpu: " + cpu + nl +
            String.format("cpu per message %.2f us (whole process)", figures.cpuMicrosPerMessage()) + nl +
            "-------------------------------------";
    }
}
