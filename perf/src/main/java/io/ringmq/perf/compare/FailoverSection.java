package io.ringmq.perf.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The report's failover section ({@code --failover DIR}): the failover times the fault-injection suite
 * ({@code FailoverFaultIT}) measured over its rounds, one file per fault in DIR ({@code kill9.txt},
 * {@code kill9-rejoin.txt}: the rounds whose killed node rejoins over its own journal, {@code switchover.txt}; {@code pause-continue.txt} from {@code PairFaultsIT}: milliseconds from the fault to the
 * first receipt from the new primary, one a line), as
 * p50, p99 and max beside the anchors' published figures. They are read, not run here: a round needs a witness and a
 * pair of daemon processes killed and restarted, which the suite already does (and checks) on loopback.
 */
final class FailoverSection
{
    /** What each file holds, and what the anchors publish for the same event. */
    private static final String[][] FAULTS = {
        {"kill9", "kill -9 of the primary → first receipt from the new primary",
            "~10 s leader heartbeat timeout + 0.5-1.4 s election", "30 s (`down-after-milliseconds`) + election"},
        {"kill9-rejoin", "kill -9 of the primary, which rejoins over its own journal → first receipt from the new primary",
            "~10 s leader heartbeat timeout + 0.5-1.4 s election", "30 s (`down-after-milliseconds`) + election"},
        {"switchover", "planned switchover → first receipt from the new primary",
            "~10 s (a planned leader change is an election too)", "`SENTINEL FAILOVER`: seconds"},
        {"pause-continue", "SIGSTOP of the primary → first receipt from the new primary (`PairFaultsIT`)",
            "~10 s leader heartbeat timeout + 0.5-1.4 s election", "30 s (`down-after-milliseconds`) + election"},
    };

    /** One fault's times, sorted. */
    record Row(String fault, String what, String aeronCluster, String sentinel, long[] sortedMs)
    {
        long percentile(final double p)
        {
            return sortedMs[Math.max(0, (int)Math.ceil(p * sortedMs.length) - 1)];
        }
    }

    private FailoverSection()
    {
    }

    /** The rows for the files present in {@code dir}; none for a fault whose file is missing or empty. */
    static List<Row> load(final Path dir)
    {
        final List<Row> rows = new ArrayList<>();
        for (final String[] fault : FAULTS)
        {
            final Path file = dir.resolve(fault[0] + ".txt");
            if (!Files.isRegularFile(file))
            {
                continue;
            }
            try
            {
                final long[] values = Files.readAllLines(file).stream().map(String::trim)
                    .filter((line) -> !line.isEmpty()).mapToLong(Long::parseLong).sorted().toArray();
                if (values.length > 0)
                {
                    rows.add(new Row(fault[0], fault[1], fault[2], fault[3], values));
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
        return rows;
    }

    static void render(final StringBuilder md, final List<Row> rows)
    {
        if (rows.isEmpty())
        {
            return;
        }
        md.append("## Failover (issue 14): `FailoverFaultIT` rounds, witness + pair as processes on loopback\n\n")
            .append("| fault | rounds | p50 ms | p99 ms | max ms | Aeron Cluster | Redis Sentinel |\n")
            .append("|---|---:|---:|---:|---:|---|---|\n");
        for (final Row row : rows)
        {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %s | %s |%n", row.what(),
                row.sortedMs().length, row.percentile(0.50), row.percentile(0.99), row.percentile(1.0),
                row.aeronCluster(), row.sentinel()));
        }
        md.append("\nEach time runs from the fault (kill -9, SIGSTOP, or the `switchover` request) to the first receipt a " +
            "client connecting afresh gets from the new primary; defaults (lease 300 ms, drift 50 ms, heartbeat " +
            "50/500 ms). Times: " + Arrays.toString(rows.stream().map(Row::fault).toArray()) + ".\n\n");
    }
}
