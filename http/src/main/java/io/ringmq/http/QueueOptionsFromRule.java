package io.ringmq.http;

import io.ringmq.client.QueueOptions;
import io.ringmq.codecs.LimitAction;
import io.ringmq.config.QueueRule;

import java.time.Duration;

/**
 * Settings read by the config's rules ({@code QueueSettings}) as the client's declaration; unset stays unset. Shared by
 * the HTTP face's {@code PUT /queues/{queue}} and the CLI's {@code declare queue}, so both read a setting alike.
 */
public final class QueueOptionsFromRule
{
    private QueueOptionsFromRule()
    {
    }

    public static QueueOptions options(final QueueRule rule)
    {
        QueueOptions options = QueueOptions.unset();
        if (rule.visibilityTimeoutNs() > 0)
        {
            options = options.visibilityTimeout(Duration.ofNanos(rule.visibilityTimeoutNs()));
        }
        if (rule.maxAttempts() > 0)
        {
            options = options.maxAttempts(rule.maxAttempts());
        }
        options = switch (rule.backoff())
        {
            case UNSET -> options;
            case NONE -> options.noBackoff();
            case FIXED -> options.fixedBackoff(Duration.ofNanos(rule.initialDelayNs()));
            case EXPONENTIAL -> options.exponentialBackoff(
                Duration.ofNanos(rule.initialDelayNs()), Duration.ofNanos(rule.maxDelayNs()));
        };
        options = switch (rule.strategy())
        {
            case UNSET -> options;
            case ROUND_ROBIN -> options.roundRobin();
            case LEAST_OUTSTANDING -> options.leastOutstanding();
        };
        return withLimits(options, rule.limits());
    }

    private static QueueOptions withLimits(final QueueOptions unlimited, final QueueRule.Limits limits)
    {
        QueueOptions options = unlimited;
        if (QueueRule.NO_LIMIT == limits.maxAgeNs())
        {
            options = options.noMaxAge();
        }
        else if (limits.maxAgeNs() > 0)
        {
            options = options.maxAge(Duration.ofNanos(limits.maxAgeNs()));
        }
        if (QueueRule.NO_LIMIT == limits.maxMessages())
        {
            options = options.noMaxMessages();
        }
        else if (limits.maxMessages() > 0)
        {
            options = options.maxMessages(limits.maxMessages());
        }
        if (QueueRule.NO_LIMIT == limits.maxBytes())
        {
            options = options.noMaxBytes();
        }
        else if (limits.maxBytes() > 0)
        {
            options = options.maxBytes(limits.maxBytes());
        }
        if (QueueRule.LimitAction.UNSET != limits.expired())
        {
            options = options.onExpiry(action(limits.expired()));
        }
        if (QueueRule.LimitAction.UNSET != limits.overflow())
        {
            options = options.onOverflow(action(limits.overflow()));
        }
        return options;
    }

    private static LimitAction action(final QueueRule.LimitAction action)
    {
        return switch (action)
        {
            case DEAD_LETTER -> LimitAction.DEAD_LETTER;
            case DROP -> LimitAction.DROP;
            case REJECT_PUBLISH -> LimitAction.REJECT_PUBLISH;
            case UNSET -> throw new IllegalArgumentException("UNSET is not an action");
        };
    }
}
