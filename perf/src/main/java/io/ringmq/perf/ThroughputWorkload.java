package io.ringmq.perf;

/**
 * The persistent 1 producer / 1 consumer throughput workload: the producer publishes {@code messages} as fast as it
 * may with at most {@code window} not yet receipted; the consumer acks every message. A warm-up pass of
 * {@code warmupMessages} on another queue comes first.
 */
public record ThroughputWorkload(
    long messages, long warmupMessages, int payloadBytes, int window, FsyncMode fsync, int timeoutS)
{
    public ThroughputWorkload
    {
        if (messages <= 0 || warmupMessages < 0 || window <= 0 || timeoutS <= 0)
        {
            throw new IllegalArgumentException("throughput workload needs messages > 0, warm-up >= 0, window > 0 " +
                "and timeout > 0: messages=" + messages + " warmup=" + warmupMessages + " window=" + window +
                " timeoutS=" + timeoutS);
        }
        MessageStamp.requireRoom(payloadBytes);
    }

    public String describe()
    {
        return String.format("%,d messages of %d B (+%,d warm-up), window %,d, %s",
            messages, payloadBytes, warmupMessages, window, fsync.label());
    }
}
