package io.ringmq.perf.compare;

import io.ringmq.perf.CatchUpRate;
import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.InProcessDaemon;
import io.ringmq.perf.LatencyResult;
import io.ringmq.perf.LatencyWorkload;
import io.ringmq.perf.LoopbackPair;
import io.ringmq.perf.Progress;
import io.ringmq.perf.RingmqContender;
import io.ringmq.perf.RingmqLatencyHarness;
import io.ringmq.perf.ThroughputFigures;
import io.ringmq.perf.ThroughputWorkload;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The comparison's replication rows ({@code --replication}): ringmq's 1P/1C throughput and open-loop publish→receipt
 * latency with replication off and in each ack mode, the standby a second daemon in this JVM, the pair over UDP
 * loopback ({@link LoopbackPair}); then the catch-up rate of a standby that starts behind ({@link CatchUpRate}).
 * fsync off on both nodes: the rows show what replication adds, not the disk.
 */
final class ReplicationRows
{
    /** "off" first: the rows the others are compared with. */
    static final List<String> MODES = List.of("off", "none", "received", "journaled");

    /**
     * One ack mode's figures; a phase that failed (a standby that stopped acking, say) has null figures and says why
     * in {@code failure}, and the comparison goes on: the report shows it rather than losing the other rows.
     */
    record Row(String mode, ThroughputFigures throughput, LatencyResult latency, String failure)
    {
    }

    private ReplicationRows()
    {
    }

    static void run(
        final CompareOptions options, final Map<String, String> ringmqSettings, final CompareResults results,
        final Progress progress, final PrintStream log)
    {
        final CompareMode mode = options.mode();
        final long rate = options.ratePerSecond();
        results.setups.put("ringmq replication|" + FsyncMode.NONE.label(), "primary and standby daemons in this " +
            "JVM, each with its own Aeron driver and directories, replicating over UDP loopback; off: no " +
            "endpoints (no replicator on the ring); lost standby: hold; the comparison's idle strategy");
        for (final String ackMode : MODES)
        {
            final LoopbackPair pair = "off".equals(ackMode) ? null : LoopbackPair.of(ackMode, ringmqSettings);
            final Map<String, String> primary = null == pair ? ringmqSettings : pair.primary();
            final ThroughputWorkload workload = new ThroughputWorkload(mode.messages(), mode.warmupMessages(),
                options.payloadBytes(), 8192, FsyncMode.NONE, options.timeoutS());
            final StringBuilder failures = new StringBuilder();
            progress.beginPhase("ringmq throughput, replication " + ackMode);
            final ThroughputFigures throughput = attempt(failures, "throughput", log, () -> withStandby(pair,
                () -> new RingmqContender(primary).throughput(workload, progress)));
            progress.endPhase();
            if (null != throughput)
            {
                log.println("replication " + ackMode + ": " + throughput.format());
            }

            final LatencyWorkload latencyWorkload = new LatencyWorkload(rate, mode.latencyMessages(rate),
                mode.warmupMessages(rate), options.payloadBytes(), FsyncMode.NONE, options.timeoutS());
            progress.beginPhase("ringmq latency at " + rate + " msg/s, replication " + ackMode);
            final LatencyResult latency = attempt(failures, "latency", log, () -> withStandby(pair,
                () -> RingmqLatencyHarness.runOpenLoop(latencyWorkload, primary, progress)));
            progress.endPhase();
            if (null != latency)
            {
                log.println("replication " + ackMode + ": " + latency.format());
            }
            results.replication.add(new Row(ackMode, throughput, latency, failures.toString()));
        }
        progress.beginPhase("ringmq catch-up of " + mode.catchUpMessages() + " messages");
        results.catchUp = attempt(new StringBuilder(), "catch-up", log, () -> CatchUpRate.measure(
            mode.catchUpMessages(), options.payloadBytes(), ringmqSettings, options.timeoutS()));
        progress.endPhase();
        if (null != results.catchUp)
        {
            log.println(results.catchUp.format());
        }
    }

    /** Runs a phase; if it fails, notes why in {@code failures} and returns null. */
    private static <T> T attempt(
        final StringBuilder failures, final String phase, final PrintStream log, final Supplier<T> run)
    {
        try
        {
            return run.get();
        }
        catch (final IllegalStateException ex)
        {
            ex.printStackTrace(log);
            failures.append(failures.length() == 0 ? "" : "; ").append(phase).append(" failed: ")
                .append(ex.getMessage());
            return null;
        }
    }

    /** Runs a phase with the pair's standby up (started first, closed after the primary the phase closed). */
    private static <T> T withStandby(final LoopbackPair pair, final Supplier<T> phase)
    {
        if (null == pair)
        {
            return phase.get();
        }
        try (InProcessDaemon ignored = pair.launchStandby())
        {
            return phase.get();
        }
    }
}
