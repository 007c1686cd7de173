package io.ringmq.perf.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A server the harness started as a process of its own (a ringmq daemon, an Artemis broker), its output in a log file.
 * {@link #close()} stops it with SIGTERM, the stop users give it, and kills it when it has not stopped in time; a
 * shutdown hook does the same if the harness's JVM exits first (Ctrl-C, an uncaught error), so no server outlives
 * the run that started it.
 */
public final class ChildProcess implements AutoCloseable
{
    private static final long STOP_TIMEOUT_S = 30;
    /** Start-up takes seconds (a JVM, a pre-touched heap): looking ten times a second is plenty. */
    private static final long LOOK_EVERY_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread stopOnExit;

    private ChildProcess(final String name, final Process process, final Path log)
    {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stopOnExit = new Thread(process::destroyForcibly, name + "-stop-on-exit");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts the process, its stdout and stderr into {@code log}, and waits until its output has {@code runningLine}.
     *
     * @throws IllegalStateException if it exits or does not say it runs within the timeout; it is stopped first.
     */
    public static ChildProcess start(
        final String name, final ProcessBuilder builder, final Path log, final String runningLine,
        final long startTimeoutNs)
    {
        final Process process;
        try
        {
            process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", builder.command()), ex);
        }
        final ChildProcess child = new ChildProcess(name, process, log);
        try
        {
            child.awaitOutput(runningLine, startTimeoutNs);
            return child;
        }
        catch (final RuntimeException | Error ex)
        {
            child.close();
            throw ex;
        }
    }

    public long pid()
    {
        return process.pid();
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    /** What it printed so far. */
    public String output()
    {
        try
        {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(cannot read " + log + ": " + ex.getMessage() + ")";
        }
    }

    /** @throws IllegalStateException with its output, if it has exited. */
    public void requireAlive()
    {
        if (!process.isAlive())
        {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; its output:\n" +
                output());
        }
    }

    private void awaitOutput(final String line, final long timeoutNs)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (!output().contains(line))
        {
            requireAlive();
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException(name + " did not say '" + line + "' in time; its output:\n" +
                    output());
            }
            LockSupport.parkNanos(LOOK_EVERY_NS);
        }
    }

    /** SIGTERM, then waits; kills it when it has not stopped within 30 s. */
    public void close()
    {
        try
        {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT_S, TimeUnit.SECONDS))
            {
                System.err.println(name + " did not stop within " + STOP_TIMEOUT_S + " s of SIGTERM: killing it");
                process.destroyForcibly().waitFor(STOP_TIMEOUT_S, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        finally
        {
            removeHook();
        }
    }

    private void removeHook()
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        }
        catch (final IllegalStateException ex)
        {
            // the JVM is shutting down: the hook runs anyway, and the process is already stopped
        }
    }
}
