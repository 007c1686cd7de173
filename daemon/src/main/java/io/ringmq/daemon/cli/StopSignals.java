package io.ringmq.daemon.cli;

import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * SIGTERM and SIGINT stop a long-running command (the daemon, {@code consume}) through a latch instead of the JVM's
 * shutdown sequence. A signal-initiated JVM shutdown (which Agrona's ShutdownSignalBarrier waits in, as a shutdown
 * hook) always ends the process with 128 + signal (143 for SIGTERM), and the System.exit after a clean stop blocks
 * behind it; handling the signal here lets the command finish its own stop (the daemon drains its ring, a consumer
 * closes its session so its deliveries go back at once) and choose its exit code.
 * <p>
 * A second signal while stopping forces the exit (halt, exit code 128 + signal): an operator who asks twice does not
 * want to wait. The same signal again within {@link #REPEAT_AFTER_NS} of the first is not asking twice: it was sent
 * together with it. GNU {@code timeout}, a {@code kill} of a process group, systemd and container runtimes send
 * SIGTERM to the process and to its group, so the JVM gets two within microseconds; taking the second as "force"
 * halted a consumer before it closed its session and left its consumer attached at the daemon. A tenth of a second is
 * far above the gap between signals sent together (the JVM runs each handler on a thread of its own, which a loaded
 * machine starts within milliseconds) and below a person's double Ctrl-C; another signal (SIGINT after SIGTERM) is
 * always a second request. Before halting, the forced exit gives what registered with {@link #closeOnForcedExit} (a client's
 * Aeron connection) at most {@link #FORCED_CLOSE_WAIT_MS} to close, so the daemon ends the session at once rather
 * than when it notices the process has gone.
 */
@SuppressWarnings("removal")
final class StopSignals
{
    /** The same signal this long after the first, or later, forces the exit; sooner it is part of the first request. */
    static final long REPEAT_AFTER_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The most a forced exit waits for what it closes first. */
    static final long FORCED_CLOSE_WAIT_MS = 500;

    /** Closed, best effort, before a forced exit: the process's client connections (one process, one list). */
    private static final CopyOnWriteArrayList<AutoCloseable> CLOSE_ON_FORCED_EXIT = new CopyOnWriteArrayList<>();

    private final CountDownLatch stop;
    private final IntConsumer forceExit;
    private final NanoClock clock;
    private final Iterable<AutoCloseable> toClose;
    private final long closeWaitMs;
    private final AtomicInteger received = new AtomicInteger();
    private volatile long firstNs;
    private volatile String firstName;
    private volatile int firstNumber;

    StopSignals(final CountDownLatch stop, final IntConsumer forceExit)
    {
        this(stop, forceExit, SystemNanoClock.INSTANCE, CLOSE_ON_FORCED_EXIT, FORCED_CLOSE_WAIT_MS);
    }

    StopSignals(
        final CountDownLatch stop,
        final IntConsumer forceExit,
        final NanoClock clock,
        final Iterable<AutoCloseable> toClose,
        final long closeWaitMs)
    {
        this.stop = stop;
        this.forceExit = forceExit;
        this.clock = clock;
        this.toClose = toClose;
        this.closeWaitMs = closeWaitMs;
    }

    static StopSignals install(final CountDownLatch stop)
    {
        final StopSignals signals = new StopSignals(stop, (status) -> Runtime.getRuntime().halt(status));
        final sun.misc.SignalHandler handler = (signal) -> signals.onSignal(signal.getName(), signal.getNumber());
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
        return signals;
    }

    /**
     * Closes {@code resource} before a forced exit (best effort, within {@link #FORCED_CLOSE_WAIT_MS}); it must be
     * safe to close from another thread while the command uses it, as an Aeron client is.
     */
    static void closeOnForcedExit(final AutoCloseable resource)
    {
        CLOSE_ON_FORCED_EXIT.add(resource);
    }

    void onSignal(final String name, final int number)
    {
        final long nowNs = clock.nanoTime();
        if (1 == received.incrementAndGet())
        {
            firstNs = nowNs;
            firstNumber = number;
            firstName = name; // last: a second signal's thread waits for it, then reads the others
            stop.countDown();
            return;
        }
        while (null == firstName)
        {
            Thread.onSpinWait(); // the first signal's thread has counted itself and is recording its time
        }
        if (number == firstNumber && nowNs - firstNs < REPEAT_AFTER_NS)
        {
            return; // sent together with the first (timeout, a process group's kill): one request
        }
        System.err.println("ringmq: second signal (SIG" + name + ") while stopping: forcing exit now, without " +
            "finishing the graceful stop");
        System.err.flush();
        closeBounded();
        forceExit.accept(128 + number);
    }

    /** Closes what registered on a thread of its own, waiting for it at most {@link #closeWaitMs}. */
    private void closeBounded()
    {
        final Thread closer = new Thread(() ->
        {
            for (final AutoCloseable resource : toClose)
            {
                try
                {
                    resource.close();
                }
                catch (final Exception | LinkageError ignore)
                {
                    // Best effort: the exit goes ahead.
                }
            }
        }, "ringmq-forced-exit-close");
        closer.setDaemon(true);
        closer.start();
        try
        {
            closer.join(closeWaitMs);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    boolean received()
    {
        return received.get() > 0;
    }

    /** The first signal's name, as in SIGTERM; null before one arrived. */
    String firstSignal()
    {
        return null == firstName ? null : "SIG" + firstName;
    }

    /** The shell's convention for a command stopped by the first signal: 128 + its number. */
    int exitCode()
    {
        return 128 + firstNumber;
    }
}
