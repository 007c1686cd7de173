package io.ringmq.daemon.cli;

import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.Daemon;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "daemon", description = "Run the ringmq appliance (embedded Aeron media driver by default).")
final class DaemonCommand implements Callable<Integer>
{
    @Mixin
    ConfigOption configOption;

    public Integer call()
    {
        final RingmqConfig config = configOption.load(); // validated before any data is touched
        System.out.println(config.describe());
        System.out.println("data directory: " + config.dataDir());
        System.out.println("aeron directory: " + config.aeronDir());

        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier(); Daemon daemon = Daemon.launch(config))
        {
            System.out.println("ringmq daemon running (pid " + ProcessHandle.current().pid() +
                "); recovered " + daemon.recoveredCommands() + " commands. Ctrl-C or SIGTERM stops it.");
            barrier.await();
            System.out.println("ringmq daemon stopping: draining the ring");
            daemon.histograms().report(System.out);
        }
        System.out.println("ringmq daemon stopped");
        return 0;
    }
}
