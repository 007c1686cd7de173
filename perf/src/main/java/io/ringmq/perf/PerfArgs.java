package io.ringmq.perf;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command-line options of the perf mains: {@code --name value} pairs and bare flags, each checked against the
 * options the main knows, with errors that name the option.
 */
public final class PerfArgs
{
    private final Map<String, String> values = new HashMap<>();
    private final String usage;

    private PerfArgs(final String usage)
    {
        this.usage = usage;
    }

    /**
     * @param valued options that take a value ({@code --rate}).
     * @param flags  options without one ({@code --quick}).
     * @throws IllegalArgumentException for an unknown option or a missing value; the message ends with the usage.
     */
    public static PerfArgs parse(
        final String[] args, final List<String> valued, final List<String> flags, final String usage)
    {
        final PerfArgs parsed = new PerfArgs(usage);
        for (int i = 0; i < args.length; i++)
        {
            final String option = args[i];
            if (flags.contains(option))
            {
                parsed.values.put(option, "true");
            }
            else if (valued.contains(option))
            {
                if (i + 1 >= args.length)
                {
                    throw new IllegalArgumentException("option " + option + " needs a value\n" + usage);
                }
                parsed.values.put(option, args[++i]);
            }
            else
            {
                throw new IllegalArgumentException("unknown option " + option + "\n" + usage);
            }
        }
        return parsed;
    }

    public boolean has(final String option)
    {
        return values.containsKey(option);
    }

    public String string(final String option, final String defaultValue)
    {
        return values.getOrDefault(option, defaultValue);
    }

    public long number(final String option, final long defaultValue)
    {
        final String value = values.get(option);
        if (null == value)
        {
            return defaultValue;
        }
        try
        {
            return Long.parseLong(value.replace("_", "").replace(",", "").toLowerCase(Locale.ROOT)
                .replace("k", "000").replace("m", "000000"));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("option " + option + " needs a number, not '" + value + "'\n" + usage);
        }
    }

    public int integer(final String option, final int defaultValue)
    {
        return Math.toIntExact(number(option, defaultValue));
    }
}
