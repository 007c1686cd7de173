package io.ringmq.perf;

import org.HdrHistogram.Histogram;

/**
 * Records the round trips of a one-at-a-time publisher (after its warm-up) and the wall time of the recorded ones.
 * Owned by the publishing thread; read once it has finished.
 */
public final class OneAtATimeRecorder
{
    private final long warmup;
    private final Histogram roundTripNs = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
    private final long startMs = System.currentTimeMillis();
    private long firstRecordedSendNs;
    private long lastReceiptNs;

    public OneAtATimeRecorder(final LatencyWorkload workload)
    {
        this.warmup = workload.warmupMessages();
    }

    /** Publish {@code number} (from 1) was sent at {@code sentNs} and answered at {@code receiptNs}. */
    public void onReceipt(final long number, final long sentNs, final long receiptNs)
    {
        if (number <= warmup)
        {
            return;
        }
        if (number == warmup + 1)
        {
            firstRecordedSendNs = sentNs;
        }
        lastReceiptNs = receiptNs;
        LatencyRecorder.record(roundTripNs, receiptNs - sentNs);
    }

    public OneAtATimeResult result(final String system, final String workload, final FsyncMode fsync)
    {
        final double seconds = Math.max(1, lastReceiptNs - firstRecordedSendNs) / 1e9;
        return new OneAtATimeResult(new LatencyResult(system, workload, fsync, true, roundTripNs, null, startMs,
            System.currentTimeMillis(), null), roundTripNs.getTotalCount() / seconds);
    }
}
