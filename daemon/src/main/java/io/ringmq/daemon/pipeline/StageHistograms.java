package io.ringmq.daemon.pipeline;

import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Latency of the daemon's {@link Stage}s. Each stage is recorded on the hot path by the one thread that owns it, into
 * its own {@link StageRecorder} (no lock, no allocation; values reach the histograms as that thread ends a batch, or at
 * once through {@link #record}). Readers never touch the recorders
 * themselves: {@link #collect} (the counters' sampler, every 100 ms) takes each recorder's interval histogram and adds
 * it to what each reader is owed — the window behind the percentile counters ({@link #figures}), the next .hlog
 * interval ({@link #moveLogged}) and the stats line ({@link #report}) — so three readers do not steal intervals from
 * each other.
 * <p>
 * Thread-safe: recording is each stage's writer's; every other method is synchronized (readers are off the hot path).
 */
public final class StageHistograms
{
    /** Values above this are clamped: a command delayed more than a minute is reported as a minute. */
    static final long HIGHEST_TRACKABLE_NS = TimeUnit.MINUTES.toNanos(1);
    /**
     * How much time the percentiles of {@link #figures} cover: the last whole window in which the stage recorded
     * anything (an idle stage keeps the figures of its last busy second, so {@code stat} after a burst shows it).
     */
    public static final long WINDOW_NS = TimeUnit.SECONDS.toNanos(1);
    private static final Stage[] STAGES = Stage.values();

    private static final Stage[] DISPATCH_THREAD_STAGES =
        Arrays.stream(STAGES).filter(Stage::dispatchThread).toArray(Stage[]::new);

    private final StageRecorder[] recorders = new StageRecorder[STAGES.length];
    private final Histogram[] interval = new Histogram[STAGES.length];
    private final Histogram[] window = new Histogram[STAGES.length];
    private final Histogram[] toLog = new Histogram[STAGES.length];
    private final Histogram[] sinceReport = new Histogram[STAGES.length];
    private final Histogram dispatchedSinceStart = newHistogram();
    private final StageFigures[] figures = new StageFigures[STAGES.length];
    private final long[] sumNs = new long[STAGES.length];
    private final long[] count = new long[STAGES.length];
    private long windowStartNs;
    private boolean windowStarted;

    public StageHistograms()
    {
        for (int i = 0; i < STAGES.length; i++)
        {
            recorders[i] = new StageRecorder();
            window[i] = newHistogram();
            toLog[i] = newHistogram();
            sinceReport[i] = newHistogram();
            figures[i] = StageFigures.NONE;
        }
    }

    /** The recorder of one stage, for the one thread that owns it. */
    public StageRecorder recorder(final Stage stage)
    {
        return recorders[stage.ordinal()];
    }

    /**
     * Records a latency on the stage owner's thread and flushes it at once, for a stage recorded now and then (a
     * journal sync); the hot path's stages {@link StageRecorder#record} and flush once a batch. No allocation.
     */
    public static void record(final StageRecorder recorder, final long latencyNs)
    {
        recorder.record(latencyNs);
        recorder.flush();
    }

    /** Flushes the stages the dispatch thread records ({@link Stage#dispatchThread()}): its end of batch. */
    public void flushDispatchStages()
    {
        for (final Stage stage : DISPATCH_THREAD_STAGES)
        {
            recorders[stage.ordinal()].flush();
        }
    }

    /**
     * Takes what each stage's writer recorded since the last call; at the end of each {@link #WINDOW_NS} of
     * {@code nowNs}, the percentiles of a window that recorded anything become {@link #figures}.
     */
    public synchronized void collect(final long nowNs)
    {
        if (!windowStarted)
        {
            windowStarted = true;
            windowStartNs = nowNs;
        }
        final boolean windowEnds = nowNs - windowStartNs >= WINDOW_NS;
        for (int i = 0; i < STAGES.length; i++)
        {
            interval[i] = recorders[i].intervalHistogram(interval[i]);
            final long intervalCount = interval[i].getTotalCount();
            if (intervalCount > 0)
            {
                count[i] += intervalCount;
                sumNs[i] += Math.round(interval[i].getMean() * intervalCount);
                window[i].add(interval[i]);
                toLog[i].add(interval[i]);
                sinceReport[i].add(interval[i]);
            }
            if (windowEnds && window[i].getTotalCount() > 0)
            {
                figures[i] = StageFigures.of(window[i], count[i], sumNs[i]);
                window[i].reset();
            }
            else if (intervalCount > 0)
            {
                figures[i] = figures[i].counted(count[i], sumNs[i]);
            }
        }
        if (windowEnds)
        {
            windowStartNs = nowNs;
        }
    }

    /** The stage's percentiles over its last busy window, its count and sum since start: as of the last collect. */
    public synchronized StageFigures figures(final Stage stage)
    {
        return figures[stage.ordinal()];
    }

    /** Copies what the stage recorded since the last call into {@code into} (reset first), for the .hlog. */
    public synchronized void moveLogged(final Stage stage, final Histogram into)
    {
        into.reset();
        into.add(toLog[stage.ordinal()]);
        toLog[stage.ordinal()].reset();
    }

    /**
     * Describes what each stage recorded since the last call (ingress-&gt;dispatch first, with its total since start),
     * and forgets it: the daemon's stats line, and the perf harnesses' way to forget a warm-up.
     */
    public synchronized String report()
    {
        collect(windowStartNs); // takes the intervals without ending the window
        final Histogram dispatched = sinceReport[Stage.INGRESS_TO_DISPATCHED.ordinal()];
        dispatchedSinceStart.add(dispatched);
        final StringBuilder out = new StringBuilder("ingress->dispatch interval ").append(summary(dispatched))
            .append(" | since start ").append(summary(dispatchedSinceStart)).append(" | stages:");
        for (int i = 0; i < STAGES.length; i++)
        {
            if (STAGES[i] != Stage.INGRESS_TO_DISPATCHED && sinceReport[i].getTotalCount() > 0)
            {
                out.append(' ').append(STAGES[i].label()).append(' ').append(summary(sinceReport[i])).append(';');
            }
            sinceReport[i].reset();
        }
        return out.toString();
    }

    private static String summary(final Histogram histogram)
    {
        if (histogram.getTotalCount() == 0)
        {
            return "n=0";
        }
        return String.format("n=%d p50=%.1fus p99=%.1fus p99.9=%.1fus max=%.1fus",
            histogram.getTotalCount(),
            histogram.getValueAtPercentile(50) / 1000.0,
            histogram.getValueAtPercentile(99) / 1000.0,
            histogram.getValueAtPercentile(99.9) / 1000.0,
            histogram.getMaxValue() / 1000.0);
    }

    static Histogram newHistogram()
    {
        return new Histogram(HIGHEST_TRACKABLE_NS, 3);
    }
}
