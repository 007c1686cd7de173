package io.ringmq.daemon.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * SIGTERM and SIGINT stop a long-running command (the daemon, {@code consume}) through a latch instead of the JVM's
 * shutdown sequence. A signal-initiated JVM shutdown (which Agrona's ShutdownSignalBarrier waits in, as a shutdown
 * hook) always ends the process with 128 + signal (143 for SIGTERM), and the System.exit after a clean stop blocks
 * behind it; handling the signal here lets the command finish its own stop (the daemon drains its ring, a consumer
 * closes its session so its deliveries go back at once) and choose its exit code. A second signal while stopping
 * forces the exit at once (halt, exit code 128 + signal): an operator who asks twice does not want to wait.
 */
@SuppressWarnings("removal")
final class StopSignals
{
    private final CountDownLatch stop;
    private final IntConsumer forceExit;
    private final AtomicInteger received = new AtomicInteger();
    private volatile String firstName;
    private volatile int firstNumber;

    StopSignals(final CountDownLatch stop, final IntConsumer forceExit)
    {
        this.stop = stop;
        this.forceExit = forceExit;
    }

    static StopSignals install(final CountDownLatch stop)
    {
        final StopSignals signals = new StopSignals(stop, (status) -> Runtime.getRuntime().halt(status));
        final sun.misc.SignalHandler handler = (signal) -> signals.onSignal(signal.getName(), signal.getNumber());
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
        return signals;
    }

    void onSignal(final String name, final int number)
    {
        if (1 == received.incrementAndGet())
        {
            firstName = name;
            firstNumber = number;
            stop.countDown();
            return;
        }
        System.err.println("ringmq: second signal (SIG" + name + ") while stopping: forcing exit now, without " +
            "finishing the graceful stop");
        System.err.flush();
        forceExit.accept(128 + number);
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
