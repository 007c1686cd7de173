package io.ringmq.perf;

import io.ringmq.perf.process.ProcessCpu;
import org.agrona.concurrent.IdleStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the systems ringmq is compared with (the raw limit, Artemis) share as {@link Contender}s: the passes. A
 * system supplies a {@link Broker} (started fresh for a run: new directories) that makes the producers and the
 * consumers of a pass; this class runs them, each on a thread of its own, and checks the outcome with the same rules
 * as ringmq's {@link IpcThroughputHarness}: the group got every message of every producer exactly once, each consumer
 * saw each producer's messages in order, each producer's receipts came in its send order, and, where the system
 * gives queue sequences, they increase and no two messages share one.
 * <ul>
 *   <li>throughput: N producers, M consumers competing for one queue, a warm-up pass first (on another queue, or on
 *   a system of its own where {@link #systemPerPass()}), a wait for the JIT to settle ({@link JitSettle}), then the
 *   measured pass;</li>
 *   <li>latency: 1 producer on an open-loop schedule, 1 consumer.</li>
 * </ul>
 */
public abstract class PeerContender implements Contender
{
    private static final String QUEUE = "perf";
    private static final long JOIN_GRACE_MS = TimeUnit.SECONDS.toMillis(30);

    /** A started system: makes the producers and consumers of its passes. Closing it removes its directories. */
    public interface Broker extends AutoCloseable
    {
        /** Readies {@code queue} for a pass, before its consumers and producers start. */
        default void declare(final String queue)
        {
        }

        Producer producer(ProducerPlan plan);

        Consumer consumer(ConsumerPlan plan);

        /** The system's own process where it runs in one (its CPU is counted, its JIT waited for); null if here. */
        default ProcessCpu serverProcess()
        {
            return null;
        }

        void close();
    }

    /**
     * What one producer of a pass is to do (see {@link StampingProducer}).
     *
     * @param window   most sends without a receipt; 0 with a schedule.
     * @param schedule the open-loop schedule (latency), or null (throughput).
     * @param recorder where the open-loop latencies go, or null.
     */
    public record ProducerPlan(
        PassControl control, String queue, int index, long messages, int payloadBytes, int window,
        OpenLoopSchedule schedule, LatencyRecorder recorder)
    {
    }

    /**
     * What one consumer of a pass is to do (see {@link GroupConsumer}).
     *
     * @param recorder where the open-loop latencies go, or null.
     */
    public record ConsumerPlan(ConsumerGroup group, String queue, int index, int payloadBytes, LatencyRecorder recorder)
    {
    }

    /** A producer of a peer system: a {@link StampingProducer} that runs on a thread of its own. */
    public abstract static class Producer extends StampingProducer implements Runnable
    {
        protected Producer(final ProducerPlan plan, final boolean sequenced, final IdleStrategy idleStrategy)
        {
            super(plan.control(), plan.index(), plan.messages(), plan.window(), sequenced, plan.schedule(),
                plan.recorder(), idleStrategy);
        }
    }

    /** A consumer of a peer system: a {@link GroupConsumer} that runs on a thread of its own. */
    public abstract static class Consumer extends GroupConsumer implements Runnable
    {
        protected Consumer(final ConsumerPlan plan)
        {
            super(plan.group(), plan.index(), plan.recorder());
        }
    }

    /** Starts the system for a run with this many producers and consumers. */
    protected abstract Broker start(FsyncMode fsync, int producers, int consumers);

    /** Whether the system's receipts and deliveries carry a queue sequence to check. */
    protected abstract boolean sequenced();

    /** Whether each pass needs a system of its own; otherwise the warm-up uses the measured run's, on another queue. */
    protected boolean systemPerPass()
    {
        return false;
    }

    public final ThroughputFigures throughput(final ThroughputWorkload workload, final Progress progress)
    {
        final List<ThroughputWorkload.WarmupPass> warmupPasses = workload.warmupPasses();
        if (systemPerPass())
        {
            warmupPasses.forEach((warmupPass) -> warmupOnASystemOfItsOwn(workload, warmupPass));
        }
        try (Broker broker = start(workload.fsync(), workload.producers(), workload.consumers()))
        {
            if (!systemPerPass())
            {
                warmupPasses.forEach((warmupPass) -> warmup(broker, workload, warmupPass));
            }
            final ProcessCpu server = broker.serverProcess();
            if (!warmupPasses.isEmpty())
            {
                progress.note("warm-up: " + JitSettle.await().format() + (null == server ? "" :
                    "; the server's process: " + JitSettle.await(server).format()));
            }
            final long cpuBeforeNs = CpuSnapshot.processCpuTime();
            final long serverCpuBeforeNs = null == server ? -1 : server.cpuNs();
            final Pass pass = runPass(broker, QUEUE, workload.messagesPerProducer(), workload.consumers(),
                workload.payloadBytes(), workload.window(), null, null, progress, workload.timeoutS());
            final long cpuNs = CpuSnapshot.processCpuTime() - cpuBeforeNs;
            final long serverCpuAfterNs = null == server ? -1 : server.cpuNs();
            final long serverCpuNs = serverCpuBeforeNs < 0 || serverCpuAfterNs < 0 ? -1 :
                serverCpuAfterNs - serverCpuBeforeNs;
            final boolean known = cpuBeforeNs >= 0 && (null == server || serverCpuNs >= 0);
            return new ThroughputFigures(name(), workload, pass.control.lastDeliveryNs() - pass.control.startNs(),
                known ? cpuNs + Math.max(0, serverCpuNs) : -1, StampingProducer.receiptNs(pass.producers),
                serverCpuNs);
        }
    }

    private void warmupOnASystemOfItsOwn(final ThroughputWorkload workload, final ThroughputWorkload.WarmupPass pass)
    {
        try (Broker broker = start(workload.fsync(), workload.producers(), workload.consumers()))
        {
            warmup(broker, workload, pass);
        }
    }

    private void warmup(final Broker broker, final ThroughputWorkload workload, final ThroughputWorkload.WarmupPass pass)
    {
        runPass(broker, pass.queue(), ThroughputWorkload.split(pass.messages(), workload.producers()),
            workload.consumers(), workload.payloadBytes(), workload.window(), null, null, Progress.silent(),
            workload.timeoutS());
    }

    public final LatencyResult latency(final LatencyWorkload workload, final Progress progress)
    {
        try (Broker broker = start(workload.fsync(), 1, 1))
        {
            final LatencyRecorder recorder = new LatencyRecorder(workload.warmupMessages());
            final long startMs = System.currentTimeMillis();
            runPass(broker, QUEUE, new long[] {workload.totalMessages()}, 1, workload.payloadBytes(), 0,
                new OpenLoopSchedule(workload.ratePerSecond()), recorder, progress, workload.timeoutS());
            return new LatencyResult(name(), workload.describe(), workload.fsync(), false, recorder.deliverNs(),
                recorder.receiptNs(), startMs, System.currentTimeMillis(), null);
        }
    }

    private Pass runPass(
        final Broker broker,
        final String queue,
        final long[] perProducer,
        final int consumerCount,
        final int payloadBytes,
        final int window,
        final OpenLoopSchedule schedule,
        final LatencyRecorder recorder,
        final Progress progress,
        final int timeoutS)
    {
        final PassControl control = new PassControl(
            TimeUnit.SECONDS.toNanos(timeoutS), perProducer.length, consumerCount);
        broker.declare(queue);
        final ConsumerGroup group = new ConsumerGroup(control, perProducer, sequenced(), progress);
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < consumerCount; i++)
        {
            threads.add(new Thread(broker.consumer(new ConsumerPlan(group, queue, i, payloadBytes, recorder)),
                name() + "-consumer-" + i));
        }
        final List<Producer> producers = new ArrayList<>();
        for (int i = 0; i < perProducer.length; i++)
        {
            final Producer producer = broker.producer(new ProducerPlan(control, queue, i, perProducer[i], payloadBytes,
                window, schedule, recorder));
            producers.add(producer);
            threads.add(new Thread(producer, name() + "-producer-" + i));
        }
        threads.forEach(Thread::start);
        threads.forEach((thread) -> join(thread, control, timeoutS));

        final String pass = name() + " pass on " + queue;
        final Throwable failure = control.failure();
        if (null != failure)
        {
            throw new IllegalStateException(pass + " failed: " + failure.getMessage(), failure);
        }
        group.checkExactlyOnce(pass);
        if (sequenced())
        {
            StampingProducer.checkDistinctSequences(pass, group.totalMessages(), producers);
        }
        return new Pass(control, producers);
    }

    /** Waits for a pass thread; the threads watch the deadline themselves, this only guards against a hung one. */
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

    private record Pass(PassControl control, List<Producer> producers)
    {
    }
}
