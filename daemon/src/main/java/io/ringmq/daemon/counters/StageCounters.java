package io.ringmq.daemon.counters;

import io.aeron.Counter;
import io.ringmq.daemon.pipeline.Stage;
import io.ringmq.daemon.pipeline.StageFigures;
import io.ringmq.daemon.pipeline.StageHistograms;
import org.agrona.concurrent.NanoClock;

/**
 * The stages' latency figures as counters, one row per {@link Stage} keyed by its label: percentiles over the last
 * busy second and the count and sum since start ({@link StageFigures}).
 * <p>
 * Why percentiles in counters rather than the histograms themselves in a file beside the CnC: {@code ringmq stat},
 * AeronStat and the Prometheus endpoint read them the way they read every other figure, with no second file to find,
 * map and version and no HdrHistogram decoding in the reader; the full distribution is what the daemon's .hlog is
 * for ({@code ringmq.metrics.hlog.path}).
 * <p>
 * Not thread-safe: the counters' sampler thread only.
 */
final class StageCounters
{
    static final RingmqCounter[] COLUMNS = {
        RingmqCounter.STAGE_COUNT, RingmqCounter.STAGE_SUM, RingmqCounter.STAGE_P50, RingmqCounter.STAGE_P90,
        RingmqCounter.STAGE_P99, RingmqCounter.STAGE_P999, RingmqCounter.STAGE_MAX};
    private static final Stage[] STAGES = Stage.values();

    private final StageHistograms histograms;
    private final NanoClock clock;
    private final Counter[][] counters = new Counter[STAGES.length][];

    StageCounters(final StageHistograms histograms, final NanoClock clock, final CounterAllocator allocator)
    {
        this.histograms = histograms;
        this.clock = clock;
        for (int i = 0; i < STAGES.length; i++)
        {
            final int ownerId = allocator.nextOwnerId();
            counters[i] = new Counter[COLUMNS.length];
            for (int c = 0; c < COLUMNS.length; c++)
            {
                counters[i][c] = allocator.fixedCounter(COLUMNS[c], ownerId, STAGES[i].label());
            }
        }
    }

    /** Takes what the stages' writers recorded (outside the client's lock: it may wait for a report). */
    void collect()
    {
        histograms.collect(clock.nanoTime());
    }

    /** Sets the counters to the figures of the last collect (under the client's lock). */
    void copy()
    {
        for (int i = 0; i < STAGES.length; i++)
        {
            final StageFigures figures = histograms.figures(STAGES[i]);
            final Counter[] row = counters[i];
            row[0].setRelease(figures.count());
            row[1].setRelease(figures.sumNs());
            row[2].setRelease(figures.p50Ns());
            row[3].setRelease(figures.p90Ns());
            row[4].setRelease(figures.p99Ns());
            row[5].setRelease(figures.p999Ns());
            row[6].setRelease(figures.maxNs());
        }
    }
}
