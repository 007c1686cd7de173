package io.ringmq.daemon.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counters' figures: percentiles over the last whole window that recorded anything (kept through idle windows),
 * count and sum since start updated at every collect; the stats line and the .hlog take their own copies.
 */
class StageHistogramsTest
{
    private static final long WINDOW = StageHistograms.WINDOW_NS;

    private final StageHistograms stages = new StageHistograms();

    @Test
    void percentilesCoverTheLastWholeWindowAndCountsEverythingSinceStart()
    {
        stages.collect(0);
        for (int i = 1; i <= 100; i++)
        {
            StageHistograms.record(stages.recorder(Stage.INGRESS_TO_DISPATCHED), i * 1_000L);
        }
        stages.collect(WINDOW / 2);
        StageFigures figures = stages.figures(Stage.INGRESS_TO_DISPATCHED);
        assertEquals(100, figures.count());
        assertEquals(5_050_000, figures.sumNs(), 5_050);
        assertEquals(0, figures.p50Ns(), "the window is not over yet");

        stages.collect(WINDOW);
        figures = stages.figures(Stage.INGRESS_TO_DISPATCHED);
        assertEquals(50_000, figures.p50Ns(), 50);
        assertEquals(90_000, figures.p90Ns(), 90);
        assertEquals(99_000, figures.p99Ns(), 99);
        assertEquals(100_000, figures.maxNs(), 100);

        StageHistograms.record(stages.recorder(Stage.INGRESS_TO_DISPATCHED), 7_000_000);
        stages.collect(WINDOW + WINDOW / 2);
        figures = stages.figures(Stage.INGRESS_TO_DISPATCHED);
        assertEquals(101, figures.count());
        assertEquals(100_000, figures.maxNs(), 100, "the last whole window's until the next one ends");

        stages.collect(2 * WINDOW);
        assertEquals(7_000_000, stages.figures(Stage.INGRESS_TO_DISPATCHED).maxNs(), 7_000);
        stages.collect(3 * WINDOW);
        figures = stages.figures(Stage.INGRESS_TO_DISPATCHED);
        assertEquals(7_000_000, figures.maxNs(), 7_000, "an idle window keeps the last busy one's figures");
        assertEquals(101, figures.count());
        assertEquals(0, stages.figures(Stage.DELIVER_TO_ACK).maxNs(), "a stage that never recorded shows zeros");
    }

    @Test
    void theStatsLineAndTheLogEachSeeEveryValueOnce()
    {
        StageHistograms.record(stages.recorder(Stage.INGRESS_TO_DISPATCHED), 2_000);
        StageHistograms.record(stages.recorder(Stage.DELIVER_TO_ACK), 3_000_000);
        stages.collect(0);
        final String line = stages.report();
        assertTrue(line.startsWith("ingress->dispatch interval n=1 "), line);
        assertTrue(line.contains("since start n=1 "), line);
        assertTrue(line.contains("deliver_to_ack n=1 "), line);
        assertTrue(stages.report().startsWith("ingress->dispatch interval n=0 | since start n=1 "), "reported once");

        final var logged = StageHistograms.newHistogram();
        stages.moveLogged(Stage.DELIVER_TO_ACK, logged);
        assertEquals(1, logged.getTotalCount(), "the log still gets it");
        stages.moveLogged(Stage.DELIVER_TO_ACK, logged);
        assertEquals(0, logged.getTotalCount());
    }
}
