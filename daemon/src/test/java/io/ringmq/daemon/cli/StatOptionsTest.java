package io.ringmq.daemon.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code stat}'s --interval: a refresh rate that is not a busy loop, and only with --watch. Refused before any read. */
class StatOptionsTest
{
    @Test
    void anIntervalBelowTheMinimumIsAUsageError()
    {
        for (final String interval : List.of("0", "0ms", "1", "99ms"))
        {
            final StringWriter err = new StringWriter();
            assertEquals(RingmqCli.EXIT_USAGE, run(err, "stat", "--watch", "--interval", interval), err::toString);
            assertEquals(List.of("ringmq: --interval must be at least 100ms, was " + (interval.equals("99ms") ? 99 :
                interval.equals("1") ? 1 : 0) + "ms", "see `ringmq stat --help`"), err.toString().lines().toList());
        }
    }

    @Test
    void anIntervalWithoutWatchIsAUsageError()
    {
        final StringWriter err = new StringWriter();
        assertEquals(RingmqCli.EXIT_USAGE, run(err, "stat", "--interval", "2s"), err::toString);
        assertEquals(List.of("ringmq: --interval is the time between refreshes of --watch: not without it",
            "see `ringmq stat --help`"), err.toString().lines().toList());
    }

    private static int run(final StringWriter err, final String... args)
    {
        final CommandLine commandLine = RingmqCli.commandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
