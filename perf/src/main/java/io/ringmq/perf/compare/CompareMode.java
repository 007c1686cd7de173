package io.ringmq.perf.compare;

import io.ringmq.perf.FsyncMode;

import java.util.List;

/**
 * How much {@link PerfCompare} runs. Artemis gets fewer throughput messages than ringmq and raw because it is much
 * slower: the compared figure is a rate, and the same count would make its phases last minutes.
 *
 * @param name             "full", "quick" or "tiny".
 * @param fsyncs           the matched fsync settings to run, each a section of the report.
 * @param messages         throughput messages for ringmq and raw.
 * @param warmupMessages   throughput warm-up for ringmq and raw.
 * @param peerMessages     throughput messages for Artemis.
 * @param peerWarmup       throughput warm-up for Artemis.
 * @param latencyMessages  recorded open-loop messages per system.
 * @param latencyWarmup    open-loop warm-up messages per system (same rate, not recorded).
 * @param pingPongMessages ringmq round trips with fsync off (1/50 of them when the journal syncs), 0 = no ping-pong.
 */
public record CompareMode(
    String name,
    List<FsyncMode> fsyncs,
    long messages,
    long warmupMessages,
    long peerMessages,
    long peerWarmup,
    long latencyMessages,
    long latencyWarmup,
    long pingPongMessages)
{
    /** About ten minutes here. */
    public static final CompareMode FULL = new CompareMode("full", List.of(FsyncMode.NONE, FsyncMode.BATCH),
        2_000_000, 200_000, 200_000, 20_000, 300_000, 50_000, 50_000);

    /** Under three minutes on 2 shared cores. */
    public static final CompareMode QUICK = new CompareMode("quick", List.of(FsyncMode.NONE, FsyncMode.BATCH),
        300_000, 50_000, 50_000, 10_000, 30_000, 10_000, 0);

    /** For the smoke test: seconds, fsync off only; figures meaningless. */
    public static final CompareMode TINY = new CompareMode("tiny", List.of(FsyncMode.NONE),
        5_000, 1_000, 3_000, 500, 3_000, 1_000, 0);
}
