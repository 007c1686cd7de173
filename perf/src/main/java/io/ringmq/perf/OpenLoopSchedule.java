package io.ringmq.perf;

/**
 * Fixed-rate send times: message {@code n} (from 1) is meant to go at {@code start + (n - 1) / rate}. A publisher
 * that falls behind sends the late messages as fast as it can, and every latency is measured from this intended time,
 * never from the moment the message actually left: a stall of the system under test is charged to every message it
 * held up (coordinated omission measured, not hidden).
 */
public final class OpenLoopSchedule
{
    private final double intervalNs;
    private long startNs;

    public OpenLoopSchedule(final long messagesPerSecond)
    {
        if (messagesPerSecond <= 0)
        {
            throw new IllegalArgumentException("rate=" + messagesPerSecond + " must be > 0 messages per second");
        }
        this.intervalNs = 1e9 / messagesPerSecond;
    }

    /** Message 1 is due at {@code nowNs}. */
    public void start(final long nowNs)
    {
        startNs = nowNs;
    }

    public long intendedNs(final long number)
    {
        return startNs + (long)((number - 1) * intervalNs);
    }
}
