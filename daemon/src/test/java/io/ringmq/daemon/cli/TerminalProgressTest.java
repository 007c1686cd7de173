package io.ringmq.daemon.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TerminalProgressTest
{
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long nowNs = 1_000;

    @Test
    void rewritesOneLineAtMostEveryIntervalAndClearsIt()
    {
        final TerminalProgress progress = new TerminalProgress(err, "published", () -> nowNs, true);
        progress.update(10);
        assertEquals("", text(), "nothing before the first interval has passed");

        nowNs += TerminalProgress.INTERVAL_NS;
        progress.update(1_000);
        assertEquals("\r\u001b[Kringmq: published 1,000 messages (4,000 msg/s)", text());

        nowNs += TerminalProgress.INTERVAL_NS / 2;
        progress.update(1_500);
        assertFalse(text().contains("1,500"), "not again within the interval");

        nowNs += TerminalProgress.INTERVAL_NS / 2;
        progress.update(2_000);
        assertTrue(text().endsWith("ringmq: published 2,000 messages (4,000 msg/s)"), text());
        assertFalse(text().contains("\n"), "the line is rewritten in place, never a new line");

        progress.clear();
        assertTrue(text().endsWith("\r\u001b[K"), "cleared for the summary");
    }

    @Test
    void showsNothingWhenStderrIsNotATerminal()
    {
        final TerminalProgress progress = new TerminalProgress(err, "consumed", () -> nowNs, false);
        nowNs += 10 * TerminalProgress.INTERVAL_NS;
        progress.update(5);
        progress.clear();
        assertEquals("", text());
    }

    @Test
    void aTestRunsStderrIntoAPipeOrFileNotATerminal()
    {
        assertFalse(TerminalProgress.isTerminal(TerminalProgress.STDERR), "surefire's forked JVM writes stderr to a pipe");
    }

    private String text()
    {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
