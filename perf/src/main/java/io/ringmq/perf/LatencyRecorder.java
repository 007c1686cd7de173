package io.ringmq.perf;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two latencies of the open-loop workload, in ns from the intended send time: publish→deliver (recorded by the
 * consumer's thread) and publish→receipt (recorded by the producer's thread). Messages numbered up to the warm-up
 * count are not recorded. Each histogram has one writer; read them once both threads have finished.
 */
public final class LatencyRecorder
{
    /** Latencies above this are clamped to it (a run this slow has failed anyway). */
    public static final long HIGHEST_TRACKABLE_NS = TimeUnit.MINUTES.toNanos(2);

    private final long warmupMessages;
    private final Histogram deliverNs = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private final Histogram receiptNs = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    /** The highest message number delivered so far, for another thread to see the warm-up end (ordered writes). */
    private final AtomicLong delivered = new AtomicLong();

    public LatencyRecorder(final long warmupMessages)
    {
        this.warmupMessages = warmupMessages;
    }

    public void onDelivered(final long number, final long intendedNs, final long nowNs)
    {
        delivered.lazySet(number);
        if (number > warmupMessages)
        {
            record(deliverNs, nowNs - intendedNs);
        }
    }

    public void onReceipted(final long number, final long intendedNs, final long nowNs)
    {
        if (number > warmupMessages)
        {
            record(receiptNs, nowNs - intendedNs);
        }
    }

    /** Whether every warm-up message has been delivered: recording has begun. */
    public boolean isWarmedUp()
    {
        return delivered.get() >= warmupMessages;
    }

    public Histogram deliverNs()
    {
        return deliverNs;
    }

    public Histogram receiptNs()
    {
        return receiptNs;
    }

    /** Records a latency, clamped to 0..{@link #HIGHEST_TRACKABLE_NS}. */
    public static void record(final Histogram histogram, final long valueNs)
    {
        histogram.recordValue(Math.max(0, Math.min(valueNs, HIGHEST_TRACKABLE_NS)));
    }
}
