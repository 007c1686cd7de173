package io.ringmq.daemon.cli;

import io.ringmq.client.GroupOptions;
import io.ringmq.core.protocol.HeaderFilter;

import java.util.List;

/** The {@code --filter EXPR} option of {@code declare group} and {@code consume}: repeated, every one must match. */
final class FilterOption
{
    private FilterOption()
    {
    }

    /**
     * @return the options with the filters joined by {@code &&}, or as they were for none.
     * @throws IllegalArgumentException naming what is wrong with an expression (the command exits 2).
     */
    static GroupOptions applyTo(final GroupOptions options, final List<String> filters)
    {
        final String expression = HeaderFilter.allOf(filters);
        if (null == expression)
        {
            return options;
        }
        try
        {
            return options.filter(expression);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--filter: " + ex.getMessage(), ex);
        }
    }
}
