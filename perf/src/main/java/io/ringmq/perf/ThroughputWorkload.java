package io.ringmq.perf;

import java.util.List;

/**
 * The persistent throughput workload: {@code producers} publish {@code messages} between them as fast as they may,
 * each with at most {@code window} not yet receipted; {@code consumers} in one group (competing) ack every message.
 * The comparison's common shape is 1 producer / 1 consumer; N x M is the same with more of each. The warm-up comes
 * first: a pass of {@code warmupMessages} (split likewise) on another queue, a second pass of a tenth of that on a
 * third queue, then a wait for the JIT to settle ({@link JitSettle}).
 */
public record ThroughputWorkload(
    long messages, long warmupMessages, int payloadBytes, int window, FsyncMode fsync, int timeoutS,
    int producers, int consumers)
{
    /** One warm-up pass: its queue and its messages, all producers together. */
    public record WarmupPass(String queue, long messages)
    {
    }

    public ThroughputWorkload
    {
        if (messages <= 0 || warmupMessages < 0 || window <= 0 || timeoutS <= 0 || producers <= 0 || consumers <= 0)
        {
            throw new IllegalArgumentException("throughput workload needs messages > 0, warm-up >= 0, window > 0, " +
                "timeout > 0, producers > 0 and consumers > 0: messages=" + messages + " warmup=" + warmupMessages +
                " window=" + window + " timeoutS=" + timeoutS + " producers=" + producers + " consumers=" + consumers);
        }
        MessageStamp.requireRoom(payloadBytes);
    }

    /** 1 producer / 1 consumer. */
    public ThroughputWorkload(
        final long messages, final long warmupMessages, final int payloadBytes, final int window, final FsyncMode fsync,
        final int timeoutS)
    {
        this(messages, warmupMessages, payloadBytes, window, fsync, timeoutS, 1, 1);
    }

    /** Splits {@code messages} between the producers, the first ones taking one more where it does not divide. */
    public static long[] split(final long messages, final int producers)
    {
        final long[] counts = new long[producers];
        for (int i = 0; i < producers; i++)
        {
            counts[i] = messages / producers + (i < messages % producers ? 1 : 0);
        }
        return counts;
    }

    /** Each producer's share of the messages. */
    public long[] messagesPerProducer()
    {
        return split(messages, producers);
    }

    /**
     * The warm-up's passes: {@code warmupMessages} on one queue, then a tenth as many (at least one per producer) on
     * another; none where there are fewer warm-up messages than producers. The second pass is there because starting a
     * pass on a new queue makes the JIT throw away code compiled before (a branch or a type it had not seen):
     * profiled, the measured pass began with the state machine, the dispatch handler and the client's frame decoder
     * deoptimised and recompiled. The second pass makes that happen in the warm-up.
     */
    public static List<WarmupPass> warmupPasses(final long warmupMessages, final int producers)
    {
        if (warmupMessages < producers)
        {
            return List.of();
        }
        return List.of(new WarmupPass("perf-warmup", warmupMessages),
            new WarmupPass("perf-warmup-2", Math.max(producers, warmupMessages / 10)));
    }

    public List<WarmupPass> warmupPasses()
    {
        return warmupPasses(warmupMessages, producers);
    }

    /** "1P/1C". */
    public String shape()
    {
        return producers + "P/" + consumers + "C";
    }

    public String describe()
    {
        return String.format("%s, %,d messages of %d B (+%,d warm-up), window %,d per producer, %s",
            shape(), messages, payloadBytes, warmupMessages, window, fsync.label());
    }
}
