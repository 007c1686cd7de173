package io.ringmq.perf;

/**
 * One-at-a-time publishing: each publish waits for its receipt before the next is sent (ringmq's
 * {@code publishAndWait} in a loop, raw's publish then its receipt frame, Artemis' blocking durable send).
 *
 * @param roundTrips        publish→receipt of each recorded publish ({@code roundTrips.deliverNs()}), in ns.
 * @param messagesPerSecond recorded publishes ÷ the wall time from the first recorded send to the last receipt.
 */
public record OneAtATimeResult(LatencyResult roundTrips, double messagesPerSecond)
{
    public String system()
    {
        return roundTrips.system();
    }

    public FsyncMode fsync()
    {
        return roundTrips.fsync();
    }

    public String format()
    {
        return roundTrips.format() + String.format(System.lineSeparator() + "  %,.0f msg/s one at a time",
            messagesPerSecond);
    }

    /** The workload's line for a one-at-a-time run. */
    public static String describe(final LatencyWorkload workload, final String how)
    {
        return String.format("one at a time (%s), %,d recorded + %,d warm-up publishes of %d B, %s", how,
            workload.messages(), workload.warmupMessages(), workload.payloadBytes(), workload.fsync().label());
    }
}
