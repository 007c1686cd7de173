package io.ringmq.client;

import io.ringmq.codecs.BackoffKind;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.QueueSettingsEncoder;

import java.time.Duration;

/**
 * Settings a client asks for when it declares a queue ({@link RingmqClient#declareQueue}). What it leaves unset comes
 * from the daemon's configured queue rules, then its defaults. Immutable: each setter returns a new instance.
 * <pre>{@code
 * client.declareQueue("orders", QueueOptions.unset()
 *     .visibilityTimeout(Duration.ofSeconds(10))
 *     .maxAttempts(3)
 *     .exponentialBackoff(Duration.ofMillis(100), Duration.ofSeconds(30))
 *     .leastOutstanding());
 * }</pre>
 */
public final class QueueOptions
{
    private static final QueueOptions UNSET =
        new QueueOptions(0, 0, BackoffKind.DEFAULT, 0, 0, DispatchStrategy.DEFAULT);

    private final long visibilityTimeoutMs;
    private final int maxAttempts;
    private final BackoffKind backoff;
    private final long initialDelayMs;
    private final long maxDelayMs;
    private final DispatchStrategy strategy;

    private QueueOptions(
        final long visibilityTimeoutMs,
        final int maxAttempts,
        final BackoffKind backoff,
        final long initialDelayMs,
        final long maxDelayMs,
        final DispatchStrategy strategy)
    {
        this.visibilityTimeoutMs = visibilityTimeoutMs;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.initialDelayMs = initialDelayMs;
        this.maxDelayMs = maxDelayMs;
        this.strategy = strategy;
    }

    /** Nothing set: the queue gets what the daemon's rules and defaults say. */
    public static QueueOptions unset()
    {
        return UNSET;
    }

    /** How long a delivery may stay unacked before it goes to another attempt (1 ms to 12 h). */
    public QueueOptions visibilityTimeout(final Duration timeout)
    {
        return new QueueOptions(positiveMillis(timeout, "visibility timeout"), maxAttempts, backoff, initialDelayMs,
            maxDelayMs, strategy);
    }

    /** Deliveries of one message to one group before it goes to the dead-letter queue. */
    public QueueOptions maxAttempts(final int attempts)
    {
        if (attempts < 1)
        {
            throw new IllegalArgumentException("maxAttempts=" + attempts + " must be at least 1");
        }
        return new QueueOptions(visibilityTimeoutMs, attempts, backoff, initialDelayMs, maxDelayMs, strategy);
    }

    /** A message that failed is ready again at once. */
    public QueueOptions noBackoff()
    {
        return new QueueOptions(visibilityTimeoutMs, maxAttempts, BackoffKind.NONE, 0, 0, strategy);
    }

    /** A message that failed waits {@code delay} before its next delivery. */
    public QueueOptions fixedBackoff(final Duration delay)
    {
        return new QueueOptions(visibilityTimeoutMs, maxAttempts, BackoffKind.FIXED,
            positiveMillis(delay, "backoff delay"), 0, strategy);
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
        return new QueueOptions(visibilityTimeoutMs, maxAttempts, BackoffKind.EXPONENTIAL, initialMs, maxMs,
            strategy);
    }

    /** Each group's consumers take turns (the default). */
    public QueueOptions roundRobin()
    {
        return new QueueOptions(visibilityTimeoutMs, maxAttempts, backoff, initialDelayMs, maxDelayMs,
            DispatchStrategy.ROUND_ROBIN);
    }

    /** The consumer with the fewest deliveries in flight gets the next message: slow consumers get less. */
    public QueueOptions leastOutstanding()
    {
        return new QueueOptions(visibilityTimeoutMs, maxAttempts, backoff, initialDelayMs, maxDelayMs,
            DispatchStrategy.LEAST_OUTSTANDING);
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
            ", strategy=" + strategy + "}";
    }
}
