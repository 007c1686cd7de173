package io.ringmq.daemon.cli;

import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.DaemonPresence;
import io.ringmq.daemon.counters.CncCounters;
import io.ringmq.daemon.counters.CountersReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ringmq stat [--watch [--interval D]] [--json]}: the daemon's counters, read from the CnC file of the media
 * driver in its {@code ringmq.aeron.dir} (mapped read-only: no client connects, nothing is asked of the daemon, so it
 * answers while the daemon's ring is full).
 */
@Command(name = "stat", description = "Show the daemon's live counters (queues, groups, the daemon, errors by code), " +
    "read from its Aeron directory's CnC file without connecting to it. Exits 1 if no daemon runs there.")
final class StatCommand implements Callable<Integer>
{
    /**
     * The shortest --interval: each refresh reads every counter and prints a whole table, so a shorter one is a busy
     * loop on a core (0 printed some 300 tables a second), and a bare 1 (milliseconds) is easily meant as a second.
     */
    static final long MIN_INTERVAL_MS = 100;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOption configOption;

    @Option(names = "--watch", description = "Refresh until stopped (Ctrl-C): in place on a terminal, one table (or " +
        "JSON line) after another otherwise.")
    boolean watch;

    @Option(names = "--interval", converter = Millis.class, paramLabel = "DURATION", defaultValue = "1s",
        description = "Time between refreshes with --watch (e.g. 500ms, 2s; at least 100ms). Default: ${DEFAULT-VALUE}.")
    long intervalMs;

    @Option(names = "--json", description = "One JSON object per refresh and line: queues (queue, depth, bytes, " +
        "in_flight, published, delivered, acked, nacked, redelivered, expired, dead_lettered, oldest_age_ms), groups " +
        "(queue, group, lag, consumers, in_flight), daemon (ring_remaining, journal_position, journal_syncs, " +
        "journal_sync_ns, journal_syncs_slow, snapshots, sessions, frames_refused), errors (by code).")
    boolean json;

    public Integer call() throws InterruptedException
    {
        if (!watch && spec.commandLine().getParseResult().hasMatchedOption("--interval"))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--interval is the time between refreshes " +
                "of --watch: not without it");
        }
        if (intervalMs < MIN_INTERVAL_MS)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--interval must be at least " +
                MIN_INTERVAL_MS + "ms, was " + intervalMs + "ms");
        }
        final RingmqConfig config = configOption.load();
        final Path aeronDir = config.aeronDir();
        final PrintStream out = System.out;
        final boolean inPlace = watch && !json && null != System.console();
        final CountDownLatch stop = new CountDownLatch(1);
        if (watch)
        {
            StopSignals.install(stop);
        }
        do
        {
            final String why = DaemonPresence.whyNoDriver(aeronDir);
            if (null != why)
            {
                System.err.println("ringmq: " + why);
                return RingmqCli.EXIT_FAILED;
            }
            final CountersReport report;
            try (CncCounters cnc = CncCounters.open(aeronDir))
            {
                report = CountersReport.read(cnc.reader());
            }
            if (report.isEmpty())
            {
                System.err.println("ringmq: no ringmq daemon is running: the media driver in ringmq.aeron.dir=" +
                    aeronDir + " has no ringmq counters (no daemon is connected to it)");
                return RingmqCli.EXIT_FAILED;
            }
            final long nowMs = System.currentTimeMillis();
            if (json)
            {
                out.println(StatFormat.json(report, nowMs));
            }
            else
            {
                out.print((inPlace ? "\033[H\033[2J" : "") + StatFormat.text(report, nowMs));
                if (watch && !inPlace)
                {
                    out.println();
                }
            }
            out.flush();
        }
        while (watch && !stop.await(intervalMs, TimeUnit.MILLISECONDS));
        return 0;
    }
}
