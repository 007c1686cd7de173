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

    /**
     * Moves the clock on and waits until it has been read twice since (on the ingress' thread, which reads it once per
     * duty cycle: the other readers read it only when commands come). A command sent after this returns is stamped
     * with the new time: one sent at once could be polled in a duty cycle that read the clock before the step, and a
     * stepped clock never moves on by itself to make up for it (a timer due at the new time would then wait for a tick
     * that the frozen clock never brings).
     */
    public void advanceMsAndAwaitRead(final long ms, final long timeoutMs)
    {
        advanceMs(ms);
        final long readsBefore = reads.get();
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (reads.get() < readsBefore + 2)
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new AssertionError("the stepped clock was not read within " + timeoutMs + " ms of a step");
            }
            Thread.onSpinWait();
        }
    }

    /** How many times the clock has been read. */
    public long reads()
    {
        return reads.get();
    }
}
