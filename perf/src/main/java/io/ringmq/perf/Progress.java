package io.ringmq.perf;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress line while a phase runs: {@code [perf] ringmq latency fsync off: 4.0 s, 40,000 messages}, printed
 * every interval by a daemon thread of its own, so a stuck phase is visible. The harness's consumer counts messages
 * with {@link #add} (one counting thread at a time) or {@link #addConcurrently} (several).
 * <p>
 * Thread-safe.
 */
public final class Progress implements AutoCloseable
{
    private static final Progress SILENT = new Progress(null, 0);

    private final PrintStream out;
    private final long intervalNs;
    private final AtomicLong messages = new AtomicLong();
    private final Thread printer;
    private volatile String phase;
    private volatile long phaseStartNs;
    private volatile boolean closed;

    private Progress(final PrintStream out, final long intervalNs)
    {
        this.out = out;
        this.intervalNs = intervalNs;
        if (null != out)
        {
            printer = new Thread(this::printLoop, "perf-progress");
            printer.setDaemon(true);
            printer.start();
        }
        else
        {
            printer = null;
        }
    }

    /** Prints to {@code out} every {@code intervalMs}. */
    public static Progress printingTo(final PrintStream out, final long intervalMs)
    {
        return new Progress(out, TimeUnit.MILLISECONDS.toNanos(intervalMs));
    }

    /** Counts but prints nothing. */
    public static Progress silent()
    {
        return SILENT;
    }

    public void beginPhase(final String name)
    {
        messages.set(0);
        phaseStartNs = System.nanoTime();
        phase = name;
        if (null != out)
        {
            out.println("[perf] " + name + ": started");
        }
    }

    /** A line about the phase, e.g. how its warm-up ended; printed at once (nothing when silent). */
    public void note(final String text)
    {
        if (null != out)
        {
            out.println("[perf] " + phase + ": " + text);
        }
    }

    /** Counts messages done in this phase (by one thread at a time). */
    public void add(final long count)
    {
        messages.lazySet(messages.get() + count);
    }

    /** Counts messages done in this phase by one of several threads; call it per batch, not per message. */
    public void addConcurrently(final long count)
    {
        messages.getAndAdd(count);
    }

    public long messages()
    {
        return messages.get();
    }

    public void endPhase()
    {
        if (null != out && null != phase)
        {
            out.println(line() + " (done)");
        }
        phase = null;
    }

    private String line()
    {
        return String.format("[perf] %s: %.1f s, %,d messages", phase,
            (System.nanoTime() - phaseStartNs) / 1e9, messages.get());
    }

    private void printLoop()
    {
        while (!closed)
        {
            try
            {
                TimeUnit.NANOSECONDS.sleep(intervalNs);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            if (null != phase)
            {
                out.println(line());
            }
        }
    }

    public void close()
    {
        closed = true;
        if (null != printer)
        {
            printer.interrupt();
        }
    }
}
