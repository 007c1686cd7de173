package io.ringmq.perf;

/**
 * The open-loop latency workload every system runs the same way: one publisher at a fixed offered rate, one consumer
 * that acks each message; the first {@code warmupMessages} are sent and consumed but not recorded.
 *
 * @param ratePerSecond  offered rate, messages per second.
 * @param messages       recorded messages (after the warm-up).
 * @param warmupMessages messages sent first, at the same rate, and left out of the histograms.
 * @param payloadBytes   payload size, at least {@link MessageStamp#PRODUCER_STAMP_LENGTH}.
 * @param fsync          the journal's fsync setting, matched per system.
 * @param timeoutS       a run that has not finished in this many seconds fails.
 */
public record LatencyWorkload(
    long ratePerSecond, long messages, long warmupMessages, int payloadBytes, FsyncMode fsync, int timeoutS)
{
    public LatencyWorkload
    {
        if (ratePerSecond <= 0 || messages <= 0 || warmupMessages < 0 || timeoutS <= 0)
        {
            throw new IllegalArgumentException("latency workload needs rate > 0, messages > 0, warm-up >= 0 and " +
                "timeout > 0: rate=" + ratePerSecond + " messages=" + messages + " warmup=" + warmupMessages +
                " timeoutS=" + timeoutS);
        }
        MessageStamp.requireRoom(payloadBytes);
    }

    public long totalMessages()
    {
        return warmupMessages + messages;
    }

    /** A ping-pong run of this workload (its rate is not used: one round trip at a time). */
    public String describePingPong()
    {
        return String.format("ping-pong, one in flight, %,d recorded + %,d warm-up round trips of %d B, %s",
            messages, warmupMessages, payloadBytes, fsync.label());
    }

    public String describeRequestReply()
    {
        return String.format("request/reply, one in flight, %,d recorded + %,d warm-up round trips of %d B, %s",
            messages, warmupMessages, payloadBytes, fsync.label());
    }

    public String describe()
    {
        return String.format("%,d msg/s open loop, %,d recorded + %,d warm-up messages of %d B, %s",
            ratePerSecond, messages, warmupMessages, payloadBytes, fsync.label());
    }
}
