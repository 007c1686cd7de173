package io.ringmq.daemon.cli;

import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.Daemon;
import io.ringmq.daemon.DaemonContext;
import io.ringmq.daemon.DaemonErrorLog;
import io.ringmq.daemon.IngressChannels;
import io.ringmq.daemon.SetAsideRepair;
import io.ringmq.daemon.ThreadAffinity;
import picocli.CommandLine.Command;
import io.ringmq.journal.JournalRepair;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "daemon", description = "Run the ringmq appliance (embedded Aeron media driver by default).")
final class DaemonCommand implements Callable<Integer>
{
    @Mixin
    ConfigOption configOption;

    @Option(names = "--repair", description = "Before starting, if the journal is damaged in the middle (start-up " +
        "stops and says so), keep the records before the damage and move the damaged journal aside, next to it " +
        "(nothing is deleted); then set aside any journaled command that cannot be applied (start-up stops and " +
        "names it), keeping the journal as it was next to it. Does nothing to a journal that replays.")
    boolean repair;

    @Option(names = "--role", paramLabel = "primary|standby", description = "This node's role in a replicated pair; " +
        "overrides ringmq.replication.role (needs ringmq.replication.primary.endpoint and " +
        "ringmq.replication.standby.endpoint).")
    String role;

    public Integer call() throws InterruptedException
    {
        final RingmqConfig config = null == role ? configOption.load() : // validated before any data is touched
            configOption.load(Map.of("ringmq.replication.role", role));
        IngressChannels.requireValid(config); // the same, with Aeron's parsers (before --repair too)
        ThreadAffinity.requireAvailable(config); // the pinning keys' CPUs, against those this process may use
        final CountDownLatch stop = new CountDownLatch(1);
        StopSignals.install(stop); // before the replay: a long start-up can be stopped, or forced, too
        System.out.println(config.describe());
        System.out.println("data directory: " + config.dataDir());
        System.out.println("aeron directory: " + config.aeronDir());
        System.out.println("error log: " + config.dataDir().resolve(DaemonErrorLog.FILE_NAME));
        if (repair)
        {
            System.out.println(JournalRepair.repair(
                Daemon.journalDirectory(config), config.journalRollCycle().name()).describe());
            System.out.println(SetAsideRepair.repair(config).describe());
        }

        final String fatalError;
        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(config)))
        {
            daemon.onFatalError(stop::countDown);
            System.out.println("ringmq daemon running (pid " + ProcessHandle.current().pid() +
                "); recovered " + daemon.recoveredDescription() + ". Ctrl-C or SIGTERM stops it.");
            stop.await();
            fatalError = daemon.fatalError();
            System.out.println(null == fatalError ? "ringmq daemon stopping: draining the ring" :
                "ringmq daemon stopping after a fatal error: " + fatalError);
            System.out.println(daemon.statsLine());
        }
        if (null != fatalError)
        {
            System.err.println("ringmq: the daemon stopped after a fatal error (see the log above); what was " +
                "receipted is in the journal, and the next start replays it");
            return 1;
        }
        System.out.println("ringmq daemon stopped");
        return 0;
    }
}
