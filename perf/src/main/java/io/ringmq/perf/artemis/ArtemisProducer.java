package io.ringmq.perf.artemis;

import io.ringmq.perf.LatencyRecorder;
import io.ringmq.perf.OpenLoopSchedule;
import io.ringmq.perf.PassControl;
import org.HdrHistogram.Histogram;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.SendAcknowledgementHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Artemis' producer for both workloads: durable messages {@code 1..total} sent asynchronously with a
 * {@link SendAcknowledgementHandler} (Artemis' confirmation of a send: after the journal has it, synced when journal
 * sync is on, i.e. its receipt). Windowed (at most {@code window} unconfirmed) or open loop on a schedule. Each body
 * starts with the message number and the intended send time (big-endian, Artemis' buffer order), padded to the
 * payload size. Confirmations come in send order on one session, so the n-th confirmation is message n. In the
 * windowed mode it can record publish→receipt from each send's time: the receipt latency at saturation.
 */
final class ArtemisProducer implements Runnable, SendAcknowledgementHandler
{
    private final PassControl control;
    private final ClientSessionFactory factory;
    private final String queue;
    private final long total;
    private final int payloadBytes;
    private final int window;
    private final OpenLoopSchedule schedule;
    private final LatencyRecorder recorder;
    private final byte[] padding;
    /**
     * Windowed mode with receipt latency: send time of the sends in the window, at (number - 1) % window; written by
     * the producer's thread, read by Artemis' callback thread.
     */
    private final AtomicLongArray sendNs;
    /** Written by Artemis' callback thread only. */
    private final Histogram receiptNs;
    private final IdleStrategy idleStrategy = new YieldingIdleStrategy();
    private long sent;
    /** Written by Artemis' callback thread only. */
    private volatile long receipts;

    ArtemisProducer(
        final PassControl control,
        final ClientSessionFactory factory,
        final String queue,
        final long total,
        final int payloadBytes,
        final int window,
        final OpenLoopSchedule schedule,
        final LatencyRecorder recorder,
        final Histogram receiptNs)
    {
        this.control = control;
        this.factory = factory;
        this.queue = queue;
        this.total = total;
        this.payloadBytes = payloadBytes;
        this.window = window;
        this.schedule = schedule;
        this.recorder = recorder;
        this.receiptNs = null == schedule ? receiptNs : null;
        this.sendNs = null == this.receiptNs ? null : new AtomicLongArray(window);
        this.padding = new byte[payloadBytes - 2 * Long.BYTES];
    }

    public void run()
    {
        try (ClientSession session = factory.createSession(true, true);
            ClientProducer producer = session.createProducer(queue))
        {
            if (!control.awaitConsumerReady())
            {
                return;
            }
            final long startNs = System.nanoTime();
            if (null != schedule)
            {
                schedule.start(startNs);
            }
            control.startNs(startNs);
            while (receipts < total && !control.isAborted())
            {
                int workCount = 0;
                final long nowNs = System.nanoTime();
                while (sent < total && workCount < 64 && isDue(nowNs))
                {
                    sent++;
                    final ClientMessage message = session.createMessage(true);
                    final ActiveMQBuffer body = message.getBodyBuffer();
                    body.writeLong(sent);
                    body.writeLong(null == schedule ? nowNs : schedule.intendedNs(sent));
                    body.writeBytes(padding, 0, padding.length);
                    if (null != sendNs)
                    {
                        sendNs.set((int)((sent - 1) % window), System.nanoTime());
                    }
                    producer.send(message, this);
                    workCount++;
                }
                if (0 == workCount && control.isPastDeadline(nowNs))
                {
                    control.fail(new IllegalStateException("Artemis producer timed out: sent " + sent + " of " +
                        total + ", confirmed " + receipts));
                }
                idleStrategy.idle(workCount);
            }
            control.producerDone();
        }
        catch (final Throwable throwable)
        {
            control.fail(throwable);
        }
    }

    private boolean isDue(final long nowNs)
    {
        return null == schedule ? sent - receipts < window : schedule.intendedNs(sent + 1) - nowNs <= 0;
    }

    public void sendAcknowledged(final Message message)
    {
        final long number = receipts + 1;
        if (null != recorder)
        {
            recorder.onReceipted(number, schedule.intendedNs(number), System.nanoTime());
        }
        else if (null != receiptNs)
        {
            LatencyRecorder.record(receiptNs, System.nanoTime() - sendNs.get((int)((number - 1) % window)));
        }
        receipts = number;
        if (number == total)
        {
            control.lastReceiptNs(System.nanoTime());
        }
    }

    public void sendFailed(final Message message, final Exception ex)
    {
        control.fail(new IllegalStateException("Artemis refused a send: " + ex.getMessage(), ex));
    }
}
