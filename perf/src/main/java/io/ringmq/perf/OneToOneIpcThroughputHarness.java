package io.ringmq.perf;

import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.Daemon;
import org.HdrHistogram.Histogram;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of one producer to one consumer over Aeron IPC, through the whole daemon:
 * <pre>
 *  perf-producer ─publish▶ ingress ─▶ ring ─▶ journal ─▶ dispatch ─┬─receipt─▶ perf-producer
 *  (window of unreceipted)                                         └─deliver─▶ perf-consumer ─ack▶ ingress ...
 * </pre>
 * One daemon runs in this process (fresh temp data dir, fresh Aeron dir {@code /dev/shm/ringmq-perf-<uuid>}); the
 * producer and the consumer each have their own thread and their own {@code RingmqClient}. A warm-up pass on another
 * queue comes first. The measured pass times first publish to last delivery acked and to last receipt, records the
 * ingress-to-consumer latency of every delivery, and checks every sequence arrives exactly once, in order: any
 * violation fails the run.
 * <p>
 * The latency is taken in a closed loop (bounded by the publish window and the prefetch), so it is the latency under
 * full load, queueing included, not the latency of a message sent to an idle broker.
 */
public final class OneToOneIpcThroughputHarness
{
    static final String QUEUE = "perf-throughput";
    static final String WARMUP_QUEUE = "perf-warmup";
    private static final long JOIN_GRACE_S = 30;

    private OneToOneIpcThroughputHarness()
    {
    }

    public static void main(final String[] args)
    {
        if (Arrays.asList(args).contains("--help"))
        {
            System.out.println(HarnessContext.USAGE);
            return;
        }
        int status = 0;
        try
        {
            if (Arrays.asList(args).contains("--producers") || Arrays.asList(args).contains("--consumers"))
            {
                throw new IllegalArgumentException("--producers and --consumers are options of " +
                    "ManyToManyIpcThroughputHarness (perf/bin/run-throughput switches to it); this one is 1P/1C");
            }
            final HarnessContext ctx = new HarnessContext().parse(args).conclude();
            final ThroughputResult result = run(ctx, System.out);
            System.out.println(result.format());
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            status = 2;
        }
        catch (final RuntimeException | Error ex)
        {
            System.err.println("FAILED: " + ex.getMessage());
            ex.printStackTrace();
            status = 1;
        }
        System.exit(status); // library threads (Chronicle's) may outlive the daemon; do not wait for them
    }

    /** Runs the harness quietly; see {@link #run(HarnessContext, PrintStream)}. */
    public static ThroughputResult run(final HarnessContext ctx)
    {
        return run(ctx, new PrintStream(OutputStream.nullOutputStream()));
    }

    /**
     * Starts a daemon, runs the warm-up and the measured pass, stops the daemon and removes its directories.
     *
     * @param log told what is happening (not the result).
     * @return the measured pass.
     * @throws IllegalStateException if a message was lost, duplicated, reordered or refused, or a pass timed out.
     */
    public static ThroughputResult run(final HarnessContext ctx, final PrintStream log)
    {
        ctx.conclude();
        try (InProcessDaemon server = InProcessDaemon.launch(daemonSettings(ctx)))
        {
            final Daemon daemon = server.daemon();
            final RingmqConfig config = daemon.config();
            log.printf("daemon: aeron %s, ipc term %s, ring %d, max message %s, fsync %s, data %s%n",
                config.aeronDir(), ctx.ipcTermLength(), config.ringSize(), ctx.maxMessageBytes(),
                config.journalFsync(), config.dataDir());
            try (ClientThread consumerThread = new ClientThread(
                    "perf-consumer", server.clientContext("perf-consumer", ctx.newIdleStrategy()), ctx.timeoutS());
                ClientThread producerThread = new ClientThread(
                    "perf-producer", server.clientContext("perf-producer", ctx.newIdleStrategy()), ctx.timeoutS()))
            {
                if (ctx.warmupMessages() > 0)
                {
                    log.printf("warm-up: %,d messages on %s...%n", ctx.warmupMessages(), WARMUP_QUEUE);
                    final Pass warmup = runPass(ctx, consumerThread, producerThread, WARMUP_QUEUE, ctx.warmupMessages());
                    log.printf("warm-up: done, %,.0f msg/s%n", ctx.warmupMessages() * 1e9 /
                        Math.max(1, warmup.control.lastDeliveryNs() - warmup.control.startNs()));
                }
                daemon.histograms().report(); // forget the warm-up: the next report covers the measured pass only

                log.printf("measured: %,d messages of %d B on %s, window %d, prefetch %d, client idle %s, acks %s...%n",
                    ctx.messages(), ctx.payloadBytes(), QUEUE, ctx.window(), ctx.prefetch(), ctx.clientIdle(),
                    ctx.ackInHandler() ? "in the handler" : "after each poll");
                final Pass pass = runPass(ctx, consumerThread, producerThread, QUEUE, ctx.messages());
                return result(ctx, daemon, pass);
            }
        }
    }

    /** The harness's daemon settings over any other {@code -Dringmq.*} daemon key; directories are always fresh. */
    static Map<String, String> daemonSettings(final HarnessContext ctx)
    {
        final Map<String, String> values = new HashMap<>(ctx.daemonSettings());
        values.put("ringmq.aeron.ipc.term.length", ctx.ipcTermLength());
        values.put("ringmq.max.message.bytes", ctx.maxMessageBytes());
        values.put("ringmq.ring.size", Integer.toString(ctx.ringSize()));
        return values;
    }

    private static Pass runPass(
        final HarnessContext ctx,
        final ClientThread consumerThread,
        final ClientThread producerThread,
        final String queue,
        final long messages)
    {
        final PassControl control = new PassControl(TimeUnit.SECONDS.toNanos(ctx.timeoutS()));
        final VerifyingConsumer consumer = new VerifyingConsumer(control, ctx.newIdleStrategy(), queue, messages,
            ctx.prefetch(), ctx.payloadBytes(), ctx.ackInHandler(), ctx.progress());
        final WindowedProducer producer = new WindowedProducer(
            control, ctx.newIdleStrategy(), queue, messages, ctx.window(), ctx.payloadBytes());

        final CpuSnapshot cpuBefore = CpuSnapshot.take();
        final Future<?> consumed = consumerThread.submit(consumer);
        final Future<?> produced = producerThread.submit(producer);
        await(consumed, control, ctx);
        await(produced, control, ctx);
        final CpuSnapshot cpuAfter = CpuSnapshot.take();

        final Throwable failure = control.failure();
        if (null != failure)
        {
            throw new IllegalStateException("pass on " + queue + " failed: " + failure.getMessage(), failure);
        }
        if (consumer.delivered() != messages || consumer.distinctSequences() != messages)
        {
            throw new IllegalStateException("pass on " + queue + " ended with " + consumer.delivered() +
                " deliveries and " + consumer.distinctSequences() + " distinct sequences, expected " + messages);
        }
        return new Pass(control, consumer, cpuAfter.since(cpuBefore, 10), cpuAfter.processCpuNsSince(cpuBefore));
    }

    /** Waits for a pass task; the tasks watch the deadline themselves, this only guards against a hung thread. */
    private static void await(final Future<?> task, final PassControl control, final HarnessContext ctx)
    {
        try
        {
            ClientThread.await(task, ctx.timeoutS() + JOIN_GRACE_S);
        }
        catch (final IllegalStateException ex)
        {
            control.fail(ex);
        }
    }

    private static ThroughputResult result(final HarnessContext ctx, final Daemon daemon, final Pass pass)
    {
        final Histogram latency = pass.consumer.latencyNs();
        final String stageLine = daemon.histograms().report();
        final int cut = stageLine.indexOf(" | since start");
        final PassControl control = pass.control;
        return new ThroughputResult(
            ctx.messages(),
            ctx.payloadBytes(),
            pass.consumer.distinctSequences(),
            control.lastDeliveryNs() - control.startNs(),
            control.lastReceiptNs() - control.startNs(),
            latency.getValueAtPercentile(50),
            latency.getValueAtPercentile(99),
            latency.getValueAtPercentile(99.9),
            latency.getMaxValue(),
            latency.getMean(),
            daemon.framesNotSent(),
            daemon.rejectedFrames(),
            cut > 0 ? stageLine.substring(0, cut) : stageLine,
            pass.cpu,
            pass.processCpuNs);
    }

    private record Pass(PassControl control, VerifyingConsumer consumer, String cpu, long processCpuNs)
    {
    }
}
