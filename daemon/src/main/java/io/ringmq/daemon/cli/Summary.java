package io.ringmq.daemon.cli;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The one line a bulk command ends with on stderr, so stdout stays the messages: how many, how long, how fast. */
final class Summary
{
    private Summary()
    {
    }

    static void print(final String what, final long messages, final long elapsedNs)
    {
        System.err.println(line(what, messages, elapsedNs));
    }

    static String line(final String what, final long messages, final long elapsedNs)
    {
        final double seconds = Math.max(elapsedNs, 1) / 1e9;
        return String.format(Locale.ROOT, "ringmq: %s %,d %s in %,d ms (%,.0f msg/s)", what, messages,
            1 == messages ? "message" : "messages", TimeUnit.NANOSECONDS.toMillis(elapsedNs), messages / seconds);
    }
}
