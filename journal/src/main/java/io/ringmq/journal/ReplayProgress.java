package io.ringmq.journal;

import org.agrona.concurrent.NanoClock;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reports how far a long replay has got: records so far out of the expected total, the log sequence reached, the
 * rate since the previous report and the time left at that rate. Reads the clock once every {@code checkEvery}
 * records only, so a replay of millions of records per second barely notices it.
 * <p>
 * Not thread-safe: the replaying thread only.
 */
public final class ReplayProgress
{
    /** A progress that never reports. */
    public static ReplayProgress silent()
    {
        return new ReplayProgress(0, Long.MAX_VALUE, () -> 0, (line) -> {}, 1 << 30);
    }

    private final long expectedRecords;
    private final long reportIntervalNs;
    private final NanoClock clock;
    private final Consumer<String> sink;
    private final long checkMask;
    private long records;
    private long startNs;
    private long lastReportNs;
    private long lastReportRecords;

    /**
     * @param expectedRecords  records the replay will go through (for the percentage and the ETA); 0 if unknown.
     * @param reportIntervalNs least time between two reports.
     * @param sink             receives each report line (the daemon's log).
     * @param checkEvery       records between two clock reads; a power of two.
     */
    public ReplayProgress(
        final long expectedRecords,
        final long reportIntervalNs,
        final NanoClock clock,
        final Consumer<String> sink,
        final int checkEvery)
    {
        if (Integer.bitCount(checkEvery) != 1)
        {
            throw new IllegalArgumentException("checkEvery must be a power of two: " + checkEvery);
        }
        this.expectedRecords = expectedRecords;
        this.reportIntervalNs = reportIntervalNs;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.checkMask = checkEvery - 1;
    }

    /** Marks the start of the replay (rates count from here). */
    public void start()
    {
        records = 0;
        startNs = clock.nanoTime();
        lastReportNs = startNs;
        lastReportRecords = 0;
    }

    /** One more record replayed; reports when the interval has passed. */
    public void onRecord(final long logSequence)
    {
        if ((++records & checkMask) == 0)
        {
            final long nowNs = clock.nanoTime();
            if (nowNs - lastReportNs >= reportIntervalNs)
            {
                sink.accept(line(nowNs, logSequence));
                lastReportNs = nowNs;
                lastReportRecords = records;
            }
        }
    }

    public long records()
    {
        return records;
    }

    /** Nanoseconds since {@link #start()}. */
    public long elapsedNs()
    {
        return clock.nanoTime() - startNs;
    }

    /** Records per second over the whole replay so far. */
    public long averageRate()
    {
        return rate(records, elapsedNs());
    }

    String line(final long nowNs, final long logSequence)
    {
        final long rate = rate(records - lastReportRecords, nowNs - lastReportNs);
        final StringBuilder line = new StringBuilder(128).append("replaying journal: ")
            .append(String.format(Locale.ROOT, "%,d", records));
        if (expectedRecords > 0)
        {
            line.append(String.format(Locale.ROOT, " of %,d commands (%.1f%%)",
                expectedRecords, 100.0 * records / expectedRecords));
        }
        else
        {
            line.append(" commands");
        }
        line.append(", at log sequence ").append(logSequence)
            .append(String.format(Locale.ROOT, ", %,d events/s", rate));
        if (expectedRecords > records && rate > 0)
        {
            final double etaSeconds = (double)(expectedRecords - records) / rate;
            line.append(String.format(Locale.ROOT, ", ETA %.1f s", etaSeconds));
        }
        return line.toString();
    }

    private static long rate(final long count, final long ns)
    {
        return ns <= 0 ? 0 : (long)(count * (double)TimeUnit.SECONDS.toNanos(1) / ns);
    }
}
