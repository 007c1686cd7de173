package io.ringmq.daemon.cli;

import io.ringmq.config.ByteSize;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A size option read as the config file reads sizes ({@code 512}, {@code 64k}, {@code 8m}, {@code 1g}: binary
 * units; a bare number is bytes, so the older bare spellings mean what they did).
 */
final class Bytes implements ITypeConverter<Long>
{
    public Long convert(final String text)
    {
        try
        {
            return ByteSize.parse(text.strip());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new TypeConversionException("'" + text + "' is not a size (e.g. 512k, 64m, 1g; a bare number is " +
                "bytes)");
        }
    }
}
