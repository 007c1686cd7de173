package io.ringmq.core.state;

import java.util.Locale;

/**
 * Settings in error messages spelled the way the command line and the config file take them ({@code round-robin},
 * {@code dead-letter}, {@code 30000ms}), so an operator can copy a value from the message into a command; the
 * CLI's listings spell enum values with {@link #of} too.
 */
public final class Spelling
{
    private Spelling()
    {
    }

    public static String of(final Enum<?> value)
    {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A duration in whole milliseconds; 0 is "not set here" and reads as the default. */
    static String millis(final long ms)
    {
        return 0 == ms ? "default" : ms + "ms";
    }

    /** A bound: {@code none}, the default (0) or the value with its unit. */
    static String bound(final long value, final long none, final String unit)
    {
        return none == value ? "none" : 0 == value ? "default" : value + unit;
    }
}
