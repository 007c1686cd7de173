package io.ringmq.perf;

import io.ringmq.client.Delivery;
import io.ringmq.client.MessageHandler;
import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.Consumer;

/**
 * The requesting side of ping-pong: publishes message {@code n} to the ping queue, waits for it to come back on the
 * pong queue, records the round trip, acks it, sends {@code n + 1}. One in flight, so this is a closed loop: it
 * measures the round trip of an otherwise idle system (two journalled publishes, two deliveries).
 */
final class PingRequester implements Consumer<RingmqClient>, MessageHandler
{
    private final PassControl control;
    private final IdleStrategy idleStrategy;
    private final String pingQueue;
    private final String pongQueue;
    private final long total;
    private final long warmup;
    private final Histogram rttNs;
    private final Progress progress;
    private final UnsafeBuffer payload;
    private long awaitedNumber;
    private boolean returned;

    PingRequester(
        final PassControl control,
        final IdleStrategy idleStrategy,
        final String pingQueue,
        final String pongQueue,
        final LatencyWorkload workload,
        final Histogram rttNs,
        final Progress progress)
    {
        this.control = control;
        this.idleStrategy = idleStrategy;
        this.pingQueue = pingQueue;
        this.pongQueue = pongQueue;
        this.total = workload.totalMessages();
        this.warmup = workload.warmupMessages();
        this.rttNs = rttNs;
        this.progress = progress;
        this.payload = new UnsafeBuffer(new byte[workload.payloadBytes()]);
    }

    public void accept(final RingmqClient client)
    {
        try
        {
            final Publisher ping = client.publisher(pingQueue);
            client.consumer(pongQueue, CompetingConsumer.GROUP, 16, this);
            if (!control.awaitConsumerReady())
            {
                return;
            }
            control.startNs(System.nanoTime());
            for (long number = 1; number <= total && !control.isAborted(); number++)
            {
                if (number == warmup + 1)
                {
                    MeasuredPassMark.announce("ping-pong");
                }
                final long sentNs = System.nanoTime();
                MessageStamp.write(payload, 0, number, sentNs);
                awaitedNumber = number;
                returned = false;
                ping.publish(payload, 0, payload.capacity());
                while (!returned && !control.isAborted())
                {
                    final int workCount = client.poll();
                    if (0 == workCount && control.isPastDeadline(System.nanoTime()))
                    {
                        control.fail(new IllegalStateException("ping " + number + " did not come back"));
                    }
                    idleStrategy.idle(workCount);
                }
                final long rtt = System.nanoTime() - sentNs;
                if (number > warmup)
                {
                    LatencyRecorder.record(rttNs, rtt);
                }
                progress.add(1);
            }
            control.lastDeliveryNs(System.nanoTime());
            control.producerDone();
        }
        catch (final Throwable throwable)
        {
            control.fail(throwable);
        }
    }

    /**
     * Acks every pong (sent after the poll, before the next ping, as the ack after the loop was), and takes only the
     * awaited one as the round trip's end: a pong of an earlier ping (a second answer to a ping redelivered after its
     * visibility timeout, or a pong redelivered) must neither end a round trip nor, arriving after the awaited one in
     * the same poll, hide it; unacked, it would come back every visibility timeout.
     */
    public void onMessage(final Delivery delivery)
    {
        delivery.ack();
        if (MessageStamp.number(delivery.buffer(), delivery.payloadOffset()) == awaitedNumber)
        {
            returned = true;
        }
    }
}
