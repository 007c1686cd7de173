package io.ringmq.daemon.testing;

import org.agrona.concurrent.EpochNanoClock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** An epoch clock that moves only when the test says; read by the daemon's ingress thread. */
public final class SteppedClock implements EpochNanoClock
{
    private final AtomicLong nowNs = new AtomicLong(1_800_000_000_000_000_000L);

    public long nanoTime()
    {
        return nowNs.get();
    }

    public void advanceMs(final long ms)
    {
        nowNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }
}
