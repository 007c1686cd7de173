package io.ringmq.daemon.cli;

import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.Daemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "daemon", description = "Run the ringmq appliance (embedded Aeron media driver by default).")
final class DaemonCommand implements Callable<Integer>
{
    @Mixin
    ConfigOption configOption;

    public Integer call() throws InterruptedException
    {
        final RingmqConfig config = configOption.load(); // validated before any data is touched
        System.out.println(config.describe());
        System.out.println("data directory: " + config.dataDir());
        System.out.println("aeron directory: " + config.aeronDir());

        final CountDownLatch stop = new CountDownLatch(1);
        try (Daemon daemon = Daemon.launch(config))
        {
            StopSignals.install(stop);
            System.out.println("ringmq daemon running (pid " + ProcessHandle.current().pid() +
                "); recovered " + daemon.recoveredCommands() + " commands. Ctrl-C or SIGTERM stops it.");
            stop.await();
            System.out.println("ringmq daemon stopping: draining the ring");
            System.out.println(daemon.statsLine());
        }
        System.out.println("ringmq daemon stopped");
        return 0;
    }

    /**
     * SIGTERM and SIGINT stop the daemon through a latch instead of the JVM's shutdown sequence. A signal-initiated
     * JVM shutdown (which Agrona's ShutdownSignalBarrier waits in, as a shutdown hook) always ends the process with
     * 128 + signal (143 for SIGTERM), and the System.exit(0) after a clean stop blocks behind it; handling the signal
     * here lets a clean stop exit 0. The first signal puts the JVM's own handlers back, so a second one forces the
     * usual shutdown.
     */
    @SuppressWarnings("removal")
    static final class StopSignals
    {
        private StopSignals()
        {
        }

        static void install(final CountDownLatch stop)
        {
            final sun.misc.Signal term = new sun.misc.Signal("TERM");
            final sun.misc.Signal interrupt = new sun.misc.Signal("INT");
            final sun.misc.SignalHandler[] previous = new sun.misc.SignalHandler[2];
            final sun.misc.SignalHandler handler = (signal) ->
            {
                sun.misc.Signal.handle(term, previous[0]);
                sun.misc.Signal.handle(interrupt, previous[1]);
                stop.countDown();
            };
            previous[0] = sun.misc.Signal.handle(term, handler);
            previous[1] = sun.misc.Signal.handle(interrupt, handler);
        }
    }
}
