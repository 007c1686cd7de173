package io.ringmq.perf.raw;

import io.ringmq.perf.Contender;
import io.ringmq.perf.CpuSnapshot;
import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.LatencyRecorder;
import io.ringmq.perf.LatencyResult;
import io.ringmq.perf.LatencyWorkload;
import io.ringmq.perf.OpenLoopSchedule;
import io.ringmq.perf.PassControl;
import io.ringmq.perf.Progress;
import io.ringmq.perf.ThroughputFigures;
import io.ringmq.perf.ThroughputWorkload;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * The raw limit as a {@link Contender}: Aeron IPC → one broker thread appending to Chronicle Queue (msync per poll
 * batch with fsync BATCH) → Aeron IPC back, with no ringmq code (see {@link RawJournalBroker}). Producer and consumer
 * each on their own thread, yielding when idle, like ringmq's clients.
 */
public final class RawContender implements Contender
{
    private static final long JOIN_GRACE_MS = TimeUnit.SECONDS.toMillis(30);

    private final int ipcTermLength;
    private final String brokerIdle;

    /**
     * @param ipcTermLength Aeron IPC term length (ringmq's {@code ringmq.aeron.ipc.term.length}).
     * @param brokerIdle    BACKOFF or YIELDING, matched to ringmq's {@code ringmq.idle.strategy}.
     */
    public RawContender(final int ipcTermLength, final String brokerIdle)
    {
        this.ipcTermLength = ipcTermLength;
        this.brokerIdle = brokerIdle;
        RawPipeline.idleStrategy(brokerIdle);
    }

    public String name()
    {
        return "raw";
    }

    public String setup(final FsyncMode fsync)
    {
        return "Aeron IPC → one thread: Chronicle Queue append" + (FsyncMode.BATCH == fsync ? " + msync per poll " +
            "batch" : " (no msync)") + " → Aeron IPC; no ring, no state machine; broker idle " + brokerIdle;
    }

    public ThroughputFigures throughput(final ThroughputWorkload workload, final Progress progress)
    {
        // The warm-up gets a pipeline of its own: a later subscriber to the same IPC stream may join at an earlier
        // position and see the warm-up's messages again. The JIT's work carries over; that is what a warm-up is for.
        if (workload.warmupMessages() > 0)
        {
            try (RawPipeline pipeline = new RawPipeline(workload.fsync(), ipcTermLength, brokerIdle))
            {
                runPass(pipeline, workload.warmupMessages(), workload.payloadBytes(), workload.window(), null, null,
                    null, Progress.silent(), workload.timeoutS());
            }
        }
        try (RawPipeline pipeline = new RawPipeline(workload.fsync(), ipcTermLength, brokerIdle))
        {
            final long cpuBeforeNs = CpuSnapshot.processCpuTime();
            final Histogram receiptNs = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
            final PassControl control = runPass(pipeline, workload.messages(), workload.payloadBytes(),
                workload.window(), null, null, receiptNs, progress, workload.timeoutS());
            return new ThroughputFigures(name(), workload, control.lastDeliveryNs() - control.startNs(),
                CpuSnapshot.processCpuTime() - cpuBeforeNs, receiptNs);
        }
    }

    public LatencyResult latency(final LatencyWorkload workload, final Progress progress)
    {
        try (RawPipeline pipeline = new RawPipeline(workload.fsync(), ipcTermLength, brokerIdle))
        {
            final LatencyRecorder recorder = new LatencyRecorder(workload.warmupMessages());
            final long startMs = System.currentTimeMillis();
            runPass(pipeline, workload.totalMessages(), workload.payloadBytes(), 0,
                new OpenLoopSchedule(workload.ratePerSecond()), recorder, null, progress, workload.timeoutS());
            return new LatencyResult(name(), workload.describe(), workload.fsync(), false, recorder.deliverNs(),
                recorder.receiptNs(), startMs, System.currentTimeMillis());
        }
    }

    private static PassControl runPass(
        final RawPipeline pipeline,
        final long messages,
        final int payloadBytes,
        final int window,
        final OpenLoopSchedule schedule,
        final LatencyRecorder recorder,
        final Histogram receiptNs,
        final Progress progress,
        final int timeoutS)
    {
        final PassControl control = new PassControl(TimeUnit.SECONDS.toNanos(timeoutS));
        final Thread consumer = new Thread(
            new RawConsumer(control, pipeline, messages, recorder, progress), "raw-consumer");
        final Thread producer = new Thread(
            new RawProducer(control, pipeline, messages, payloadBytes, window, schedule, recorder, receiptNs),
            "raw-producer");
        consumer.start();
        producer.start();
        join(consumer, control, timeoutS);
        join(producer, control, timeoutS);
        final Throwable failure = control.failure();
        if (null != failure)
        {
            throw new IllegalStateException("raw pipeline pass failed: " + failure.getMessage(), failure);
        }
        return control;
    }

    private static void join(final Thread thread, final PassControl control, final int timeoutS)
    {
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(timeoutS) + JOIN_GRACE_MS);
            if (thread.isAlive())
            {
                control.fail(new IllegalStateException(thread.getName() + " did not finish"));
                thread.join(JOIN_GRACE_MS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            control.fail(ex);
        }
    }
}
