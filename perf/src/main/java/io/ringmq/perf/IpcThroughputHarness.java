package io.ringmq.perf;

import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.Daemon;
import org.HdrHistogram.Histogram;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of N producers to M competing consumers (1 and 1 by default) over Aeron IPC, through the whole daemon,
 * persistent and acked:
 * <pre>
 *  perf-producer-0..N-1 ─publish▶ ingress ─▶ ring ─▶ journal ─▶ dispatch ─┬─receipt─▶ the producer that sent it
 *  (each a window of unreceipted)                                         └─deliver─▶ perf-consumer-0..M-1 ─ack▶ ...
 * </pre>
 * One daemon runs in this process (fresh temp data dir, fresh Aeron dir {@code /dev/shm/ringmq-perf-<uuid>});
 * every producer ({@link StampedProducer}) and every consumer ({@link CompetingConsumer}, all in one group) has its
 * own thread and its own {@code RingmqClient}, kept across the passes. The warm-up comes first: two passes on other
 * queues, then a wait for the JIT to finish compiling what they warmed up (see {@link ThroughputWorkload}).
 * The measured pass publishes a fixed count split between the producers, times first publish to last delivery acked
 * and to last receipt, and records publish→receipt of every message from its send time (the receipt latency at
 * saturation: closed loop, queueing behind the window included), publish→deliver, and ingress→consumer.
 * <p>
 * Every message is checked: the group gets each exactly once, at the first attempt, with the size sent; each
 * consumer sees queue sequences increasing and each producer's messages in the order they were sent; each
 * producer's receipts come in its publish order with increasing sequences, and no two messages share a sequence.
 * Any violation fails the run. With one producer and one consumer that is: sequences 1..N, in order, exactly once.
 */
public final class IpcThroughputHarness
{
    static final String QUEUE = "perf-throughput";
    private static final long JOIN_GRACE_S = 30;

    private IpcThroughputHarness()
    {
    }

    public static void main(final String[] args)
    {
        PerfMain.runAndExit(() ->
        {
            if (Arrays.asList(args).contains("--help"))
            {
                System.out.println(HarnessContext.USAGE);
                return;
            }
            final HarnessContext ctx = new HarnessContext().parse(args).conclude();
            System.out.println(run(ctx, System.out).format());
        });
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
     * @throws IllegalArgumentException if the settings cannot make a run.
     * @throws IllegalStateException    if a message was lost, duplicated, reordered or refused, or a pass timed out.
     */
    public static ThroughputResult run(final HarnessContext ctx, final PrintStream log)
    {
        ctx.conclude();
        MessageStamp.requireRoom(ctx.payloadBytes());
        if (ctx.messages() < ctx.producers())
        {
            throw new IllegalArgumentException("messages=" + ctx.messages() + " must be >= producers=" +
                ctx.producers());
        }
        try (InProcessDaemon server = InProcessDaemon.launch(daemonSettings(ctx)))
        {
            final Daemon daemon = server.daemon();
            final RingmqConfig config = daemon.config();
            log.printf("daemon: aeron %s, ipc term %s, ring %d, max message %s, fsync %s, data %s%n",
                config.aeronDir(), ctx.ipcTermLength(), config.ringSize(), ctx.maxMessageBytes(),
                config.journalFsync(), config.dataDir());
            final List<ClientThread> consumerThreads = new ArrayList<>();
            final List<ClientThread> producerThreads = new ArrayList<>();
            final ThroughputResult result;
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

    /** The harness's daemon settings over any other {@code -Dringmq.*} daemon key; directories are always fresh. */
    static Map<String, String> daemonSettings(final HarnessContext ctx)
    {
        final Map<String, String> values = new HashMap<>(ctx.daemonSettings());
        values.put("ringmq.aeron.ipc.term.length", ctx.ipcTermLength());
        values.put("ringmq.max.message.bytes", ctx.maxMessageBytes());
        values.put("ringmq.ring.size", Integer.toString(ctx.ringSize()));
        return values;
    }

    private static ThroughputResult runPasses(
        final HarnessContext ctx,
        final PrintStream log,
        final Daemon daemon,
        final List<ClientThread> consumerThreads,
        final List<ClientThread> producerThreads)
    {
        final List<ThroughputWorkload.WarmupPass> warmupPasses =
            ThroughputWorkload.warmupPasses(ctx.warmupMessages(), ctx.producers());
        for (final ThroughputWorkload.WarmupPass warmupPass : warmupPasses)
        {
            log.printf("warm-up: %,d messages on %s...%n", warmupPass.messages(), warmupPass.queue());
            final Pass warmup = runPass(ctx, consumerThreads, producerThreads, warmupPass.queue(),
                warmupPass.messages(), Progress.silent());
            log.printf("warm-up: done, %,.0f msg/s%n", warmupPass.messages() * 1e9 /
                Math.max(1, warmup.control.lastDeliveryNs() - warmup.control.startNs()));
        }
        if (!warmupPasses.isEmpty())
        {
            final String settled = JitSettle.await().format();
            log.printf("warm-up: %s%n", settled);
            ctx.progress().note("warm-up: " + settled);
        }
        daemon.histograms().report(); // forget the warm-up: the next report covers the measured pass only

        log.printf("measured: %,d messages of %d B on %s, %d producers x %d consumers, window %d per producer, " +
            "prefetch %d per consumer, client idle %s, acks %s (JVM uptime %d ms)...%n", ctx.messages(),
            ctx.payloadBytes(), QUEUE, ctx.producers(), ctx.consumers(), ctx.window(), ctx.prefetch(), ctx.clientIdle(),
            ctx.ackInHandler() ? "in the handler" : "after each poll", ManagementFactory.getRuntimeMXBean().getUptime());
        final Pass pass = runPass(ctx, consumerThreads, producerThreads, QUEUE, ctx.messages(), ctx.progress());
        return result(ctx, daemon, pass);
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
        final long[] perProducer = ThroughputWorkload.split(messages, producerCount);
        final PassControl control = new PassControl(
            TimeUnit.SECONDS.toNanos(ctx.timeoutS()), producerCount, consumerThreads.size());
        final ConsumerGroup group = new ConsumerGroup(control, perProducer, true, progress);
        final List<CompetingConsumer> consumers = new ArrayList<>();
        for (int i = 0; i < consumerThreads.size(); i++)
        {
            consumers.add(new CompetingConsumer(group, ctx.newIdleStrategy(), queue, i, ctx.prefetch(),
                ctx.payloadBytes(), ctx.ackInHandler()));
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
        final String pass = "pass on " + queue;
        if (null != failure)
        {
            throw new IllegalStateException(pass + " failed: " + failure.getMessage(), failure);
        }
        group.checkExactlyOnce(pass);
        StampingProducer.checkDistinctSequences(pass, messages, producers);
        return new Pass(control, group, consumers, producers, cpuAfter.since(cpuBefore, 10),
            cpuAfter.processCpuNsSince(cpuBefore));
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
        final ThroughputWorkload workload = new ThroughputWorkload(ctx.messages(), ctx.warmupMessages(),
            ctx.payloadBytes(), ctx.window(), FsyncMode.parse(daemon.config().journalFsync().name()), ctx.timeoutS(),
            ctx.producers(), ctx.consumers());
        final PassControl control = pass.control;
        final ThroughputFigures figures = new ThroughputFigures("ringmq", workload,
            control.lastDeliveryNs() - control.startNs(), pass.processCpuNs,
            StampingProducer.receiptNs(pass.producers));
        final Histogram ingressToConsumerNs = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
        pass.consumers.forEach((consumer) -> ingressToConsumerNs.add(consumer.ingressToConsumerNs()));
        final String stageLine = daemon.histograms().report();
        final int cut = stageLine.indexOf(" | since start");
        return new ThroughputResult(
            figures,
            control.lastReceiptNs() - control.startNs(),
            pass.group.deliveredPerConsumer(),
            pass.group.deliverNs(),
            ingressToConsumerNs,
            daemon.framesNotSent(),
            daemon.rejectedFrames(),
            cut > 0 ? stageLine.substring(0, cut) : stageLine,
            pass.cpu);
    }

    private record Pass(
        PassControl control,
        ConsumerGroup group,
        List<CompetingConsumer> consumers,
        List<StampedProducer> producers,
        String cpu,
        long processCpuNs)
    {
    }
}
