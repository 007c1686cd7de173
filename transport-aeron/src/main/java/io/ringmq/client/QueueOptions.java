package io.ringmq.client;

import io.ringmq.codecs.BackoffKind;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.LimitAction;
import io.ringmq.codecs.QueueLimitsEncoder;
import io.ringmq.codecs.QueueRetentionEncoder;
import io.ringmq.codecs.QueueSettingsEncoder;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Settings a client asks for when it declares a queue ({@link RingmqClient#declareQueue}). What it leaves unset comes
 * from the daemon's configured queue rules, then its defaults. Immutable: each setter returns a new instance.
 * <pre>{@code
 * client.declareQueue("orders", QueueOptions.unset()
 *     .visibilityTimeout(Duration.ofSeconds(10))
 *     .maxAttempts(3)
 *     .exponentialBackoff(Duration.ofMillis(100), Duration.ofSeconds(30))
 *     .leastOutstanding()
 *     .maxMessages(1_000_000)
 *     .onOverflow(LimitAction.REJECT_PUBLISH));
 * }</pre>
 * Limits bound what the queue holds, in flight included. What passes one is never lost silently: by default it goes to
 * the dead-letter queue of each group that had not settled it; {@code DROP} drops it, counted; with
 * {@code REJECT_PUBLISH} a size limit refuses new messages instead (publishes fail with {@code QUEUE_FULL}).
 */
public final class QueueOptions
{
    /** An explicit "no bound", lifting one a configured rule would set. */
    private static final long NO_LIMIT = Long.MAX_VALUE;
    private static final long MAX_AGE_MS = TimeUnit.DAYS.toMillis(365);
    private static final long MAX_MESSAGES = 1L << 30;
    private static final QueueOptions UNSET = new QueueOptions();

    private long visibilityTimeoutMs;
    private int maxAttempts;
    private BackoffKind backoff = BackoffKind.DEFAULT;
    private long initialDelayMs;
    private long maxDelayMs;
    private DispatchStrategy strategy = DispatchStrategy.DEFAULT;
    private long maxAgeMs;
    private long maxMessages;
    private long maxBytes;
    private LimitAction expiredAction = LimitAction.DEFAULT;
    private LimitAction overflowAction = LimitAction.DEFAULT;
    private long retainMs;
    private long retainBytes;
    private long delayMs;

    private QueueOptions()
    {
    }

    private QueueOptions copy()
    {
        final QueueOptions copy = new QueueOptions();
        copy.visibilityTimeoutMs = visibilityTimeoutMs;
        copy.maxAttempts = maxAttempts;
        copy.backoff = backoff;
        copy.initialDelayMs = initialDelayMs;
        copy.maxDelayMs = maxDelayMs;
        copy.strategy = strategy;
        copy.maxAgeMs = maxAgeMs;
        copy.maxMessages = maxMessages;
        copy.maxBytes = maxBytes;
        copy.expiredAction = expiredAction;
        copy.overflowAction = overflowAction;
        copy.retainMs = retainMs;
        copy.retainBytes = retainBytes;
        copy.delayMs = delayMs;
        return copy;
    }

    /** Nothing set: the queue gets what the daemon's rules and defaults say. */
    public static QueueOptions unset()
    {
        return UNSET;
    }

    /** How long a delivery may stay unacked before it goes to another attempt (1 ms to 12 h). */
    public QueueOptions visibilityTimeout(final Duration timeout)
    {
        final QueueOptions options = copy();
        options.visibilityTimeoutMs = positiveMillis(timeout, "visibility timeout");
        return options;
    }

    /** Deliveries of one message to one group before it goes to the dead-letter queue. */
    public QueueOptions maxAttempts(final int attempts)
    {
        if (attempts < 1)
        {
            throw new IllegalArgumentException("maxAttempts=" + attempts + " must be at least 1");
        }
        final QueueOptions options = copy();
        options.maxAttempts = attempts;
        return options;
    }

    /** A message that failed is ready again at once. */
    public QueueOptions noBackoff()
    {
        return backoff(BackoffKind.NONE, 0, 0);
    }

    /** A message that failed waits {@code delay} before its next delivery. */
    public QueueOptions fixedBackoff(final Duration delay)
    {
        return backoff(BackoffKind.FIXED, positiveMillis(delay, "backoff delay"), 0);
    }

    /** A message that failed waits {@code initial * 2^(attempt - 1)}, at most {@code max}. */
    public QueueOptions exponentialBackoff(final Duration initial, final Duration max)
    {
        final long initialMs = positiveMillis(initial, "initial backoff delay");
        final long maxMs = positiveMillis(max, "maximum backoff delay");
        if (maxMs < initialMs)
        {
            throw new IllegalArgumentException("maximum backoff delay " + max + " is below the initial " + initial);
        }
        return backoff(BackoffKind.EXPONENTIAL, initialMs, maxMs);
    }

    private QueueOptions backoff(final BackoffKind kind, final long initialMs, final long maxMs)
    {
        final QueueOptions options = copy();
        options.backoff = kind;
        options.initialDelayMs = initialMs;
        options.maxDelayMs = maxMs;
        return options;
    }

    /** Each group's consumers take turns (the default). */
    public QueueOptions roundRobin()
    {
        return strategy(DispatchStrategy.ROUND_ROBIN);
    }

    /** The consumer with the fewest deliveries in flight gets the next message: slow consumers get less. */
    public QueueOptions leastOutstanding()
    {
        return strategy(DispatchStrategy.LEAST_OUTSTANDING);
    }

    private QueueOptions strategy(final DispatchStrategy strategy)
    {
        final QueueOptions options = copy();
        options.strategy = strategy;
        return options;
    }

    /** A message leaves the queue once it has been in it this long (1 ms to 365 days), by {@link #onExpiry}. */
    public QueueOptions maxAge(final Duration age)
    {
        final long ms = positiveMillis(age, "maximum age");
        if (ms > MAX_AGE_MS)
        {
            throw new IllegalArgumentException("maximum age " + age + " is over 365 days");
        }
        final QueueOptions options = copy();
        options.maxAgeMs = ms;
        return options;
    }

    /** The most messages the queue holds, in flight included (1 to 2^30); past it, {@link #onOverflow} decides. */
    public QueueOptions maxMessages(final long messages)
    {
        if (messages < 1 || messages > MAX_MESSAGES)
        {
            throw new IllegalArgumentException("maxMessages=" + messages + " must be 1 to " + MAX_MESSAGES);
        }
        final QueueOptions options = copy();
        options.maxMessages = messages;
        return options;
    }

    /** The most payload bytes the queue holds, in flight included; past it, {@link #onOverflow} decides. */
    public QueueOptions maxBytes(final long bytes)
    {
        if (bytes < 1)
        {
            throw new IllegalArgumentException("maxBytes=" + bytes + " must be at least 1");
        }
        final QueueOptions options = copy();
        options.maxBytes = bytes;
        return options;
    }

    /** No age bound, whatever the daemon's rules would set. */
    public QueueOptions noMaxAge()
    {
        final QueueOptions options = copy();
        options.maxAgeMs = NO_LIMIT;
        return options;
    }

    /** No bound on the number of messages, whatever the daemon's rules would set. */
    public QueueOptions noMaxMessages()
    {
        final QueueOptions options = copy();
        options.maxMessages = NO_LIMIT;
        return options;
    }

    /** No bound on the bytes held, whatever the daemon's rules would set. */
    public QueueOptions noMaxBytes()
    {
        final QueueOptions options = copy();
        options.maxBytes = NO_LIMIT;
        return options;
    }

    /** No age or size bound, whatever the daemon's rules would set. */
    public QueueOptions unbounded()
    {
        final QueueOptions options = copy();
        options.maxAgeMs = NO_LIMIT;
        options.maxMessages = NO_LIMIT;
        options.maxBytes = NO_LIMIT;
        return options;
    }

    /** What happens to a message at the maximum age: DEAD_LETTER (the default) or DROP. */
    public QueueOptions onExpiry(final LimitAction action)
    {
        if (LimitAction.DEAD_LETTER != action && LimitAction.DROP != action)
        {
            throw new IllegalArgumentException("on expiry " + action + " must be DEAD_LETTER or DROP");
        }
        final QueueOptions options = copy();
        options.expiredAction = action;
        return options;
    }

    /**
     * What happens when a message would take the queue past a size bound: DEAD_LETTER (the default) or DROP push the
     * oldest out; REJECT_PUBLISH refuses the new one.
     */
    public QueueOptions onOverflow(final LimitAction action)
    {
        if (LimitAction.DEAD_LETTER != action && LimitAction.DROP != action && LimitAction.REJECT_PUBLISH != action)
        {
            throw new IllegalArgumentException("on overflow " + action +
                " must be DEAD_LETTER, DROP or REJECT_PUBLISH");
        }
        final QueueOptions options = copy();
        options.overflowAction = action;
        return options;
    }

    /**
     * Keep messages every group has acked for this long after the last ack (like a Kafka topic's retention), so a
     * group can seek back to them; with {@link #retainBytes} too, whichever bound comes first lets them go.
     */
    public QueueOptions retainFor(final Duration retention)
    {
        final QueueOptions options = copy();
        options.retainMs = positiveMillis(retention, "retention");
        return options;
    }

    /** Keep the newest messages every group has acked, up to this many payload bytes (at least 1). */
    public QueueOptions retainBytes(final long bytes)
    {
        if (bytes < 1)
        {
            throw new IllegalArgumentException("retainBytes=" + bytes + " must be at least 1");
        }
        final QueueOptions options = copy();
        options.retainBytes = bytes;
        return options;
    }

    void writeTo(final QueueRetentionEncoder retention)
    {
        retention.retainMs(retainMs).retainBytes(retainBytes);
    }

    /**
     * Version 9, delivery control: the queue's default delay (1 ms to a year). A message published with neither a
     * delay nor a deliver-at of its own is held this long before any group sees it; one with its own timing keeps it
     * (its own delay or deliver-at overrides the queue's, a deliver-at in the past included).
     */
    public QueueOptions delay(final Duration delay)
    {
        final long ms = positiveMillis(delay, "delay");
        if (ms > MAX_AGE_MS)
        {
            throw new IllegalArgumentException("delay " + delay + " must be at most a year");
        }
        final QueueOptions options = copy();
        options.delayMs = ms;
        return options;
    }

    long delayMs()
    {
        return delayMs;
    }

    void writeTo(final QueueSettingsEncoder settings)
    {
        settings.visibilityTimeoutMs(visibilityTimeoutMs)
            .maxAttempts(maxAttempts)
            .backoff(backoff)
            .strategy(strategy)
            .initialDelayMs(initialDelayMs)
            .maxDelayMs(maxDelayMs);
    }

    void writeTo(final QueueLimitsEncoder limits)
    {
        limits.maxAgeMs(maxAgeMs)
            .maxMessages(maxMessages)
            .maxBytes(maxBytes)
            .expiredAction(expiredAction)
            .overflowAction(overflowAction);
    }

    private static long positiveMillis(final Duration duration, final String what)
    {
        final long ms = duration.toMillis();
        if (ms < 1)
        {
            throw new IllegalArgumentException(what + " " + duration + " must be at least 1 ms");
        }
        return ms;
    }

    public String toString()
    {
        return "QueueOptions{visibilityTimeoutMs=" + visibilityTimeoutMs + ", maxAttempts=" + maxAttempts +
            ", backoff=" + backoff + ", initialDelayMs=" + initialDelayMs + ", maxDelayMs=" + maxDelayMs +
            ", strategy=" + strategy + ", maxAgeMs=" + maxAgeMs + ", maxMessages=" + maxMessages +
            ", maxBytes=" + maxBytes + ", onExpiry=" + expiredAction + ", onOverflow=" + overflowAction +
            ", retainMs=" + retainMs + ", retainBytes=" + retainBytes + ", delayMs=" + delayMs + "}";
    }
}
