package io.ringmq.daemon.pipeline;

import io.ringmq.codecs.BackoffKind;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.LimitAction;
import io.ringmq.codecs.QueueLimitsEncoder;
import io.ringmq.codecs.QueueSettingsEncoder;
import io.ringmq.config.QueueRule;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Queue settings of this run that the state machine applies from the NodeStarted command on, followed by one
 * QueueRule command per configured rule (most specific first); journaled so a replay applies what was live.
 */
public record QueueDefaults(long visibilityTimeoutMs, int maxAttempts, List<QueueRule> rules)
{
    public QueueDefaults
    {
        rules = List.copyOf(rules);
    }

    /** Writes a configured rule's settings in the journal's form: milliseconds, the schema's enums, 0 = unset. */
    static void write(final QueueRule rule, final QueueSettingsEncoder settings)
    {
        settings.visibilityTimeoutMs(TimeUnit.NANOSECONDS.toMillis(rule.visibilityTimeoutNs()))
            .maxAttempts(rule.maxAttempts())
            .backoff(switch (rule.backoff())
            {
                case UNSET -> BackoffKind.DEFAULT;
                case NONE -> BackoffKind.NONE;
                case FIXED -> BackoffKind.FIXED;
                case EXPONENTIAL -> BackoffKind.EXPONENTIAL;
            })
            .strategy(switch (rule.strategy())
            {
                case UNSET -> DispatchStrategy.DEFAULT;
                case ROUND_ROBIN -> DispatchStrategy.ROUND_ROBIN;
                case LEAST_OUTSTANDING -> DispatchStrategy.LEAST_OUTSTANDING;
            })
            .initialDelayMs(TimeUnit.NANOSECONDS.toMillis(rule.initialDelayNs()))
            .maxDelayMs(TimeUnit.NANOSECONDS.toMillis(rule.maxDelayNs()));
    }

    /** Writes a configured rule's limits in the journal's form: milliseconds, the schema's enums, 0 = unset. */
    static void write(final QueueRule.Limits rule, final QueueLimitsEncoder limits)
    {
        final long maxAgeNs = rule.maxAgeNs();
        limits.maxAgeMs(QueueRule.NO_LIMIT == maxAgeNs ? QueueRule.NO_LIMIT : TimeUnit.NANOSECONDS.toMillis(maxAgeNs))
            .maxMessages(rule.maxMessages())
            .maxBytes(rule.maxBytes())
            .expiredAction(action(rule.expired()))
            .overflowAction(action(rule.overflow()));
    }

    private static LimitAction action(final QueueRule.LimitAction action)
    {
        return switch (action)
        {
            case UNSET -> LimitAction.DEFAULT;
            case DEAD_LETTER -> LimitAction.DEAD_LETTER;
            case DROP -> LimitAction.DROP;
            case REJECT_PUBLISH -> LimitAction.REJECT_PUBLISH;
        };
    }
}
