package io.ringmq.perf;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 13's catch-up target on its own, quicker than {@code perf compare --replication}: the 1P/1C publish rate of
 * a daemon without replication, then, in the same JVM and machine state, the catch-up rate of a standby started
 * behind ({@link CatchUpRate}) with the standby's journal fsync {@code NONE} and {@code BATCH}, each as commands/s and
 * as a ratio to that publish rate (the target is at least 5x).
 * <p>
 * {@code perf/bin/perf-java io.ringmq.perf.CatchUpRateBenchmark [MESSAGES [PAYLOAD_BYTES [FSYNCS]]]}, e.g.
 * {@code 300000 64 NONE,BATCH}; add {@code -XX:StartFlightRecording=...} through {@code PERF_JAVA_OPTS} for a profile.
 */
public final class CatchUpRateBenchmark
{
    private static final int TIMEOUT_S = 300;

    private CatchUpRateBenchmark()
    {
    }

    public static void main(final String[] args)
    {
        final long messages = args.length > 0 ? Long.parseLong(args[0]) : 300_000;
        final int payloadBytes = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        final String[] fsyncs = (args.length > 2 ? args[2] : "NONE,BATCH").split(",");

        final ThroughputWorkload workload = new ThroughputWorkload(
            messages, messages / 5, payloadBytes, 8192, FsyncMode.NONE, TIMEOUT_S);
        final ThroughputFigures publish;
        try (Progress progress = Progress.silent())
        {
            publish = new RingmqContender(Map.of()).throughput(workload, progress);
        }
        System.out.println("1P/1C publish, replication off, fsync off: " + publish.format());

        for (final String fsync : fsyncs)
        {
            final Map<String, String> settings = new HashMap<>();
            settings.put("ringmq.journal.fsync", fsync.trim().toUpperCase(Locale.ROOT));
            final CatchUpRate catchUp = CatchUpRate.measure(messages, payloadBytes, settings, TIMEOUT_S);
            System.out.printf(Locale.ROOT, "fsync %s on both nodes: %s; %.2fx the 1P/1C publish rate, %.2fx its CPU " +
                "per message%n", fsync, catchUp.format(),
                catchUp.commandsPerSecond() / Math.max(1, publish.messagesPerSecond()),
                catchUp.cpuMicrosPerCommand() / Math.max(1e-9, publish.cpuMicrosPerMessage()));
        }
    }
}
