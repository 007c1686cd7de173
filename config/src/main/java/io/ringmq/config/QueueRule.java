package io.ringmq.config;

import java.util.Comparator;

/**
 * Settings for the queues whose names match a pattern, from {@code ringmq.queues.<pattern>.<setting>} keys.
 * A pattern is a queue name, a name prefix ending in {@code *} ({@code orders.*}), or a name suffix after a
 * {@code *} ({@code *.dlq}); {@code *} alone matches every queue. Every rule that matches a queue gives it the
 * settings it sets, the most specific first (see {@link #MOST_SPECIFIC_FIRST}); what none of them sets
 * ({@code 0} or {@code UNSET}) comes from the daemon's defaults. A client's declaration wins over all of them.
 *
 * @param visibilityTimeoutNs 0 = not set
 * @param maxAttempts         0 = not set
 * @param initialDelayNs      backoff FIXED and EXPONENTIAL: the first wait
 * @param maxDelayNs          backoff EXPONENTIAL: the cap
 * @param limits              bounds on what the queues hold
 */
public record QueueRule(
        String pattern,
        long visibilityTimeoutNs,
        int maxAttempts,
        Backoff backoff,
        long initialDelayNs,
        long maxDelayNs,
        Strategy strategy,
        Limits limits) {

    /** A rule without limits. */
    public QueueRule(String pattern, long visibilityTimeoutNs, int maxAttempts, Backoff backoff, long initialDelayNs,
                     long maxDelayNs, Strategy strategy) {
        this(pattern, visibilityTimeoutNs, maxAttempts, backoff, initialDelayNs, maxDelayNs, strategy, Limits.UNSET);
    }

    /** {@code none} in the config: explicitly no bound (a narrower rule lifting a broader one's). */
    public static final long NO_LIMIT = Long.MAX_VALUE;

    /**
     * Bounds on what a queue holds; 0 and UNSET = not set here, {@link #NO_LIMIT} = none.
     *
     * @param maxAgeNs    whole milliseconds, counted from when a message entered the queue
     * @param maxMessages messages held, in flight included
     * @param maxBytes    payload bytes held, in flight included
     * @param expired     what happens to a message at the maximum age
     * @param overflow    what happens when a message would take the queue past a size bound
     */
    public record Limits(long maxAgeNs, long maxMessages, long maxBytes, LimitAction expired, LimitAction overflow) {
        public static final Limits UNSET = new Limits(0, 0, 0, LimitAction.UNSET, LimitAction.UNSET);
    }

    /** What a limit does: dead-letter or drop the message that passes it, or refuse the newcomer (size only). */
    public enum LimitAction { UNSET, DEAD_LETTER, DROP, REJECT_PUBLISH }

    /** How long a redelivery waits after a failed attempt. */
    public enum Backoff { UNSET, NONE, FIXED, EXPONENTIAL }

    /** Which consumer of a group gets the next message. */
    public enum Strategy { UNSET, ROUND_ROBIN, LEAST_OUTSTANDING }

    /**
     * Exact names first, then prefixes longest first, then suffixes longest first, then {@code *}: where two matching
     * rules set the same field, the earlier one's value applies.
     */
    public static final Comparator<QueueRule> MOST_SPECIFIC_FIRST = Comparator
            .comparing((QueueRule rule) -> rule.kind())
            .thenComparing(rule -> -rule.pattern().length())
            .thenComparing(QueueRule::pattern);

    /** What a pattern matches, in the order of {@link #MOST_SPECIFIC_FIRST}. */
    public enum PatternKind { NAME, PREFIX, SUFFIX, EVERY_QUEUE }

    public PatternKind kind() {
        if (pattern.equals("*")) {
            return PatternKind.EVERY_QUEUE;
        }
        if (pattern.endsWith("*")) {
            return PatternKind.PREFIX;
        }
        return pattern.startsWith("*") ? PatternKind.SUFFIX : PatternKind.NAME;
    }

    /** The rule as it would be written in a config file, one line per setting it sets. */
    String describe() {
        StringBuilder out = new StringBuilder(pattern).append(':');
        if (visibilityTimeoutNs != 0) {
            out.append(" visibility.timeout=").append(Durations.format(visibilityTimeoutNs));
        }
        if (maxAttempts != 0) {
            out.append(" max.attempts=").append(maxAttempts);
        }
        switch (backoff) {
            case NONE -> out.append(" backoff=none");
            case FIXED -> out.append(" backoff=fixed:").append(Durations.format(initialDelayNs));
            case EXPONENTIAL -> out.append(" backoff=exponential:").append(Durations.format(initialDelayNs))
                    .append(':').append(Durations.format(maxDelayNs));
            case UNSET -> { }
        }
        if (strategy != Strategy.UNSET) {
            out.append(" strategy=").append(strategy.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
        if (limits.maxAgeNs() != 0) {
            out.append(" max.age=").append(limits.maxAgeNs() == NO_LIMIT ? "none" : Durations.format(limits.maxAgeNs()));
        }
        if (limits.maxMessages() != 0) {
            out.append(" max.messages=").append(limits.maxMessages() == NO_LIMIT ? "none" : limits.maxMessages());
        }
        if (limits.maxBytes() != 0) {
            out.append(" max.bytes=").append(limits.maxBytes() == NO_LIMIT ? "none" : ByteSize.format(limits.maxBytes()));
        }
        if (limits.expired() != LimitAction.UNSET) {
            out.append(" expired=").append(limits.expired().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
        if (limits.overflow() != LimitAction.UNSET) {
            out.append(" overflow=").append(limits.overflow().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
        return out.toString();
    }
}
