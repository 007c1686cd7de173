package io.ringmq.core.state;

import io.ringmq.codecs.BackoffKind;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.QueueLimitsDecoder;
import io.ringmq.codecs.QueueSettingsDecoder;
import io.ringmq.codecs.QueueSettingsEncoder;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * How a queue delivers: visibility timeout, attempts before dead-lettering, redelivery backoff and which consumer
 * of a group gets the next message; and the {@link QueueLimits} on what it holds. Immutable.
 * <p>
 * The same type describes partial settings (a client's declaration, a configured rule), where 0 and DEFAULT mean
 * "not set here": {@link #orElse} fills the gaps field by field from the next source down, ending with the daemon's
 * defaults, which set every field.
 */
public final class QueuePolicy
{
    /** The longest visibility timeout or redelivery delay: long enough for batch jobs, short of forever. */
    public static final long MAX_DELAY_MS = TimeUnit.HOURS.toMillis(12);
    /** More attempts than this is a poison message that never gives up. */
    public static final int MAX_ATTEMPTS_LIMIT = 1000;
    /** Nothing set: every field comes from the next source. */
    public static final QueuePolicy UNSET = new QueuePolicy(0, 0, BackoffKind.DEFAULT, 0, 0, DispatchStrategy.DEFAULT);

    private final long visibilityTimeoutMs;
    private final int maxAttempts;
    private final BackoffKind backoff;
    private final long initialDelayMs;
    private final long maxDelayMs;
    private final DispatchStrategy strategy;
    private final QueueLimits limits;

    /** Delivery settings with no limits set. */
    public QueuePolicy(
        final long visibilityTimeoutMs,
        final int maxAttempts,
        final BackoffKind backoff,
        final long initialDelayMs,
        final long maxDelayMs,
        final DispatchStrategy strategy)
    {
        this(visibilityTimeoutMs, maxAttempts, backoff, initialDelayMs, maxDelayMs, strategy, QueueLimits.UNSET);
    }

    public QueuePolicy(
        final long visibilityTimeoutMs,
        final int maxAttempts,
        final BackoffKind backoff,
        final long initialDelayMs,
        final long maxDelayMs,
        final DispatchStrategy strategy,
        final QueueLimits limits)
    {
        this.visibilityTimeoutMs = visibilityTimeoutMs;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.initialDelayMs = initialDelayMs;
        this.maxDelayMs = maxDelayMs;
        this.strategy = strategy;
        this.limits = limits;
    }

    /** The daemon's defaults for queues no rule or declaration covers: complete, no backoff, round-robin, no limits. */
    public static QueuePolicy defaults(final long visibilityTimeoutMs, final int maxAttempts)
    {
        return defaults(visibilityTimeoutMs, maxAttempts, QueueLimits.NONE);
    }

    /** The same, holding at most {@code maxBytes} payload bytes ({@link QueueLimits#NONE}: no bound). */
    public static QueuePolicy defaults(final long visibilityTimeoutMs, final int maxAttempts, final long maxBytes)
    {
        return new QueuePolicy(visibilityTimeoutMs, maxAttempts, BackoffKind.NONE, 0, 0, DispatchStrategy.ROUND_ROBIN,
            QueueLimits.defaults(maxBytes));
    }

    /** @param limits null for a frame older than the limits (schema version 2). */
    public static QueuePolicy read(final QueueSettingsDecoder settings, final QueueLimitsDecoder limits)
    {
        return new QueuePolicy(
            settings.visibilityTimeoutMs(),
            settings.maxAttempts(),
            WireEnums.backoffKind(settings.backoffRaw()),
            settings.initialDelayMs(),
            settings.maxDelayMs(),
            WireEnums.dispatchStrategy(settings.strategyRaw()),
            QueueLimits.read(limits));
    }

    /** Writes the delivery settings (the counterpart of {@link #read}). */
    public void writeTo(final QueueSettingsEncoder settings)
    {
        settings.visibilityTimeoutMs(visibilityTimeoutMs)
            .maxAttempts(maxAttempts)
            .backoff(backoff)
            .strategy(strategy)
            .initialDelayMs(initialDelayMs)
            .maxDelayMs(maxDelayMs);
    }

    /** The same delivery settings with these limits. */
    public QueuePolicy withLimits(final QueueLimits limits)
    {
        return new QueuePolicy(visibilityTimeoutMs, maxAttempts, backoff, initialDelayMs, maxDelayMs, strategy, limits);
    }

    /**
     * @return null when these (possibly partial) settings are acceptable, else what is wrong, for an error message.
     */
    public String problem()
    {
        if (visibilityTimeoutMs < 0 || visibilityTimeoutMs > MAX_DELAY_MS)
        {
            return "visibilityTimeoutMs=" + visibilityTimeoutMs + " must be 0 (default) to " + MAX_DELAY_MS;
        }
        if (maxAttempts < 0 || maxAttempts > MAX_ATTEMPTS_LIMIT)
        {
            return "maxAttempts=" + maxAttempts + " must be 0 (default) to " + MAX_ATTEMPTS_LIMIT;
        }
        if (null == backoff || BackoffKind.NULL_VAL == backoff)
        {
            return "backoff is not one of " + "DEFAULT, NONE, FIXED, EXPONENTIAL";
        }
        if (null == strategy || DispatchStrategy.NULL_VAL == strategy)
        {
            return "strategy is not one of DEFAULT, ROUND_ROBIN, LEAST_OUTSTANDING";
        }
        if (initialDelayMs < 0 || initialDelayMs > MAX_DELAY_MS || maxDelayMs < 0 || maxDelayMs > MAX_DELAY_MS)
        {
            return "initialDelayMs=" + initialDelayMs + " and maxDelayMs=" + maxDelayMs + " must be 0 to " +
                MAX_DELAY_MS;
        }
        if ((BackoffKind.FIXED == backoff || BackoffKind.EXPONENTIAL == backoff) && 0 == initialDelayMs)
        {
            return "backoff " + backoff + " needs initialDelayMs of at least 1";
        }
        if (BackoffKind.EXPONENTIAL == backoff && 0 != maxDelayMs && maxDelayMs < initialDelayMs)
        {
            return "maxDelayMs=" + maxDelayMs + " is below initialDelayMs=" + initialDelayMs;
        }
        if (BackoffKind.FIXED != backoff && BackoffKind.EXPONENTIAL != backoff &&
            (0 != initialDelayMs || 0 != maxDelayMs))
        {
            return "initialDelayMs and maxDelayMs apply only to backoff FIXED or EXPONENTIAL, not " + backoff;
        }
        return limits.problem();
    }

    /**
     * Field by field: this policy's value where it sets one, else the fallback's. The backoff delays go with the
     * backoff kind, so they are taken from whichever side decides the kind.
     */
    public QueuePolicy orElse(final QueuePolicy fallback)
    {
        final boolean ownBackoff = BackoffKind.DEFAULT != backoff;
        return new QueuePolicy(
            0 != visibilityTimeoutMs ? visibilityTimeoutMs : fallback.visibilityTimeoutMs,
            0 != maxAttempts ? maxAttempts : fallback.maxAttempts,
            ownBackoff ? backoff : fallback.backoff,
            ownBackoff ? initialDelayMs : fallback.initialDelayMs,
            ownBackoff ? maxDelayMs : fallback.maxDelayMs,
            DispatchStrategy.DEFAULT != strategy ? strategy : fallback.strategy,
            limits.orElse(fallback.limits));
    }

    /** Whether a declaration asks for something this (complete) policy does not have. */
    public boolean isContradictedBy(final QueuePolicy declared)
    {
        return !equals(declared.orElse(this));
    }

    /** How long a message waits before its next delivery after delivery number {@code failedAttempt} failed. */
    public long redeliveryDelayNs(final int failedAttempt)
    {
        return switch (backoff)
        {
            case FIXED -> TimeUnit.MILLISECONDS.toNanos(initialDelayMs);
            case EXPONENTIAL ->
            {
                final long capMs = 0 == maxDelayMs ? MAX_DELAY_MS : maxDelayMs;
                final int doublings = Math.min(Math.max(failedAttempt - 1, 0), 62);
                final long delayMs = initialDelayMs > (capMs >> doublings) ? capMs : initialDelayMs << doublings;
                yield TimeUnit.MILLISECONDS.toNanos(Math.min(delayMs, capMs));
            }
            default -> 0;
        };
    }

    public long visibilityTimeoutMs()
    {
        return visibilityTimeoutMs;
    }

    public int maxAttempts()
    {
        return maxAttempts;
    }

    public BackoffKind backoff()
    {
        return backoff;
    }

    public long initialDelayMs()
    {
        return initialDelayMs;
    }

    public long maxDelayMs()
    {
        return maxDelayMs;
    }

    public DispatchStrategy strategy()
    {
        return strategy;
    }

    public QueueLimits limits()
    {
        return limits;
    }

    public boolean equals(final Object o)
    {
        return o instanceof QueuePolicy other &&
            visibilityTimeoutMs == other.visibilityTimeoutMs &&
            maxAttempts == other.maxAttempts &&
            backoff == other.backoff &&
            initialDelayMs == other.initialDelayMs &&
            maxDelayMs == other.maxDelayMs &&
            strategy == other.strategy &&
            limits.equals(other.limits);
    }

    public int hashCode()
    {
        return Objects.hash(visibilityTimeoutMs, maxAttempts, backoff, initialDelayMs, maxDelayMs, strategy, limits);
    }

    public String toString()
    {
        return "visibility-timeout=" + Spelling.millis(visibilityTimeoutMs) +
            " max-attempts=" + (0 == maxAttempts ? "default" : Integer.toString(maxAttempts)) +
            " backoff=" + Spelling.of(backoff) + (0 != initialDelayMs ? ":" + initialDelayMs + "ms" : "") +
            (0 != maxDelayMs ? ":" + maxDelayMs + "ms" : "") + " strategy=" + Spelling.of(strategy) +
            (QueueLimits.UNSET.equals(limits) || QueueLimits.DEFAULTS.equals(limits) ? "" : " " + limits);
    }
}
