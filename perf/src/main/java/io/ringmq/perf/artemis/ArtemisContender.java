package io.ringmq.perf.artemis;

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
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

import java.util.concurrent.TimeUnit;

/**
 * ActiveMQ Artemis as a {@link Contender}: an {@link EmbeddedArtemis} broker per run, a durable anycast queue,
 * a producer thread with its own connection ({@link ArtemisProducer}) and a consumer with another
 * ({@link ArtemisConsumer}), core client over the in-VM transport.
 */
public final class ArtemisContender implements Contender
{
    private static final String QUEUE = "perf";
    private static final String WARMUP_QUEUE = "perf-warmup";

    public String name()
    {
        return "artemis";
    }

    public String setup(final FsyncMode fsync)
    {
        return "ActiveMQ Artemis 2.56.0 embedded, NIO journal, journal sync " + (FsyncMode.BATCH == fsync ?
            "on (datasync, buffer timeout group commit)" : "off") + ", durable messages, core client in-VM, " +
            "async sends confirmed by a confirmation window, auto-commit acks";
    }

    public ThroughputFigures throughput(final ThroughputWorkload workload, final Progress progress)
    {
        try (EmbeddedArtemis server = new EmbeddedArtemis(workload.fsync()))
        {
            if (workload.warmupMessages() > 0)
            {
                runPass(server, WARMUP_QUEUE, workload.warmupMessages(), workload.payloadBytes(), workload.window(),
                    null, null, null, Progress.silent(), workload.timeoutS());
            }
            final long cpuBeforeNs = CpuSnapshot.processCpuTime();
            final Histogram receiptNs = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
            final PassControl control = runPass(server, QUEUE, workload.messages(), workload.payloadBytes(),
                workload.window(), null, null, receiptNs, progress, workload.timeoutS());
            return new ThroughputFigures(name(), workload, control.lastDeliveryNs() - control.startNs(),
                CpuSnapshot.processCpuTime() - cpuBeforeNs, receiptNs);
        }
    }

    public LatencyResult latency(final LatencyWorkload workload, final Progress progress)
    {
        try (EmbeddedArtemis server = new EmbeddedArtemis(workload.fsync()))
        {
            final LatencyRecorder recorder = new LatencyRecorder(workload.warmupMessages());
            final long startMs = System.currentTimeMillis();
            runPass(server, QUEUE, workload.totalMessages(), workload.payloadBytes(), 0,
                new OpenLoopSchedule(workload.ratePerSecond()), recorder, null, progress, workload.timeoutS());
            return new LatencyResult(name(), workload.describe(), workload.fsync(), false, recorder.deliverNs(),
                recorder.receiptNs(), startMs, System.currentTimeMillis());
        }
    }

    private static PassControl runPass(
        final EmbeddedArtemis server,
        final String queue,
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
        try (ServerLocator locator = server.locator();
            ClientSessionFactory consumerFactory = locator.createSessionFactory();
            ClientSessionFactory producerFactory = locator.createSessionFactory();
            ClientSession consumerSession = consumerFactory.createSession(true, true))
        {
            consumerSession.createQueue(QueueConfiguration.of(queue)
                .setAddress(queue).setRoutingType(RoutingType.ANYCAST).setDurable(true));
            final ArtemisConsumer consumer = new ArtemisConsumer(control, messages, recorder, progress);
            try (ClientConsumer clientConsumer = consumerSession.createConsumer(queue))
            {
                clientConsumer.setMessageHandler(consumer);
                consumerSession.start();
                control.consumerReady();

                final Thread producer = new Thread(new ArtemisProducer(control, producerFactory, queue, messages,
                    payloadBytes, window, schedule, recorder, receiptNs), "artemis-producer");
                producer.start();
                while (!consumer.done().await(100, TimeUnit.MILLISECONDS) && !control.isAborted())
                {
                    if (control.isPastDeadline(System.nanoTime()))
                    {
                        control.fail(new IllegalStateException("Artemis pass timed out: " + progress.messages() +
                            " of " + messages + " consumed"));
                    }
                }
                producer.join(TimeUnit.SECONDS.toMillis(timeoutS));
                if (producer.isAlive())
                {
                    control.fail(new IllegalStateException("the Artemis producer did not finish"));
                }
            }
        }
        catch (final Exception ex)
        {
            control.fail(ex);
        }
        final Throwable failure = control.failure();
        if (null != failure)
        {
            throw new IllegalStateException("Artemis pass on " + queue + " failed: " + failure.getMessage(), failure);
        }
        return control;
    }
}
