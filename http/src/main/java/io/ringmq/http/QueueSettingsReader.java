package io.ringmq.http;

import io.ringmq.client.QueueOptions;
import io.ringmq.config.ConfigException;
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
 * size, or milliseconds for a duration. {@code retain}, {@code retainBytes} and {@code delay}, which the file has no
 * keys for, are spelled as its {@code max.age} and {@code max.bytes} ({@link QueueSettings#millisOrNone},
 * {@link QueueSettings#sizeOrNone}); their {@code none} is the daemon's none (not kept, no default delay). A field
 * not given is left to the daemon's rules and defaults.
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
        final long retainMs = given(fields, "retain", QueueSettings::millisOrNone);
        if (0 != retainMs)
        {
            options = apply(fields, "retain", options, (unset) -> unset.retainFor(Duration.ofMillis(retainMs)));
        }
        final long retainBytes = given(fields, "retainBytes", QueueSettings::sizeOrNone);
        if (0 != retainBytes)
        {
            options = apply(fields, "retainBytes", options, (unset) -> unset.retainBytes(retainBytes));
        }
        final long delayMs = given(fields, "delay", QueueSettings::millisOrNone);
        if (0 != delayMs)
        {
            options = apply(fields, "delay", options, (unset) -> unset.delay(Duration.ofMillis(delayMs)));
        }
        return options;
    }

    /** The parsed value of a setting the config file has no key for; 0 if not given or none (the daemon's none). */
    private static long given(final JsonFields fields, final String name, final ConfigSpelling spelling)
    {
        final String text = fields.textOrInteger(name);
        if (null == text)
        {
            return 0;
        }
        try
        {
            final long value = spelling.parse(fields.nameOf(name), text);
            return QueueRule.NO_LIMIT == value ? 0 : value;
        }
        catch (final ConfigException ex)
        {
            throw RefusedRequest.badRequest(String.join("; ", ex.problems()));
        }
    }

    /** One of {@link QueueSettings}' readers of a value the file spells: a size or a duration, each or none. */
    @FunctionalInterface
    private interface ConfigSpelling
    {
        long parse(String label, String text);
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
