package io.ringmq.perf.idle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What each thread of a process used between two {@link ThreadCpuTimes}, as a percentage of one core, busiest first,
 * and the total. A thread that ended in between is left out (its time is unknown); one that started counts from 0.
 */
public final class IdleCpuReport
{
    /** One thread's share. */
    public record Row(int tid, String name, double percentOfCore)
    {
    }

    private final List<Row> rows = new ArrayList<>();
    private final double seconds;
    private final double totalPercent;

    /**
     * @param ticksPerSecond the kernel's clock ticks per second ({@code getconf CLK_TCK}).
     */
    public IdleCpuReport(final ThreadCpuTimes before, final ThreadCpuTimes after, final long ticksPerSecond)
    {
        seconds = (after.nanoTime() - before.nanoTime()) / 1e9;
        final double tickPercent = 100.0 / (ticksPerSecond * Math.max(seconds, 1e-9));
        double total = 0;
        for (final var entry : after.threads().entrySet())
        {
            final ThreadCpuTimes.Thread earlier = before.threads().get(entry.getKey());
            final long ticks = entry.getValue().ticks() - (null == earlier ? 0 : earlier.ticks());
            final double percent = ticks * tickPercent;
            rows.add(new Row(entry.getKey(), entry.getValue().name(), percent));
            total += percent;
        }
        rows.sort(Comparator.comparingDouble(Row::percentOfCore).reversed().thenComparing(Row::tid));
        totalPercent = total;
    }

    public List<Row> rows()
    {
        return rows;
    }

    public double totalPercent()
    {
        return totalPercent;
    }

    /**
     * A table: every thread that used any CPU, then the count of those that used none, then the total, e.g.
     * <pre>
     *   ringmq-ring         (tid 4321)   13.9 %
     *   ...
     *   41 threads used no CPU
     *   total                            43.7 % of one core over 20.0 s
     * </pre>
     */
    String format()
    {
        final StringBuilder text = new StringBuilder();
        int unused = 0;
        for (final Row row : rows)
        {
            if (row.percentOfCore() <= 0)
            {
                unused++;
                continue;
            }
            text.append(String.format(Locale.ROOT, "  %-16s (tid %7d) %6.2f %%%n", row.name(), row.tid(),
                row.percentOfCore()));
        }
        text.append(String.format(Locale.ROOT, "  %d threads used no CPU%n", unused));
        text.append(String.format(Locale.ROOT, "  total                      %6.2f %% of one core over %.1f s%n",
            totalPercent, seconds));
        return text.toString();
    }
}
