package io.ringmq.daemon.replication;

import org.agrona.concurrent.NanoClock;

/**
 * A token bucket in bytes: what catch-up may send per second. Bytes are charged after they are sent, so one batch
 * may overdraw; the next waits until the debt is paid. The bucket holds at most a twentieth of a second's worth, so
 * a catch-up that waited does not then burst.
 * <p>
 * Not thread-safe: the catch-up server's thread.
 */
final class ByteRate
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double bytesPerNs;
    private final long burstBytes;
    private final NanoClock nanoClock;
    private double allowance;
    private long lastNs;

    ByteRate(final long bytesPerSecond, final NanoClock nanoClock)
    {
        if (bytesPerSecond <= 0)
        {
            throw new IllegalArgumentException("bytesPerSecond=" + bytesPerSecond + " must be positive");
        }
        this.bytesPerNs = (double)bytesPerSecond / NANOS_PER_SECOND;
        this.burstBytes = Math.max(1, bytesPerSecond / 20);
        this.nanoClock = nanoClock;
        this.lastNs = nanoClock.nanoTime();
    }

    /** Whether anything may be sent now (the bucket is not in debt). */
    boolean mayAcquire()
    {
        final long nowNs = nanoClock.nanoTime();
        final long elapsedNs = nowNs - lastNs;
        if (elapsedNs > 0)
        {
            allowance = Math.min(burstBytes, allowance + elapsedNs * bytesPerNs);
            lastNs = nowNs;
        }
        return allowance > 0;
    }

    /** Charges bytes sent. */
    void spent(final long bytes)
    {
        allowance -= bytes;
    }
}
