package io.ringmq.core.state;

import io.ringmq.codecs.LimitAction;
import io.ringmq.codecs.QueueLimitsDecoder;
import io.ringmq.codecs.QueueLimitsEncoder;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Bounds on what a queue holds: how old a message may get (counted from when it entered this queue) and how many
 * messages or payload bytes it may hold, in flight included. What passes a bound is never lost silently: it goes to
 * the dead-letter queue, or is dropped and counted, or (size bounds only) the new message is refused. Immutable.
 * <p>
 * Like {@link QueuePolicy}, the same type describes partial settings, where 0 and DEFAULT mean "not set here";
 * {@link #NONE} says explicitly "no bound", so a narrow rule can lift a bound a broader one set.
 */
public final class QueueLimits
{
    /** An explicit "no bound" (0 would mean "not set here"). */
    public static final long NONE = Long.MAX_VALUE;
    /** The longest finite maximum age; longer is what {@link #NONE} is for. */
    public static final long MAX_AGE_LIMIT_MS = TimeUnit.DAYS.toMillis(365);
    /** A queue never holds more than this many messages (its index spans at most 2^30 sequences). */
    public static final long MAX_MESSAGES_LIMIT = 1L << 30;
    /** Nothing set: every field comes from the next source. */
    public static final QueueLimits UNSET = new QueueLimits(0, 0, 0, LimitAction.DEFAULT, LimitAction.DEFAULT);
    /** The defaults of a run that bounds nothing: should a rule set a bound, what passes it is dead-lettered. */
    public static final QueueLimits DEFAULTS = defaults(NONE);

    private final long maxAgeMs;
    private final long maxMessages;
    private final long maxBytes;
    private final LimitAction expiredAction;
    private final LimitAction overflowAction;

    public QueueLimits(
        final long maxAgeMs,
        final long maxMessages,
        final long maxBytes,
        final LimitAction expiredAction,
        final LimitAction overflowAction)
    {
        this.maxAgeMs = maxAgeMs;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.expiredAction = expiredAction;
        this.overflowAction = overflowAction;
    }

    /**
     * A run's defaults: no bound on age or count, at most {@code maxBytes} payload bytes (or {@link #NONE}); what
     * passes a bound is dead-lettered unless a rule or declaration says otherwise.
     */
    public static QueueLimits defaults(final long maxBytes)
    {
        return new QueueLimits(NONE, NONE, maxBytes, LimitAction.DEAD_LETTER, LimitAction.DEAD_LETTER);
    }

    /** @param limits null for a frame older than the limits (schema version 2): nothing set. */
    public static QueueLimits read(final QueueLimitsDecoder limits)
    {
        if (null == limits)
        {
            return UNSET;
        }
        return new QueueLimits(
            limits.maxAgeMs(), limits.maxMessages(), limits.maxBytes(),
            WireEnums.limitAction(limits.expiredActionRaw()), WireEnums.limitAction(limits.overflowActionRaw()));
    }

    public void writeTo(final QueueLimitsEncoder limits)
    {
        limits.maxAgeMs(maxAgeMs)
            .maxMessages(maxMessages)
            .maxBytes(maxBytes)
            .expiredAction(expiredAction)
            .overflowAction(overflowAction);
    }

    /** @return null when these (possibly partial) limits are acceptable, else what is wrong. */
    public String problem()
    {
        if (maxAgeMs < 0 || (maxAgeMs > MAX_AGE_LIMIT_MS && NONE != maxAgeMs))
        {
            return "maxAgeMs=" + maxAgeMs + " must be 0 (default), 1 to " + MAX_AGE_LIMIT_MS + " or " + NONE + " (none)";
        }
        if (maxMessages < 0 || (maxMessages > MAX_MESSAGES_LIMIT && NONE != maxMessages))
        {
            return "maxMessages=" + maxMessages + " must be 0 (default), 1 to " + MAX_MESSAGES_LIMIT + " or " + NONE +
                " (none)";
        }
        if (maxBytes < 0)
        {
            return "maxBytes=" + maxBytes + " must be 0 (default), 1 or more, or " + NONE + " (none)";
        }
        if (null == expiredAction || LimitAction.NULL_VAL == expiredAction ||
            LimitAction.REJECT_PUBLISH == expiredAction)
        {
            return "expiredAction is not one of DEFAULT, DEAD_LETTER, DROP";
        }
        if (null == overflowAction || LimitAction.NULL_VAL == overflowAction)
        {
            return "overflowAction is not one of DEFAULT, DEAD_LETTER, DROP, REJECT_PUBLISH";
        }
        return null;
    }

    /** Field by field: this value where set, else the fallback's. */
    public QueueLimits orElse(final QueueLimits fallback)
    {
        return new QueueLimits(
            0 != maxAgeMs ? maxAgeMs : fallback.maxAgeMs,
            0 != maxMessages ? maxMessages : fallback.maxMessages,
            0 != maxBytes ? maxBytes : fallback.maxBytes,
            LimitAction.DEFAULT != expiredAction ? expiredAction : fallback.expiredAction,
            LimitAction.DEFAULT != overflowAction ? overflowAction : fallback.overflowAction);
    }

    /** Whether messages leave by age (complete limits only). */
    public boolean hasMaxAge()
    {
        return NONE != maxAgeMs;
    }

    /** Whether a message of this length may join a queue holding {@code messages} of {@code bytes} in all. */
    boolean admits(final long messages, final long bytes, final int length)
    {
        return messages < maxMessages && length <= maxBytes - bytes;
    }

    /** Whether a message of this length fits the queue's byte bound at all, even with nothing else in the queue. */
    boolean fitsAlone(final int length)
    {
        return length <= maxBytes;
    }

    public long maxAgeMs()
    {
        return maxAgeMs;
    }

    public long maxMessages()
    {
        return maxMessages;
    }

    public long maxBytes()
    {
        return maxBytes;
    }

    public LimitAction expiredAction()
    {
        return expiredAction;
    }

    public LimitAction overflowAction()
    {
        return overflowAction;
    }

    public boolean equals(final Object o)
    {
        return o instanceof QueueLimits other &&
            maxAgeMs == other.maxAgeMs &&
            maxMessages == other.maxMessages &&
            maxBytes == other.maxBytes &&
            expiredAction == other.expiredAction &&
            overflowAction == other.overflowAction;
    }

    public int hashCode()
    {
        return Objects.hash(maxAgeMs, maxMessages, maxBytes, expiredAction, overflowAction);
    }

    public String toString()
    {
        return "max-age=" + Spelling.bound(maxAgeMs, NONE, "ms") + " max-messages=" +
            Spelling.bound(maxMessages, NONE, "") + " max-bytes=" + Spelling.bound(maxBytes, NONE, "") +
            " expired=" + Spelling.of(expiredAction) + " overflow=" + Spelling.of(overflowAction);
    }
}
