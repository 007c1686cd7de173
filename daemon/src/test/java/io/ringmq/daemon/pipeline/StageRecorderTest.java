package io.ringmq.daemon.pipeline;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stage's recorder: readers see what its writer flushed (at a batch's end, or when its buffer fills), clamped; the
 * histograms are recycled; a reader taking intervals while the writer records loses and repeats nothing; and the
 * dispatcher's end of batch flushes exactly the dispatch thread's stages.
 */
class StageRecorderTest
{
    private final StageRecorder recorder = new StageRecorder();

    @Test
    void readersSeeWhatWasFlushedClampedToWhatTheHistogramsTrack()
    {
        recorder.record(5_000);
        recorder.record(-3);
        recorder.record(Long.MAX_VALUE);
        Histogram interval = recorder.intervalHistogram(null);
        assertEquals(0, interval.getTotalCount(), "nothing flushed yet");

        recorder.flush();
        interval = recorder.intervalHistogram(interval);
        assertEquals(3, interval.getTotalCount());
        assertEquals(0, interval.getMinValue(), "a negative latency (clocks of two threads) counts as 0");
        final long highest = StageRecorder.HIGHEST_TRACKABLE_NS;
        assertEquals(highest, interval.getMaxValue(), highest / 1000, "a minute or more counts as a minute");
        assertEquals(0, recorder.intervalHistogram(interval).getTotalCount(), "taken once");
    }

    @Test
    void aFullBufferFlushesByItself()
    {
        for (int i = 0; i < StageRecorder.BUFFERED_VALUES; i++)
        {
            recorder.record(1_000);
        }
        assertEquals(StageRecorder.BUFFERED_VALUES, recorder.intervalHistogram(null).getTotalCount());
    }

    @Test
    void theHistogramAReaderGivesBackIsTheOneRecordedIntoNext()
    {
        final Histogram first = recorder.intervalHistogram(null);
        recorder.record(1_000);
        recorder.flush();
        final Histogram second = recorder.intervalHistogram(first);
        assertEquals(1, second.getTotalCount());
        recorder.record(2_000);
        recorder.flush();
        final Histogram third = recorder.intervalHistogram(second);
        assertSame(first, third, "recycled: steady reading allocates nothing");
        assertEquals(1, third.getTotalCount());
        assertEquals(2_000, third.getMaxValue(), 2);
    }

    @Test
    void aReaderTakingIntervalsWhileTheWriterRecordsCountsEveryValueOnce() throws Exception
    {
        final long values = 2_000_000;
        final AtomicBoolean written = new AtomicBoolean();
        final CompletableFuture<Void> writer = CompletableFuture.runAsync(() ->
        {
            for (long i = 1; i <= values; i++)
            {
                recorder.record(i & 0xFFFF);
                if (0 == i % 300) // a batch's end
                {
                    recorder.flush();
                }
            }
            recorder.flush();
            written.set(true);
        });
        long counted = 0;
        Histogram interval = null;
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!written.get() && System.nanoTime() < deadlineNs)
        {
            interval = recorder.intervalHistogram(interval);
            counted += interval.getTotalCount();
        }
        writer.get(30, TimeUnit.SECONDS);
        counted += recorder.intervalHistogram(interval).getTotalCount();
        assertEquals(values, counted);
    }

    @Test
    void theDispatchersEndOfBatchFlushesTheDispatchThreadsStagesOnly()
    {
        final StageHistograms stages = new StageHistograms();
        for (final Stage stage : Stage.values())
        {
            stages.recorder(stage).record(1_000);
        }
        stages.flushDispatchStages();
        stages.collect(0);
        for (final Stage stage : Stage.values())
        {
            assertEquals(stage.dispatchThread() ? 1 : 0, stages.figures(stage).count(), stage.label());
        }
        assertTrue(Stage.PUBLISH_TO_DELIVER.dispatchThread());
        assertFalse(Stage.INGRESS_TO_JOURNALED.dispatchThread());
    }
}
