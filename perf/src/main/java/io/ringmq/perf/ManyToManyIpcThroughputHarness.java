package io.ringmq.perf;

import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.Daemon;
import org.HdrHistogram.Histogram;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput of N producers to M competing consumers over Aeron IPC, through the whole daemon, persistent and acked:
 * <pre>
 *  perf-producer-0..N-1 ─publish▶ daemon (one queue) ─┬─receipt─▶ the producer that sent it
 *  (each a window of unreceipted)                     └─deliver─▶ perf-consumer-0..M-1 (one group) ─ack▶ daemon
 * </pre>
 * One daemon runs in this process (fresh temp data dir, fresh Aeron dir); every producer and every consumer has its
 * own thread and its own {@code RingmqClient}. A warm-up pass on another queue comes first. The measured pass
 * publishes a fixed count split evenly between the producers, times first publish to last delivery acked and to
 * last receipt, and records publish→receipt of every message from its send time: the receipt latency at saturation
 * (closed loop, so queueing behind the window included). Every message is checked: the group gets each exactly
 * once, at the first attempt, each consumer sees each producer's messages in the order they were sent, no two
 * messages share a sequence, each producer's receipts come in its publish order. Any violation fails the run.
 */
public final class ManyToManyIpcThroughputHarness
{
    static final String QUEUE = "perf-throughput-nxm";
    static final String WARMUP_QUEUE = "perf-warmup-nxm";
    private static final long JOIN_GRACE_S = 30;

    private ManyToManyIpcThroughputHarness()
    {
    }

    public static void main(final String[] args)
    {
        if (Arrays.asList(args).contains("--help"))
        {
            System.out.println(HarnessContext.USAGE.replace("OneToOneIpcThroughputHarness",
                "ManyToManyIpcThroughputHarness"));
            return;
        }
        int status = 0;
        try
        {
            final HarnessContext ctx = new HarnessContext().parse(args).conclude();
            final ManyToManyResult result = run(ctx, System.out);
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
    public static ManyToManyResult run(final HarnessContext ctx)
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
    public static ManyToManyResult run(final HarnessContext ctx, final PrintStream log)
    {
        ctx.conclude();
        if (ctx.payloadBytes() < StampedProducer.MIN_PAYLOAD_BYTES)
        {
            throw new IllegalArgumentException("payloadBytes=" + ctx.payloadBytes() + " must be >= " +
                StampedProducer.MIN_PAYLOAD_BYTES + " (number, send time and producer index)");
        }
        if (ctx.messages() < ctx.producers())
        {
            throw new IllegalArgumentException("messages=" + ctx.messages() + " must be >= producers=" +
                ctx.producers());
        }
        try (InProcessDaemon server = InProcessDaemon.launch(OneToOneIpcThroughputHarness.daemonSettings(ctx)))
        {
            final Daemon daemon = server.daemon();
            final RingmqConfig config = daemon.config();
            log.printf("daemon: aeron %s, ipc term %s, ring %d, max message %s, fsync %s, data %s%n",
                config.aeronDir(), ctx.ipcTermLength(), config.ringSize(), ctx.maxMessageBytes(),
                config.journalFsync(), config.dataDir());
            final List<ClientThread> consumerThreads = new ArrayList<>();
            final List<ClientThread> producerThreads = new ArrayList<>();
            final ManyToManyResult result;
            try
            {
                for (int i = 0; i < ctx.consumers(); i++)
                {
                    consumerThreads.add(clientThread(server, ctx, "perf-consumer-" + i));
                }
                for (int i = 0; i < ctx.producers(); i++)
                {
                    producerThreads.add(clientThread(server, ctx, "perf-producer-" + i));
                }
                result = runPasses(ctx, log, daemon, consumerThreads, producerThreads);
            }
            catch (final RuntimeException | Error ex)
            {
                try
                {
                    closeAll(producerThreads, consumerThreads);
                }
                catch (final RuntimeException closeFailure)
                {
                    ex.addSuppressed(closeFailure);
                }
                throw ex;
            }
            closeAll(producerThreads, consumerThreads);
            return result;
        }
    }

    private static ManyToManyResult runPasses(
        final HarnessContext ctx,
        final PrintStream log,
        final Daemon daemon,
        final List<ClientThread> consumerThreads,
        final List<ClientThread> producerThreads)
    {
        if (ctx.warmupMessages() >= ctx.producers())
        {
            log.printf("warm-up: %,d messages on %s...%n", ctx.warmupMessages(), WARMUP_QUEUE);
            final Pass warmup = runPass(ctx, consumerThreads, producerThreads, WARMUP_QUEUE, ctx.warmupMessages(),
                Progress.silent());
            log.printf("warm-up: done, %,.0f msg/s%n", ctx.warmupMessages() * 1e9 /
                Math.max(1, warmup.control.lastDeliveryNs() - warmup.control.startNs()));
        }
        daemon.histograms().report(); // forget the warm-up: the next report covers the measured pass only

        log.printf("measured: %,d messages of %d B on %s, %d producers x %d consumers, window %d per producer, " +
            "prefetch %d per consumer, client idle %s, acks %s...%n", ctx.messages(), ctx.payloadBytes(), QUEUE,
            ctx.producers(), ctx.consumers(), ctx.window(), ctx.prefetch(), ctx.clientIdle(),
            ctx.ackInHandler() ? "in the handler (batched per poll)" : "after each poll");
        final Pass pass = runPass(ctx, consumerThreads, producerThreads, QUEUE, ctx.messages(), ctx.progress());
        return result(ctx, daemon, pass);
    }

    /** Splits {@code messages} between the producers, the first ones taking one more where it does not divide. */
    static long[] split(final long messages, final int producers)
    {
        final long[] counts = new long[producers];
        for (int i = 0; i < producers; i++)
        {
            counts[i] = messages / producers + (i < messages % producers ? 1 : 0);
        }
        return counts;
    }

    private static ClientThread clientThread(final InProcessDaemon server, final HarnessContext ctx, final String name)
    {
        return new ClientThread(name, server.clientContext(name, ctx.newIdleStrategy()), ctx.timeoutS());
    }

    /** Closes every client (each disconnects from the daemon); the first failure is thrown, the others suppressed. */
    @SafeVarargs
    private static void closeAll(final List<ClientThread>... groups)
    {
        RuntimeException failure = null;
        for (final List<ClientThread> threads : groups)
        {
            for (final ClientThread thread : threads)
            {
                try
                {
                    thread.close();
                }
                catch (final RuntimeException ex)
                {
                    if (null == failure)
                    {
                        failure = ex;
                    }
                    else
                    {
                        failure.addSuppressed(ex);
                    }
                }
            }
        }
        if (null != failure)
        {
            throw failure;
        }
    }

    private static Pass runPass(
        final HarnessContext ctx,
        final List<ClientThread> consumerThreads,
        final List<ClientThread> producerThreads,
        final String queue,
        final long messages,
        final Progress progress)
    {
        final int producerCount = producerThreads.size();
        final long[] perProducer = split(messages, producerCount);
        final PassControl control = new PassControl(
            TimeUnit.SECONDS.toNanos(ctx.timeoutS()), producerCount, consumerThreads.size());
        final AtomicLong ackedByAll = new AtomicLong();
        final List<CompetingConsumer> consumers = new ArrayList<>();
        for (int i = 0; i < consumerThreads.size(); i++)
        {
            consumers.add(new CompetingConsumer(control, ctx.newIdleStrategy(), queue, i, perProducer, ackedByAll,
                ctx.prefetch(), ctx.payloadBytes(), ctx.ackInHandler(), progress));
        }
        final List<StampedProducer> producers = new ArrayList<>();
        for (int i = 0; i < producerCount; i++)
        {
            producers.add(new StampedProducer(control, ctx.newIdleStrategy(), queue, i, perProducer[i], ctx.window(),
                ctx.payloadBytes()));
        }

        final CpuSnapshot cpuBefore = CpuSnapshot.take();
        final List<Future<?>> tasks = new ArrayList<>();
        for (int i = 0; i < consumers.size(); i++)
        {
            tasks.add(consumerThreads.get(i).submit(consumers.get(i)));
        }
        for (int i = 0; i < producers.size(); i++)
        {
            tasks.add(producerThreads.get(i).submit(producers.get(i)));
        }
        for (final Future<?> task : tasks)
        {
            await(task, control, ctx);
        }
        final CpuSnapshot cpuAfter = CpuSnapshot.take();

        final Throwable failure = control.failure();
        if (null != failure)
        {
            throw new IllegalStateException("pass on " + queue + " failed: " + failure.getMessage(), failure);
        }
        checkExactlyOnce(queue, perProducer, consumers);
        checkDistinctSequences(queue, messages, producers);
        return new Pass(control, consumers, producers, cpuAfter.since(cpuBefore, 10),
            cpuAfter.processCpuNsSince(cpuBefore));
    }

    /** The consumers, each checked for order as it went, together saw every producer's every message once. */
    private static void checkExactlyOnce(
        final String queue, final long[] perProducer, final List<CompetingConsumer> consumers)
    {
        for (int producer = 0; producer < perProducer.length; producer++)
        {
            final BitSet union = new BitSet();
            long sum = 0;
            for (final CompetingConsumer consumer : consumers)
            {
                final BitSet seen = consumer.seen(producer);
                sum += seen.cardinality();
                union.or(seen);
            }
            if (union.cardinality() != perProducer[producer] || sum != perProducer[producer])
            {
                throw new IllegalStateException("pass on " + queue + ": producer " + producer + " sent " +
                    perProducer[producer] + " messages, the group got " + union.cardinality() + " distinct ones in " +
                    sum + " deliveries");
            }
        }
    }

    /** No two messages were given the same sequence. */
    private static void checkDistinctSequences(
        final String queue, final long messages, final List<StampedProducer> producers)
    {
        final BitSet union = new BitSet();
        long sum = 0;
        for (final StampedProducer producer : producers)
        {
            sum += producer.receiptedSequences().cardinality();
            union.or(producer.receiptedSequences());
        }
        if (union.cardinality() != messages || sum != messages)
        {
            throw new IllegalStateException("pass on " + queue + ": " + messages + " receipts named " +
                union.cardinality() + " distinct sequences");
        }
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

    private static ManyToManyResult result(final HarnessContext ctx, final Daemon daemon, final Pass pass)
    {
        final Histogram receiptNs = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
        pass.producers.forEach((producer) -> receiptNs.add(producer.receiptNs()));
        final Histogram deliverNs = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
        pass.consumers.forEach((consumer) -> deliverNs.add(consumer.deliverNs()));
        final long[] deliveredPerConsumer = pass.consumers.stream().mapToLong(CompetingConsumer::delivered).toArray();
        final String stageLine = daemon.histograms().report();
        final int cut = stageLine.indexOf(" | since start");
        final PassControl control = pass.control;
        return new ManyToManyResult(
            ctx.producers(),
            ctx.consumers(),
            ctx.messages(),
            ctx.payloadBytes(),
            deliveredPerConsumer,
            control.lastDeliveryNs() - control.startNs(),
            control.lastReceiptNs() - control.startNs(),
            receiptNs,
            deliverNs,
            daemon.framesNotSent(),
            daemon.rejectedFrames(),
            cut > 0 ? stageLine.substring(0, cut) : stageLine,
            pass.cpu,
            pass.processCpuNs);
    }

    private record Pass(
        PassControl control,
        List<CompetingConsumer> consumers,
        List<StampedProducer> producers,
        String cpu,
        long processCpuNs)
    {
    }
}
