package io.ringmq.perf;

import io.ringmq.client.Delivery;
import io.ringmq.client.MessageHandler;
import io.ringmq.client.QueueConsumer;
import io.ringmq.client.RingmqClient;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.IdleStrategy;

import java.util.function.Consumer;

/**
 * Consumes the open-loop workload's queue, records publish→deliver from each payload's intended send time, checks
 * messages arrive in order, and acks each one after the poll that delivered it. Runs on its own
 * {@link ClientThread}.
 */
final class LatencyConsumer implements Consumer<RingmqClient>, MessageHandler
{
    private final PassControl control;
    private final IdleStrategy idleStrategy;
    private final String queue;
    private final long total;
    private final int prefetch;
    private final LatencyRecorder recorder;
    private final Progress progress;
    private final LongArrayList unackedSequences = new LongArrayList();
    private final IntArrayList unackedAttempts = new IntArrayList();
    private QueueConsumer queueConsumer;
    private long delivered;

    LatencyConsumer(
        final PassControl control,
        final IdleStrategy idleStrategy,
        final String queue,
        final long total,
        final int prefetch,
        final LatencyRecorder recorder,
        final Progress progress)
    {
        this.control = control;
        this.idleStrategy = idleStrategy;
        this.queue = queue;
        this.total = total;
        this.prefetch = prefetch;
        this.recorder = recorder;
        this.progress = progress;
    }

    public void accept(final RingmqClient client)
    {
        try
        {
            queueConsumer = client.consumer(queue, CompetingConsumer.GROUP, prefetch, this);
            control.consumerReady();
            while (delivered < total && !control.isAborted())
            {
                final int workCount = client.poll() + ackDelivered();
                if (0 == workCount && control.isPastDeadline(System.nanoTime()))
                {
                    control.fail(new IllegalStateException("consumer timed out: delivered " + delivered + " of " +
                        total));
                }
                idleStrategy.idle(workCount);
            }
            ackDelivered();
            control.lastDeliveryNs(System.nanoTime());
        }
        catch (final Throwable throwable)
        {
            control.fail(throwable);
        }
    }

    public void onMessage(final Delivery delivery)
    {
        final long nowNs = System.nanoTime();
        final long number = MessageStamp.number(delivery.buffer(), delivery.payloadOffset());
        if (number != delivered + 1 || 1 != delivery.attempt())
        {
            control.fail(new IllegalStateException("expected message " + (delivered + 1) + " at attempt 1, got " +
                number + " at attempt " + delivery.attempt()));
            return;
        }
        recorder.onDelivered(number, MessageStamp.intendedNs(delivery.buffer(), delivery.payloadOffset()), nowNs);
        delivered++;
        progress.add(1);
        unackedSequences.addLong(delivery.sequence());
        unackedAttempts.addInt(delivery.attempt());
    }

    private int ackDelivered()
    {
        int count = 0;
        for (int i = 0; i < unackedSequences.size(); i++) // an ack may poll and deliver more: acked here too
        {
            count++;
            queueConsumer.ack(unackedSequences.getLong(i), unackedAttempts.getInt(i));
        }
        unackedSequences.clear();
        unackedAttempts.clear();
        return count;
    }
}
