package io.ringmq.daemon.metrics;

import io.ringmq.daemon.pipeline.Stage;
import io.ringmq.daemon.pipeline.StageHistograms;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The .hlog reads back with HdrHistogram's own reader: one histogram per stage and interval, tagged, in ns. */
class StageIntervalLogTest
{
    @TempDir
    Path tempDir;

    @Test
    void eachIntervalHoldsEveryStageTaggedWithWhatItRecordedThen() throws IOException
    {
        final StageHistograms stages = new StageHistograms();
        final CachedEpochClock epochClock = new CachedEpochClock();
        epochClock.update(1_700_000_000_000L);
        final Path path = tempDir.resolve("stages.hlog");
        final StageIntervalLog log = new StageIntervalLog(path, stages, new CachedNanoClock(), epochClock);

        StageHistograms.record(stages.recorder(Stage.INGRESS_TO_JOURNALED), 150_000);
        StageHistograms.record(stages.recorder(Stage.INGRESS_TO_JOURNALED), 250_000);
        epochClock.advance(1_000);
        log.writeInterval();
        StageHistograms.record(stages.recorder(Stage.DELIVER_TO_ACK), 2_000_000);
        epochClock.advance(1_000);
        log.close(); // writes the last interval

        final HistogramLogReader reader = new HistogramLogReader(path.toFile());
        final List<String> read = new ArrayList<>();
        EncodableHistogram next;
        while (null != (next = reader.nextIntervalHistogram()))
        {
            final Histogram histogram = (Histogram)next;
            if (histogram.getTotalCount() > 0)
            {
                read.add(histogram.getTag() + " n=" + histogram.getTotalCount() + " max~" +
                    histogram.getMaxValue() / 1000 + "us from " + (histogram.getStartTimeStamp() - 1_700_000_000_000L) +
                    "ms");
            }
            else
            {
                read.add(histogram.getTag());
            }
        }
        final List<String> expected = new ArrayList<>();
        for (final Stage stage : Stage.values())
        {
            expected.add(stage == Stage.INGRESS_TO_JOURNALED ? "ingress_to_journaled n=2 max~250us from 0ms" :
                stage.label());
        }
        for (final Stage stage : Stage.values())
        {
            expected.add(stage == Stage.DELIVER_TO_ACK ? "deliver_to_ack n=1 max~2000us from 1000ms" : stage.label());
        }
        assertEquals(expected, read);
    }
}
