package io.ringmq.daemon.pipeline;

import io.ringmq.codecs.BackoffKind;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.LimitAction;
import io.ringmq.codecs.NodeStartedEncoder;
import io.ringmq.codecs.QueueLimitsEncoder;
import io.ringmq.codecs.QueueSettingsEncoder;
import io.ringmq.config.QueueRule;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.state.ClientLimits;
import io.ringmq.core.state.DedupLimits;
import io.ringmq.core.state.RunExpiry;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What this run tells the state machine in its NodeStarted command: the queue defaults (visibility timeout, attempts,
 * the bytes a queue may hold), the bounds on what clients open, how much is remembered to recognise a retried
 * publish and when idle groups and queues expire; followed by one QueueRule command per configured rule (most specific first). Journaled so a replay applies
 * what was live.
 *
 * @param maxQueueBytes default max.bytes of queues; 0 = no bound.
 */
public record RunDefaults(
    long visibilityTimeoutMs,
    int maxAttempts,
    long maxQueueBytes,
    ClientLimits clientLimits,
    DedupLimits dedupLimits,
    RunExpiry expiry,
    List<QueueRule> rules)
{
    public RunDefaults
    {
        rules = List.copyOf(rules);
    }

    /** Queue defaults with no bounds: what a run before the bounds had (tests). */
    public RunDefaults(final long visibilityTimeoutMs, final int maxAttempts, final List<QueueRule> rules)
    {
        this(visibilityTimeoutMs, maxAttempts, 0, ClientLimits.NONE, DedupLimits.NONE, RunExpiry.NONE, rules);
    }

    /** This run's, from the configuration. */
    public static RunDefaults of(final RingmqConfig config)
    {
        return new RunDefaults(TimeUnit.NANOSECONDS.toMillis(config.queueVisibilityTimeoutNs()),
            config.queueMaxAttempts(), config.queueMaxBytes(),
            new ClientLimits(config.maxSessions(), config.maxQueues(), config.maxConsumersPerSession()),
            new DedupLimits(TimeUnit.NANOSECONDS.toMillis(config.dedupWindowNs()), config.dedupMaxProducers(),
                TimeUnit.NANOSECONDS.toMillis(config.dedupIdWindowNs()), config.dedupMaxIds()),
            new RunExpiry(TimeUnit.NANOSECONDS.toMillis(config.queueGroupExpiryNs()),
                TimeUnit.NANOSECONDS.toMillis(config.queueExpiryNs())),
            config.queueRules());
    }

    /** Writes the NodeStarted of this run, started at {@code nowNs}. */
    int writeNodeStarted(final NodeStartedEncoder nodeStarted, final long nowNs)
    {
        return expiry.writeTo(dedupLimits.writeTo(clientLimits.writeTo(nodeStarted
            .startTimestampNs(nowNs)
            .defaultVisibilityTimeoutMs(visibilityTimeoutMs)
            .defaultMaxAttempts(maxAttempts))
            .defaultMaxQueueBytes(maxQueueBytes)))
            .encodedLength();
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
