package io.ringmq.daemon.cli;

import java.util.Locale;

/**
 * A wire enum's value as the command line spells it ({@code ROUND_ROBIN} → {@code round-robin}), so what a listing
 * prints can be given back to {@code declare} as it is.
 */
final class CliSpelling
{
    private CliSpelling()
    {
    }

    static String of(final Enum<?> value)
    {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
