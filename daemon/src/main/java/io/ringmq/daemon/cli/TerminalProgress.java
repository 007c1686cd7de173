package io.ringmq.daemon.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The running count a long {@code publish} or {@code consume} shows on stderr while it works, rewritten in place a few
 * times a second, and only when stderr is a terminal and stdout is not writing lines onto that same screen (it is
 * redirected, or the command prints nothing there): piped or redirected, stderr gets just the summary line, so scripts
 * and logs see no carriage returns, and message lines on a terminal are never broken by it.
 */
final class TerminalProgress
{
    static final long INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Carriage return, then erase to the end of the line (ANSI): the next text starts on a clean line. */
    static final int STDOUT = 1;
    static final int STDERR = 2;
    private static final String CLEAR_LINE = "\r\u001b[K";

    private final PrintStream err;
    private final String what;
    private final LongSupplier nanoClock;
    private final boolean enabled;
    private final long startNs;
    private long nextNs;
    private boolean shown;

    TerminalProgress(final PrintStream err, final String what, final LongSupplier nanoClock, final boolean enabled)
    {
        this.err = err;
        this.what = what;
        this.nanoClock = nanoClock;
        this.enabled = enabled;
        this.startNs = nanoClock.getAsLong();
        this.nextNs = startNs + INTERVAL_NS;
    }

    /**
     * Progress for {@code what} ("published", "consumed") on this process's stderr, if that is a terminal and stdout
     * prints nothing onto a terminal.
     *
     * @param stdoutQuiet the command prints nothing on stdout (e.g. {@code publish --quiet}).
     */
    static TerminalProgress onStderr(final String what, final boolean stdoutQuiet)
    {
        return new TerminalProgress(System.err, what, System::nanoTime,
            isTerminal(STDERR) && (stdoutQuiet || !isTerminal(STDOUT)));
    }

    /** The count so far; cheap when nothing is due (one clock read). */
    void update(final long count)
    {
        if (!enabled)
        {
            return;
        }
        final long nowNs = nanoClock.getAsLong();
        if (nowNs - nextNs < 0)
        {
            return;
        }
        nextNs = nowNs + INTERVAL_NS;
        final double seconds = Math.max(nowNs - startNs, 1) / 1e9;
        err.print(String.format(Locale.ROOT, "%sringmq: %s %,d messages (%,.0f msg/s)", CLEAR_LINE, what, count,
            count / seconds));
        err.flush();
        shown = true;
    }

    /** Removes the progress line, before the summary or a message takes its place. */
    void clear()
    {
        if (shown)
        {
            err.print(CLEAR_LINE);
            err.flush();
            shown = false;
        }
    }

    /** Linux: the file descriptor is a terminal device. Elsewhere, or when that cannot be told, false. */
    static boolean isTerminal(final int fd)
    {
        try
        {
            final String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        }
        catch (final IOException | UnsupportedOperationException | SecurityException ex)
        {
            return false;
        }
    }
}
