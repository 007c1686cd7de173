package io.ringmq.http;

import io.ringmq.client.QueueOptions;
import io.ringmq.config.ConfigException;
import io.ringmq.config.Durations;
import io.ringmq.config.QueueRule;
import io.ringmq.config.QueueSettings;

import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads a queue declaration's body into {@link QueueOptions}, with the spellings and ranges of
 * {@code ringmq declare queue} and the config file's {@code ringmq.queues.*} keys: the config's own reader
 * ({@link QueueSettings}) checks them, so the three never disagree. Each value is a string as the command line takes
 * it ({@code "30s"}, {@code "64m"}, {@code "none"}, {@code "exponential:100ms:30s"}), or an integer: a count, a byte
 * size, or milliseconds for a duration. A field not given is left to the daemon's rules and defaults.
 */
final class QueueSettingsReader
{
    private static final Set<String> FIELDS = Set.of("visibilityTimeout", "maxAttempts", "backoff", "strategy",
        "maxAge", "maxMessages", "maxBytes", "expired", "overflow", "retain", "retainBytes", "delay");

    private QueueSettingsReader()
    {
    }

    /** @throws RefusedRequest BAD_REQUEST naming every field the config's reader refuses, or the first other one. */
    static QueueOptions read(final JsonFields fields)
    {
        fields.allowOnly(FIELDS);
        final QueueRule rule;
        try
        {
            rule = new QueueSettings()
                .set("visibility.timeout", "visibilityTimeout", fields.textOrInteger("visibilityTimeout"))
                .set("max.attempts", "maxAttempts", fields.textOrInteger("maxAttempts"))
                .set("backoff", "backoff", fields.text("backoff"))
                .set("strategy", "strategy", fields.text("strategy"))
                .set("max.age", "maxAge", fields.textOrInteger("maxAge"))
                .set("max.messages", "maxMessages", fields.textOrInteger("maxMessages"))
                .set("max.bytes", "maxBytes", fields.textOrInteger("maxBytes"))
                .set("expired", "expired", fields.text("expired"))
                .set("overflow", "overflow", fields.text("overflow"))
                .parse();
        }
        catch (final ConfigException ex)
        {
            throw RefusedRequest.badRequest(String.join("; ", ex.problems()));
        }
        QueueOptions options = QueueOptionsFromRule.options(rule);
        final Long retainMs = millis(fields, "retain");
        if (null != retainMs)
        {
            options = apply(fields, "retain", options, (unset) -> unset.retainFor(Duration.ofMillis(retainMs)));
        }
        final Long retainBytes = bytes(fields, "retainBytes");
        if (null != retainBytes)
        {
            options = apply(fields, "retainBytes", options, (unset) -> unset.retainBytes(retainBytes));
        }
        final Long delayMs = millis(fields, "delay");
        if (null != delayMs)
        {
            options = apply(fields, "delay", options, (unset) -> unset.delay(Duration.ofMillis(delayMs)));
        }
        return options;
    }

    /** A duration as the config writes one ({@code 500ms}, {@code 10s}; a bare number is ms), in whole ms. */
    private static Long millis(final JsonFields fields, final String name)
    {
        final String text = fields.textOrInteger(name);
        if (null == text)
        {
            return null;
        }
        try
        {
            final long nanos = Durations.parseNanos(text.strip());
            if (nanos % 1_000_000L == 0)
            {
                return nanos / 1_000_000L;
            }
        }
        catch (final IllegalArgumentException ex)
        {
            // reported below
        }
        throw RefusedRequest.badRequest(fields.nameOf(name) + "=" + text + " is invalid: must be a duration in " +
            "whole milliseconds, e.g. 500ms or 10s (a bare number is milliseconds)");
    }

    /** A byte count, as {@code ringmq declare queue --retain-bytes} takes it: a plain integer. */
    private static Long bytes(final JsonFields fields, final String name)
    {
        final String text = fields.textOrInteger(name);
        if (null == text)
        {
            return null;
        }
        try
        {
            return Long.parseLong(text.strip());
        }
        catch (final NumberFormatException ex)
        {
            throw RefusedRequest.badRequest(fields.nameOf(name) + "=" + text + " is invalid: must be a number of " +
                "bytes");
        }
    }

    private static QueueOptions apply(
        final JsonFields fields, final String name, final QueueOptions options, final UnaryOperator<QueueOptions> set)
    {
        try
        {
            return set.apply(options);
        }
        catch (final IllegalArgumentException ex)
        {
            throw RefusedRequest.badRequest(fields.nameOf(name) + ": " + ex.getMessage());
        }
    }
}
