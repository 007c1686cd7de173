package io.ringmq.transport.server;

import java.util.concurrent.TimeUnit;

/**
 * So many events per second, in bursts of at most a second's worth: each event takes a token, tokens come back at the
 * rate. Time is a parameter (the caller's clock, read once per duty cycle).
 * <p>
 * Not thread-safe: owned by one thread (the ingress).
 */
final class TokenBucket
{
    private final long nsPerToken;
    private final long capacityNs;
    /** Credit, in nanoseconds of refill: a token costs {@link #nsPerToken}. */
    private long creditNs;
    private long lastNs;
    private boolean started;

    /** @param perSecond events per second, at least 1; a full bucket holds as many. */
    TokenBucket(final long perSecond)
    {
        nsPerToken = Math.max(1, TimeUnit.SECONDS.toNanos(1) / perSecond);
        capacityNs = nsPerToken * perSecond;
        creditNs = capacityNs;
    }

    /** @return true if an event may happen at {@code nowNs} (it took a token), false if it must not. */
    boolean tryTake(final long nowNs)
    {
        if (started)
        {
            final long elapsedNs = Math.max(0, nowNs - lastNs);
            creditNs = elapsedNs >= capacityNs ? capacityNs : Math.min(capacityNs, creditNs + elapsedNs);
        }
        started = true;
        lastNs = nowNs;
        if (creditNs < nsPerToken)
        {
            return false;
        }
        creditNs -= nsPerToken;
        return true;
    }
}
