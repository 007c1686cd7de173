package io.ringmq.daemon.pipeline;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * One {@link Stage}'s latency recorder: one thread writes, readers take what it wrote since they last asked. The
 * writer's values wait in a small buffer and go into the histogram a batch at a time ({@link #flush()}, at the end of
 * each ring batch), inside one critical section of a {@link WriterReaderPhaser}: two atomic adds per batch instead of
 * two per value, as HdrHistogram's {@code SingleWriterRecorder} makes (eight per message of the 1P/1C hot path).
 * <p>
 * What was recorded but not yet flushed is not seen by readers: the writer flushes at the end of every batch, and by
 * itself whenever the buffer is full, so readers (every 100 ms) see values at most one batch late.
 * <p>
 * Thread-safety: {@link #record} and {@link #flush} are the one writer thread's; {@link #intervalHistogram} is safe from
 * any thread (readers take turns).
 */
public final class StageRecorder
{
    /** Values above this are clamped: a command delayed more than a minute is reported as a minute. */
    static final long HIGHEST_TRACKABLE_NS = StageHistograms.HIGHEST_TRACKABLE_NS;
    /** Values kept before the writer flushes by itself: a ring batch without a per-batch sync takes at most 512. */
    static final int BUFFERED_VALUES = 1024;

    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private final long[] buffered = new long[BUFFERED_VALUES];
    private int bufferedCount;
    /** Written by readers (swapped for a fresh one under the phaser's reader lock), read by the writer. */
    private volatile Histogram active = StageHistograms.newHistogram();

    /** Keeps one latency for the next {@link #flush()}, clamped to what the histograms track. The writer's only. */
    public void record(final long latencyNs)
    {
        buffered[bufferedCount++] = Math.max(0, Math.min(latencyNs, HIGHEST_TRACKABLE_NS));
        if (BUFFERED_VALUES == bufferedCount)
        {
            flush();
        }
    }

    /** Puts the values kept so far into the histogram readers take. The writer's only; no allocation. */
    public void flush()
    {
        if (0 == bufferedCount)
        {
            return;
        }
        final long phase = phaser.writerCriticalSectionEnter();
        try
        {
            final Histogram histogram = active;
            for (int i = 0; i < bufferedCount; i++)
            {
                histogram.recordValue(buffered[i]);
            }
        }
        finally
        {
            phaser.writerCriticalSectionExit(phase);
        }
        bufferedCount = 0;
    }

    /**
     * What the writer flushed since the last call; {@code recycle} (a histogram an earlier call returned, or null) is
     * reset and becomes the one the writer records into next, so steady reading allocates nothing.
     */
    public Histogram intervalHistogram(final Histogram recycle)
    {
        final Histogram next = null == recycle ? StageHistograms.newHistogram() : recycle;
        next.reset();
        phaser.readerLock();
        try
        {
            final Histogram taken = active;
            active = next;
            phaser.flipPhase(); // waits for a writer still recording into the one taken
            return taken;
        }
        finally
        {
            phaser.readerUnlock();
        }
    }
}
