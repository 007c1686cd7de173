package io.ringmq.perf.compare;

import io.ringmq.perf.FsyncMode;

import java.util.List;

/**
 * How much {@link PerfCompare} runs. Artemis gets fewer throughput messages than ringmq and raw because it is much
 * slower: the compared figure is a rate, and the same count would make its phases last minutes.
 * <p>
 * Warm-ups are long enough for the JIT to finish with each system's hot path (a few seconds each): with 200,000
 * warm-up messages, C2 compiled ringmq's dispatch path for most of the measured pass (a fifth of the samples in a
 * profile), so the first pass measured the compiler as much as the broker. Even 1,000,000 were not enough on their own
 * on 2 busy vCPUs, hence the second warm-up pass and the wait for the JIT ({@link io.ringmq.perf.ThroughputWorkload}).
 *
 * @param name             "full", "quick" or "tiny".
 * @param fsyncs           the matched fsync settings to run, each a section of the report.
 * @param messages         throughput messages for ringmq and raw.
 * @param warmupMessages   throughput warm-up for ringmq and raw.
 * @param peerMessages     throughput messages for Artemis.
 * @param peerWarmup       throughput warm-up for Artemis.
 * @param latencySeconds   recorded open-loop time per system: messages = seconds x the rate of the fsync setting.
 * @param warmupSeconds    open-loop warm-up per system (same rate, not recorded).
 * @param pingPongMessages round trips of the ping-pong and the request/reply phases with fsync off (1/50 of them when
 *                         the journal syncs), 0 = neither phase.
 * @param oneAtATimeMessages publishes of the one-at-a-time phase (each waits for its receipt) with fsync off, a fifth
 *                         of them when the journal syncs; 0 = no such phase.
 * @param flushSamples     device flushes timed for the floor printed beside the one-at-a-time rows.
 * @param catchUpMessages  publishes a standby starts behind for the replication rows' catch-up rate (issue 13 asks
 *                         for 10,000,000: a full run takes a fraction, so the row stays minutes, not tens of them).
 */
public record CompareMode(
    String name,
    List<FsyncMode> fsyncs,
    long messages,
    long warmupMessages,
    long peerMessages,
    long peerWarmup,
    double latencySeconds,
    double warmupSeconds,
    long pingPongMessages,
    long oneAtATimeMessages,
    int flushSamples,
    long catchUpMessages)
{
    public long latencyMessages(final long ratePerSecond)
    {
        return Math.max(1, Math.round(latencySeconds * ratePerSecond));
    }

    public long warmupMessages(final long ratePerSecond)
    {
        return Math.round(warmupSeconds * ratePerSecond);
    }

    /** Recorded one-at-a-time publishes: each waits for a sync when the journal syncs, so fewer of them. */
    public long oneAtATimeMessages(final FsyncMode fsync)
    {
        return FsyncMode.NONE == fsync ? oneAtATimeMessages : Math.max(50, oneAtATimeMessages / 5);
    }

    /** About six minutes here. */
    public static final CompareMode FULL = new CompareMode("full", List.of(FsyncMode.NONE, FsyncMode.BATCH),
        2_000_000, 1_000_000, 200_000, 100_000, 30, 5, 50_000, 20_000, 2_000, 2_000_000);

    /** Under three minutes on 2 shared cores. */
    public static final CompareMode QUICK = new CompareMode("quick", List.of(FsyncMode.NONE, FsyncMode.BATCH),
        300_000, 300_000, 50_000, 30_000, 3, 1, 0, 5_000, 500, 300_000);

    /** For the smoke test: seconds, fsync off only, a few hundred round trips each; figures meaningless. */
    public static final CompareMode TINY = new CompareMode("tiny", List.of(FsyncMode.NONE),
        5_000, 1_000, 3_000, 500, 0.3, 0.1, 500, 200, 20, 2_000);
}
