package io.ringmq.perf;

import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.Daemon;
import io.ringmq.perf.idle.ThreadCpuTimes;
import io.ringmq.perf.process.DaemonProcess;
import io.ringmq.perf.process.ProcessCpu;
import org.agrona.concurrent.IdleStrategy;
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
import java.util.function.Supplier;

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
 * <p>
 * {@link #run(HarnessContext, RingmqDeployment, PrintStream)} runs the same passes in the deployment shape
 * ({@link RingmqDeployment#process}): the daemon as its own process with its defaults (only the context's daemon
 * settings, the journal fsync, over them), the clients with the Java client's default settings and the passes' poll
 * loops idling as its blocking calls do; the warm-up also waits for the daemon's JIT, and the CPU figures add the
 * daemon process's to this one's. The daemon's own histograms and counters are then not read.
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
        return run(ctx, RingmqDeployment.inProcess(), log);
    }

    /** The same with the daemon where the deployment puts it; the result's system is the deployment's. */
    public static ThroughputResult run(final HarnessContext ctx, final RingmqDeployment deployment, final PrintStream log)
    {
        ctx.conclude();
        MessageStamp.requireRoom(ctx.payloadBytes());
        if (ctx.messages() < ctx.producers())
        {
            throw new IllegalArgumentException("messages=" + ctx.messages() + " must be >= producers=" +
                ctx.producers());
        }
        final Map<String, String> settings = deployment.isProcess() ? ctx.daemonSettings() : daemonSettings(ctx);
        try (RingmqServer server = deployment.launch(settings))
        {
            final RunDaemon run;
            if (server instanceof InProcessDaemon inProcess)
            {
                final RingmqConfig config = inProcess.daemon().config();
                log.printf("daemon: aeron %s, ipc term %s, ring %d, max message %s, fsync %s, data %s%n",
                    config.aeronDir(), ctx.ipcTermLength(), config.ringSize(), ctx.maxMessageBytes(),
                    config.journalFsync(), config.dataDir());
                run = new RunDaemon(deployment, inProcess.daemon(), null, ctx::newIdleStrategy);
            }
            else
            {
                final long pid = ((DaemonProcess)server).pid();
                log.printf("daemon: its own process %d (%s), its defaults and %s%n", pid, deployment.describe(),
                    settings);
                run = new RunDaemon(deployment, null, new ProcessCpu(pid), deployment::loopIdleStrategy);
            }
            final List<ClientThread> consumerThreads = new ArrayList<>();
            final List<ClientThread> producerThreads = new ArrayList<>();
            final ThroughputResult result;
            try
            {
                for (int i = 0; i < ctx.consumers(); i++)
                {
                    consumerThreads.add(clientThread(server, run, ctx, "perf-consumer-" + i));
                }
                for (int i = 0; i < ctx.producers(); i++)
                {
                    producerThreads.add(clientThread(server, run, ctx, "perf-producer-" + i));
                }
                result = runPasses(ctx, log, run, consumerThreads, producerThreads);
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

    /**
     * The daemon of a run and what the passes do for it: the daemon object in this JVM, or its process; the idle
     * strategy of the passes' poll loops.
     */
    private record RunDaemon(RingmqDeployment deployment, Daemon daemon, ProcessCpu daemonProcess,
        Supplier<IdleStrategy> loopIdle)
    {
    }

    private static ThroughputResult runPasses(
        final HarnessContext ctx,
        final PrintStream log,
        final RunDaemon run,
        final List<ClientThread> consumerThreads,
        final List<ClientThread> producerThreads)
    {
        final List<ThroughputWorkload.WarmupPass> warmupPasses =
            ThroughputWorkload.warmupPasses(ctx.warmupMessages(), ctx.producers());
        for (final ThroughputWorkload.WarmupPass warmupPass : warmupPasses)
        {
            log.printf("warm-up: %,d messages on %s...%n", warmupPass.messages(), warmupPass.queue());
            final Pass warmup = runPass(ctx, run, consumerThreads, producerThreads, warmupPass.queue(),
                warmupPass.messages(), Progress.silent());
            log.printf("warm-up: done, %,.0f msg/s%n", warmupPass.messages() * 1e9 /
                Math.max(1, warmup.control.lastDeliveryNs() - warmup.control.startNs()));
        }
        if (!warmupPasses.isEmpty())
        {
            final String settled = JitSettle.await().format() + (null == run.daemonProcess ? "" :
                "; the daemon's process: " + JitSettle.await(run.daemonProcess).format());
            log.printf("warm-up: %s%n", settled);
            ctx.progress().note("warm-up: " + settled);
        }
        if (null != run.daemon)
        {
            run.daemon.histograms().report(); // forget the warm-up: the next report covers the measured pass only
        }

        log.printf("measured: %,d messages of %d B on %s, %d producers x %d consumers, window %d per producer, " +
            "prefetch %d per consumer, client idle %s, acks %s (JVM uptime %d ms)...%n", ctx.messages(),
            ctx.payloadBytes(), QUEUE, ctx.producers(), ctx.consumers(), ctx.window(), ctx.prefetch(),
            run.deployment.isProcess() ? "the client's default" : ctx.clientIdle(),
            ctx.ackInHandler() ? "in the handler" : "after each poll", ManagementFactory.getRuntimeMXBean().getUptime());
        final Pass pass = runPass(ctx, run, consumerThreads, producerThreads, QUEUE, ctx.messages(),
            ctx.progress());
        ctx.progress().note("cpu of the measured pass: " + pass.cpu);
        return result(ctx, run, pass);
    }

    private static ClientThread clientThread(
        final RingmqServer server, final RunDaemon run, final HarnessContext ctx, final String name)
    {
        return new ClientThread(name, run.deployment.isProcess() ? run.deployment.clientContext(server, name) :
            ((InProcessDaemon)server).clientContext(name, ctx.newIdleStrategy()), ctx.timeoutS());
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
        final RunDaemon run,
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
            consumers.add(new CompetingConsumer(group, run.loopIdle.get(), queue, i, ctx.prefetch(),
                ctx.payloadBytes(), ctx.ackInHandler()));
        }
        final List<StampedProducer> producers = new ArrayList<>();
        for (int i = 0; i < producerCount; i++)
        {
            producers.add(new StampedProducer(control, run.loopIdle.get(), queue, i, perProducer[i], ctx.window(),
                ctx.payloadBytes()));
        }

        final CpuSnapshot cpuBefore = CpuSnapshot.take();
        final long daemonCpuBeforeNs = null == run.daemonProcess ? -1 : run.daemonProcess.cpuNs();
        final ThreadCpuTimes daemonThreadsBefore = null == run.daemonProcess ? null : run.daemonProcess.threads();
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
        final long daemonCpuAfterNs = null == run.daemonProcess ? -1 : run.daemonProcess.cpuNs();
        final long daemonCpuNs = daemonCpuBeforeNs < 0 || daemonCpuAfterNs < 0 ? -1 :
            daemonCpuAfterNs - daemonCpuBeforeNs;
        final String daemonCpu = null == run.daemonProcess ? "" : " || the daemon's process: " +
            run.daemonProcess.since(daemonThreadsBefore, run.daemonProcess.threads(), 6);

        final Throwable failure = control.failure();
        final String pass = "pass on " + queue;
        if (null != failure)
        {
            throw new IllegalStateException(pass + " failed: " + failure.getMessage(), failure);
        }
        group.checkExactlyOnce(pass);
        StampingProducer.checkDistinctSequences(pass, messages, producers);
        final long harnessCpuNs = cpuAfter.processCpuNsSince(cpuBefore);
        return new Pass(control, group, consumers, producers, cpuAfter.since(cpuBefore, 10) + daemonCpu,
            null == run.daemonProcess ? harnessCpuNs :
            harnessCpuNs < 0 || daemonCpuNs < 0 ? -1 : harnessCpuNs + daemonCpuNs, daemonCpuNs);
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

    private static ThroughputResult result(final HarnessContext ctx, final RunDaemon run, final Pass pass)
    {
        final Daemon daemon = run.daemon;
        final FsyncMode fsync = null != daemon ? FsyncMode.parse(daemon.config().journalFsync().name()) :
            FsyncMode.parse(ctx.daemonSettings().getOrDefault("ringmq.journal.fsync", FsyncMode.NONE.name()));
        final ThroughputWorkload workload = new ThroughputWorkload(ctx.messages(), ctx.warmupMessages(),
            ctx.payloadBytes(), ctx.window(), fsync, ctx.timeoutS(), ctx.producers(), ctx.consumers());
        final PassControl control = pass.control;
        final ThroughputFigures figures = new ThroughputFigures(run.deployment.system(), workload,
            control.lastDeliveryNs() - control.startNs(), pass.processCpuNs,
            StampingProducer.receiptNs(pass.producers), pass.daemonCpuNs);
        final Histogram ingressToConsumerNs = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
        pass.consumers.forEach((consumer) -> ingressToConsumerNs.add(consumer.ingressToConsumerNs()));
        final String stageLine = null == daemon ? "stages: not read (the daemon runs in its own process)" :
            daemon.histograms().report();
        final int cut = stageLine.indexOf(" | since start");
        return new ThroughputResult(
            figures,
            control.lastReceiptNs() - control.startNs(),
            pass.group.deliveredPerConsumer(),
            pass.group.deliverNs(),
            ingressToConsumerNs,
            null == daemon ? -1 : daemon.framesNotSent(),
            null == daemon ? -1 : daemon.rejectedFrames(),
            cut > 0 ? stageLine.substring(0, cut) : stageLine,
            pass.cpu);
    }

    private record Pass(
        PassControl control,
        ConsumerGroup group,
        List<CompetingConsumer> consumers,
        List<StampedProducer> producers,
        String cpu,
        long processCpuNs,
        long daemonCpuNs)
    {
    }
}
