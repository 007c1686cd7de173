package io.ringmq.perf;

import io.ringmq.client.Publisher;
import io.ringmq.client.ReceiptListener;
import io.ringmq.client.RingmqClient;
import io.ringmq.codecs.ErrorCode;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.Consumer;

/**
 * Publishes messages {@code 1..total} to a fresh queue on an {@link OpenLoopSchedule}, stamping each payload with
 * its number and intended send time, and records publish→receipt from that intended time. Sends whatever is due,
 * polls for receipts in between, never waits for a receipt before sending: the offered rate does not depend on the
 * system under test. One producer on a fresh queue gets sequence {@code n} for message {@code n}, which is how a
 * receipt finds its intended time. Runs on its own {@link ClientThread}.
 */
final class OpenLoopPublisher implements Consumer<RingmqClient>, ReceiptListener
{
    /** Most publishes between two polls when the publisher is behind schedule. */
    private static final int BURST = 64;

    private final PassControl control;
    private final IdleStrategy idleStrategy;
    private final String queue;
    private final long total;
    private final OpenLoopSchedule schedule;
    private final LatencyRecorder recorder;
    private final UnsafeBuffer payload;
    private long sent;
    private long receipts;

    OpenLoopPublisher(
        final PassControl control,
        final IdleStrategy idleStrategy,
        final String queue,
        final LatencyWorkload workload,
        final OpenLoopSchedule schedule,
        final LatencyRecorder recorder)
    {
        this.control = control;
        this.idleStrategy = idleStrategy;
        this.queue = queue;
        this.total = workload.totalMessages();
        this.schedule = schedule;
        this.recorder = recorder;
        this.payload = new UnsafeBuffer(new byte[workload.payloadBytes()]);
    }

    public void accept(final RingmqClient client)
    {
        try
        {
            final Publisher publisher = client.publisher(queue, this);
            if (!control.awaitConsumerReady())
            {
                return;
            }
            final long startNs = System.nanoTime();
            schedule.start(startNs);
            control.startNs(startNs);
            while (receipts < total && !control.isAborted())
            {
                int workCount = 0;
                final long nowNs = System.nanoTime();
                while (sent < total && workCount < BURST && schedule.intendedNs(sent + 1) - nowNs <= 0)
                {
                    sent++;
                    MessageStamp.write(payload, 0, sent, schedule.intendedNs(sent));
                    publisher.publish(payload, 0, payload.capacity());
                    workCount++;
                }
                workCount += client.poll();
                if (0 == workCount && control.isPastDeadline(nowNs))
                {
                    control.fail(new IllegalStateException("publisher timed out: sent " + sent + " of " + total +
                        ", receipts " + receipts));
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

    public void onReceipt(final long correlationId, final long sequence)
    {
        receipts++;
        if (sequence != receipts)
        {
            control.fail(new IllegalStateException("receipt " + receipts + " names sequence " + sequence));
            return;
        }
        recorder.onReceipted(sequence, schedule.intendedNs(sequence), System.nanoTime());
        if (receipts == total)
        {
            control.lastReceiptNs(System.nanoTime());
        }
    }

    public void onError(final long correlationId, final ErrorCode code, final String message)
    {
        control.fail(new IllegalStateException("publish " + correlationId + " refused: " + code + " " + message));
    }
}
