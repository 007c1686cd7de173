package io.ringmq.daemon.metrics;

import io.ringmq.daemon.pipeline.Stage;
import io.ringmq.daemon.pipeline.StageHistograms;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes the stages' latencies to an HdrHistogram interval log ({@code .hlog}, {@link HistogramLogWriter}'s format):
 * every interval, one histogram per stage, tagged with its label, values in nanoseconds. HdrHistogram's
 * {@code HistogramLogProcessor -tag ingress_to_journaled} turns it into percentiles over time for plotting.
 * <p>
 * Runs on a thread of its own ({@link #start}); {@link #writeInterval} is its duty, callable by tests.
 */
public final class StageIntervalLog implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(StageIntervalLog.class);
    private static final Stage[] STAGES = Stage.values();

    private final StageHistograms histograms;
    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final PrintStream out;
    private final HistogramLogWriter writer;
    private final Histogram interval = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
    private long intervalStartMs;
    private ScheduledExecutorService thread;

    /**
     * Opens (truncates) the log and writes its header.
     *
     * @throws IllegalStateException naming ringmq.metrics.hlog.path if the file cannot be written.
     */
    public StageIntervalLog(
        final Path path, final StageHistograms histograms, final NanoClock nanoClock, final EpochClock epochClock)
    {
        this.histograms = histograms;
        this.nanoClock = nanoClock;
        this.epochClock = epochClock;
        try
        {
            // Buffered: each interval reaches the file at once, at its flush, so a reader rarely sees half of one.
            out = new PrintStream(new BufferedOutputStream(new FileOutputStream(path.toFile()), 1 << 16), false);
        }
        catch (final FileNotFoundException ex)
        {
            throw new IllegalStateException("cannot write ringmq.metrics.hlog.path=" + path + ": " + ex.getMessage(),
                ex);
        }
        intervalStartMs = epochClock.time();
        writer = new HistogramLogWriter(out);
        writer.outputComment("ringmq stage latencies, values in ns, one histogram per stage tagged with its name");
        writer.outputLogFormatVersion();
        writer.setBaseTime(intervalStartMs);
        writer.outputBaseTime(intervalStartMs);
        writer.outputStartTime(intervalStartMs);
        writer.outputLegend();
        out.flush();
    }

    /** Writes an interval every {@code intervalNs} on a thread of its own. */
    public StageIntervalLog start(final long intervalNs)
    {
        thread = Executors.newSingleThreadScheduledExecutor((runnable) ->
        {
            final Thread logThread = new Thread(runnable, "ringmq-hlog");
            logThread.setDaemon(true);
            return logThread;
        });
        thread.scheduleAtFixedRate(this::writeOrLog, intervalNs, intervalNs, TimeUnit.NANOSECONDS);
        return this;
    }

    /** Writes what each stage recorded since the last interval: one histogram per stage, empty ones included. */
    public synchronized void writeInterval()
    {
        histograms.collect(nanoClock.nanoTime());
        final long endMs = epochClock.time();
        for (final Stage stage : STAGES)
        {
            histograms.moveLogged(stage, interval);
            interval.setStartTimeStamp(intervalStartMs);
            interval.setEndTimeStamp(endMs);
            interval.setTag(stage.label());
            writer.outputIntervalHistogram(interval);
        }
        out.flush();
        intervalStartMs = endMs;
    }

    /** Stops the thread, writes the last interval and closes the file. */
    public synchronized void close()
    {
        if (null != thread)
        {
            thread.shutdownNow();
        }
        writeInterval();
        out.close();
    }

    /** A periodic task that throws is never run again: a failed write is logged, and the next one tries again. */
    private void writeOrLog()
    {
        try
        {
            writeInterval();
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("stage latencies not logged: {}", ex.toString());
        }
    }
}
