package io.ringmq.daemon.testing;

import org.agrona.concurrent.EpochNanoClock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An epoch clock that moves only when the test says; read by the daemon's ingress thread, once per duty cycle. Counts
 * its reads, so a test can wait until the ingress has seen a step (the other readers read it only when commands come).
 */
public final class SteppedClock implements EpochNanoClock
{
    private final AtomicLong nowNs = new AtomicLong(1_800_000_000_000_000_000L);
    private final AtomicLong reads = new AtomicLong();

    public long nanoTime()
    {
        reads.incrementAndGet();
        return nowNs.get();
    }

    public void advanceMs(final long ms)
    {
        nowNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    /** How many times the clock has been read. */
    public long reads()
    {
        return reads.get();
    }
}
