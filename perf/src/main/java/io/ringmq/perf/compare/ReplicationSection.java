package io.ringmq.perf.compare;

import io.ringmq.perf.CatchUpRate;
import io.ringmq.perf.LatencyResult;

import java.util.Locale;

/**
 * The report's replication section ({@code --replication}): per ack mode, 1P/1C throughput and the open-loop
 * publish→receipt percentiles, then the catch-up rate, each beside the target and whether this run met it.
 */
final class ReplicationSection
{
    /** Issue 13: journaled adds at most one loopback round trip plus this to p99 receipt latency. */
    static final long JOURNALED_P99_ALLOWANCE_NS = 20_000;
    /** Issue 13: catch-up at least this many times the 1P/1C publish rate. */
    static final double CATCH_UP_FACTOR = 5;
    private static final int P99 = 2;

    private ReplicationSection()
    {
    }

    static void render(final StringBuilder md, final CompareResults results, final long ratePerSecond)
    {
        if (results.replication.isEmpty())
        {
            return;
        }
        md.append(String.format(Locale.ROOT, "## Replication (issue 13): ringmq with a standby over UDP loopback, " +
            "fsync off\n\n### publish→receipt at %,d msg/s open loop (µs), and 1P/1C throughput\n\n",
            ratePerSecond));
        md.append(MarkdownReport.header("replication | 1P/1C msg/s").replace("|---|---|", "|---|---:|"));
        for (final ReplicationRows.Row row : results.replication)
        {
            final String throughput = null == row.throughput() ? "failed" :
                String.format(Locale.ROOT, "%,.0f", row.throughput().messagesPerSecond());
            md.append(null == row.latency() ? "| " + row.mode() + " | " + throughput + " | failed |\n" :
                MarkdownReport.row(row.mode() + " | " + throughput, row.latency().receiptNs()));
        }
        md.append('\n');
        for (final ReplicationRows.Row row : results.replication)
        {
            if (!row.failure().isEmpty())
            {
                md.append("- **").append(row.mode()).append("**: ").append(row.failure()).append('\n');
            }
        }
        final ReplicationRows.Row off = results.replication.get(0);
        final double offRate = null == off.throughput() ? 0 : off.throughput().messagesPerSecond();
        results.replication.stream().filter((row) -> row.mode().equals("journaled") && null != row.latency() &&
            null != off.latency()).findFirst().ifPresent((row) ->
        {
            final long added = LatencyResult.percentilesNs(row.latency().receiptNs())[P99] -
                LatencyResult.percentilesNs(off.latency().receiptNs())[P99];
            final double overUs = Math.max(0, added - JOURNALED_P99_ALLOWANCE_NS) / 1000.0;
            md.append(String.format(Locale.ROOT, "- target: `journaled` adds at most one loopback round trip + " +
                "20 µs to p99 receipt latency at %,d msg/s: it added %.1f µs to `off`'s p99: %s\n", ratePerSecond,
                added / 1000.0, 0 == overUs ? "**met** (within the 20 µs alone)" : String.format(Locale.ROOT,
                "met only if one UDP loopback round trip here takes at least %.1f µs", overUs)));
        });
        final CatchUpRate catchUp = results.catchUp;
        if (null == catchUp)
        {
            md.append("- catch-up: failed (see the log)\n");
        }
        else if (0 == offRate)
        {
            md.append(String.format(Locale.ROOT, "- catch-up: %,.0f commands/s; no 1P/1C figure to compare it with\n",
                catchUp.commandsPerSecond()));
        }
        else
        {
            final double factor = catchUp.commandsPerSecond() / Math.max(1, offRate);
            md.append(String.format(Locale.ROOT, "- catch-up: a standby %,d commands behind caught up at %,.0f " +
                "commands/s (from its launch, start included, after an untimed catch-up warmed the code; %.1f µs " +
                "CPU per command, both nodes), %.1fx the 1P/1C publish rate with replication off (%,.0f msg/s); " +
                "target at least %.0fx: **%s**\n", catchUp.commands(), catchUp.commandsPerSecond(),
                catchUp.cpuMicrosPerCommand(), factor, offRate, CATCH_UP_FACTOR,
                factor >= CATCH_UP_FACTOR ? "met" : "not met"));
        }
        md.append("\nThe standby is a second daemon in the harness's JVM (its own Aeron driver and directories): the " +
            "two share the machine's cores with the clients. `off` runs no replicator at all; `none` ships without " +
            "waiting; `received` and `journaled` hold each ring batch's receipts until the standby's ack covers it.\n\n");
    }
}
