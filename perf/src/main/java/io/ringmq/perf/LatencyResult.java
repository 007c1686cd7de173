package io.ringmq.perf;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Latency distributions of one run of one system, in ns.
 *
 * @param system   "ringmq", "raw", "artemis".
 * @param workload what was run (one line).
 * @param fsync    the matched fsync setting.
 * @param pingPong true for a request/reply run: {@code deliverNs} then holds round-trip times, {@code receiptNs} is
 *                 null.
 * @param deliverNs publish→deliver from the intended send time (or the round trip).
 * @param receiptNs publish→receipt from the intended send time.
 * @param startMs   wall-clock start of the recorded part, for the {@code .hlog}.
 * @param endMs     wall-clock end.
 * @param hotPathAllocation what the daemon's hot path allocated while the recorded messages passed (ringmq's open
 *                  loop only; null where not measured).
 */
public record LatencyResult(
    String system,
    String workload,
    FsyncMode fsync,
    boolean pingPong,
    Histogram deliverNs,
    Histogram receiptNs,
    long startMs,
    long endMs,
    HotPathAllocation.Measured hotPathAllocation)
{
    /** The percentiles every report shows; 100 is the max. */
    public static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99, 100};
    public static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99.9", "p99.99", "max"};

    public static long[] percentilesNs(final Histogram histogram)
    {
        final long[] values = new long[PERCENTILES.length];
        for (int i = 0; i < PERCENTILES.length; i++)
        {
            values[i] = PERCENTILES[i] >= 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(PERCENTILES[i]);
        }
        return values;
    }

    public String format()
    {
        final StringBuilder text = new StringBuilder();
        text.append(system).append(": ").append(workload).append(System.lineSeparator());
        text.append(percentileLine(pingPong ? "round trip" : "publish->deliver", deliverNs));
        if (null != receiptNs)
        {
            text.append(System.lineSeparator()).append(percentileLine("publish->receipt", receiptNs));
        }
        if (null != hotPathAllocation)
        {
            text.append(System.lineSeparator()).append("  daemon hot path allocated ")
                .append(hotPathAllocation.describe());
        }
        return text.toString();
    }

    /** {@code   publish->receipt  (us, 1,000 samples): p50 12.3 p90 ... max ...}. */
    public static String percentileLine(final String name, final Histogram histogram)
    {
        final long[] values = percentilesNs(histogram);
        final StringBuilder text = new StringBuilder(String.format("  %-17s (us, %,d samples):", name,
            histogram.getTotalCount()));
        for (int i = 0; i < values.length; i++)
        {
            text.append(String.format(" %s %,.1f", PERCENTILE_NAMES[i], values[i] / 1e3));
        }
        return text.toString();
    }

    /**
     * Writes each histogram as an HdrHistogram log ({@code <baseName>-deliver.hlog}, {@code -receipt.hlog} or
     * {@code -rtt.hlog}), values in ns: {@code HistogramLogProcessor -i FILE} turns one into a percentile table
     * (its default output unit ratio 1e6 prints ms).
     *
     * @return the files written.
     */
    public List<Path> writeHlogs(final Path dir, final String baseName)
    {
        final List<Path> files = new ArrayList<>();
        files.add(writeHlog(dir.resolve(baseName + (pingPong ? "-rtt.hlog" : "-deliver.hlog")), deliverNs));
        if (null != receiptNs)
        {
            files.add(writeHlog(dir.resolve(baseName + "-receipt.hlog"), receiptNs));
        }
        return files;
    }

    private Path writeHlog(final Path file, final Histogram histogram)
    {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.US_ASCII))
        {
            final HistogramLogWriter writer = new HistogramLogWriter(out);
            writer.outputComment(system + ": " + workload + " (values in ns from the intended send time)");
            writer.outputLogFormatVersion();
            writer.outputStartTime(startMs);
            writer.setBaseTime(startMs);
            writer.outputLegend();
            final Histogram copy = histogram.copy();
            copy.setStartTimeStamp(startMs);
            copy.setEndTimeStamp(Math.max(startMs, endMs));
            writer.outputIntervalHistogram(copy);
            return file;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }
}
