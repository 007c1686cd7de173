package io.ringmq.core.state;

import java.util.concurrent.TimeUnit;

/**
 * A publish's own timing (schema version 8): held back by a delay or until a deliver-at, and a time to live. Checked
 * here and turned into command times: the state machine reads no clock, so "now" is the publish command's time and a
 * deliver-at is compared with later commands' times (the daemon stamps commands with epoch time).
 */
final class MessageTiming
{
    /** The longest delay or time to live, and how far ahead a deliver-at may be: a year. */
    static final long MAX_MS = TimeUnit.DAYS.toMillis(365);
    private static final long NS_PER_MS = TimeUnit.MILLISECONDS.toNanos(1);

    private MessageTiming()
    {
    }

    /** @return what is wrong with the timing, or null if nothing is. */
    static String problem(final long nowNs, final long delayMs, final long deliverAtMs, final long ttlMs)
    {
        if (delayMs < 0 || delayMs > MAX_MS)
        {
            return "delayMs=" + delayMs + " is invalid: must be 0 (none) to " + MAX_MS;
        }
        if (ttlMs < 0 || ttlMs > MAX_MS)
        {
            return "ttlMs=" + ttlMs + " is invalid: must be 0 (none) to " + MAX_MS;
        }
        if (deliverAtMs < 0 || deliverAtMs > nowNs / NS_PER_MS + MAX_MS)
        {
            return "deliverAtMs=" + deliverAtMs + " is invalid: must be 0 (none) or at most " + MAX_MS +
                " ms from now";
        }
        if (0 != delayMs && 0 != deliverAtMs)
        {
            return "delayMs and deliverAtMs are both set: a message has one or the other";
        }
        return null;
    }

    /** When the message may be delivered: now unless delayed or given a later deliver-at. */
    static long deliverAtNs(final long nowNs, final long delayMs, final long deliverAtMs)
    {
        return 0 != deliverAtMs ? deliverAtMs * NS_PER_MS : nowNs + delayMs * NS_PER_MS;
    }

    static long expiresAtNs(final long nowNs, final long ttlMs)
    {
        return 0 == ttlMs ? StoredMessage.NEVER : nowNs + ttlMs * NS_PER_MS;
    }
}
