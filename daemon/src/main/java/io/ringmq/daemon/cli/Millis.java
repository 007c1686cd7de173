package io.ringmq.daemon.cli;

import io.ringmq.config.Durations;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A duration option read as the config file reads durations ({@code 500ms}, {@code 10s}, {@code 2m}; a bare number is
 * milliseconds, so the older {@code -ms} spellings mean what they did), in whole milliseconds.
 */
final class Millis implements ITypeConverter<Long>
{
    public Long convert(final String text)
    {
        final long nanos;
        try
        {
            nanos = Durations.parseNanos(text.strip());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new TypeConversionException("'" + text + "' is not a duration (e.g. 500ms, 10s, 2m; a bare number " +
                "is milliseconds)");
        }
        if (nanos % 1_000_000L != 0)
        {
            throw new TypeConversionException("'" + text + "' is not a whole number of milliseconds");
        }
        return nanos / 1_000_000L;
    }
}
