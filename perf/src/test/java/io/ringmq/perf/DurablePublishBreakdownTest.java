package io.ringmq.perf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Smoke test: the breakdown runs and sets the daemon's stage histogram beside exactly the recorded publishes. */
class DurablePublishBreakdownTest
{
    @Test
    void theDaemonsStageHistogramCoversTheRecordedPublishesOnly()
    {
        final String text = DurablePublishBreakdown.run(new LatencyWorkload(1, 50, 20, 100, FsyncMode.BATCH, 60));

        assertTrue(text.contains("round trip        (us, 50 samples)"), text);
        assertTrue(text.contains("daemon ingress->dispatch interval n=50 "), "the warm-up's 20 are forgotten\n" + text);
        assertTrue(text.contains("fsync per batch"), text);
    }
}
