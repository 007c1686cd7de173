package io.ringmq.perf.artemis;

import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.LatencyWorkload;
import io.ringmq.perf.OneAtATimeRecorder;
import io.ringmq.perf.OneAtATimeResult;
import io.ringmq.perf.Progress;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;

import java.util.concurrent.TimeUnit;

/**
 * Artemis' one-at-a-time durable publish, with the broker as its own process ({@link ArtemisProcess}): a core-client
 * producer sends durable messages to a durable anycast queue nobody consumes, each send blocking until the broker
 * confirms it (journalled; synced when sync is on): the counterpart of ringmq's {@code publishAndWait} in a loop.
 */
public final class ArtemisOneAtATime
{
    static final String QUEUE = "perf-one-at-a-time";

    private ArtemisOneAtATime()
    {
    }

    public static String setup(final FsyncMode fsync)
    {
        return "ActiveMQ Artemis 2.56.0 as its own process (`java " + ArtemisServerMain.class.getSimpleName() +
            "`, 1 GiB heap), NIO journal, journal sync " + (FsyncMode.BATCH == fsync ? "on" : "off") + ", core " +
            "client over TCP on loopback, durable sends blocking until the broker confirms each";
    }

    public static OneAtATimeResult run(final LatencyWorkload workload, final Progress progress)
    {
        final byte[] padding = new byte[workload.payloadBytes() - 2 * Long.BYTES];
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(workload.timeoutS());
        try (ArtemisProcess broker = new ArtemisProcess(workload.fsync()))
        {
            broker.declare(QUEUE);
            try (ClientSessionFactory factory = broker.connect();
                ClientSession session = factory.createSession(true, true);
                ClientProducer producer = session.createProducer(QUEUE))
            {
                final OneAtATimeRecorder recorder = new OneAtATimeRecorder(workload);
                for (long number = 1; number <= workload.totalMessages(); number++)
                {
                    final long sentNs = System.nanoTime();
                    final ClientMessage message = session.createMessage(true);
                    message.getBodyBuffer().writeLong(number);
                    message.getBodyBuffer().writeLong(sentNs);
                    message.getBodyBuffer().writeBytes(padding);
                    producer.send(message);
                    final long receiptNs = System.nanoTime();
                    recorder.onReceipt(number, sentNs, receiptNs);
                    progress.add(1);
                    if (receiptNs - deadlineNs > 0)
                    {
                        throw new IllegalStateException("ran out of time at publish " + number);
                    }
                }
                return recorder.result("artemis-process", OneAtATimeResult.describe(workload, "blocking durable " +
                    "send"), workload.fsync());
            }
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("Artemis one-at-a-time run failed: " + ex.getMessage(), ex);
        }
    }
}
