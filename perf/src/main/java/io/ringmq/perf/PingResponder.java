package io.ringmq.perf;

import io.ringmq.client.Delivery;
import io.ringmq.client.MessageHandler;
import io.ringmq.client.Publisher;
import io.ringmq.client.QueueConsumer;
import io.ringmq.client.RingmqClient;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.Consumer;

/**
 * The replying side of ping-pong: consumes the ping queue and publishes each payload, unchanged, to the pong queue,
 * then acks the ping. The publish and the ack happen after the poll that delivered the ping (not inside the
 * handler), as the client asks.
 */
final class PingResponder implements Consumer<RingmqClient>, MessageHandler
{
    private static final int PREFETCH = 16;

    private final PassControl control;
    private final IdleStrategy idleStrategy;
    private final String pingQueue;
    private final String pongQueue;
    /** Pings delivered by one poll, answered after it: at most the prefetch, as a ping and its redelivery can come in one. */
    private final UnsafeBuffer[] payloads = new UnsafeBuffer[PREFETCH];
    private final long[] pendingSequences = new long[PREFETCH];
    private final int[] pendingAttempts = new int[PREFETCH];
    private int pending;
    private QueueConsumer pingConsumer;
    private long replied;

    PingResponder(
        final PassControl control,
        final IdleStrategy idleStrategy,
        final String pingQueue,
        final String pongQueue,
        final LatencyWorkload workload)
    {
        this.control = control;
        this.idleStrategy = idleStrategy;
        this.pingQueue = pingQueue;
        this.pongQueue = pongQueue;
        for (int i = 0; i < PREFETCH; i++)
        {
            payloads[i] = new UnsafeBuffer(new byte[workload.payloadBytes()]);
        }
    }

    public void accept(final RingmqClient client)
    {
        try
        {
            final Publisher pong = client.publisher(pongQueue);
            pingConsumer = client.consumer(pingQueue, CompetingConsumer.GROUP, PREFETCH, this);
            control.consumerReady();
            // Until the requester is done, not until `total` replies: a ping redelivered after its visibility timeout
            // (a stalled round trip) is answered again, and counting that reply would leave the last ping unanswered.
            while (!control.isProducerDone() && !control.isAborted())
            {
                int workCount = client.poll();
                for (int i = 0; i < pending; i++)
                {
                    pong.publish(payloads[i], 0, payloads[i].capacity());
                    pingConsumer.ack(pendingSequences[i], pendingAttempts[i]);
                    replied++;
                    workCount++;
                }
                pending = 0;
                if (0 == workCount && control.isPastDeadline(System.nanoTime()))
                {
                    control.fail(new IllegalStateException("responder timed out after " + replied + " replies"));
                }
                idleStrategy.idle(workCount);
            }
        }
        catch (final Throwable throwable)
        {
            control.fail(throwable);
        }
    }

    /**
     * Keeps the ping to answer after the poll. One poll can bring two: a ping whose delivery left after a journal sync
     * longer than its visibility timeout is redelivered at once (issue 19), and both are answered.
     */
    public void onMessage(final Delivery delivery)
    {
        if (PREFETCH == pending)
        {
            control.fail(new IllegalStateException("more pings in one poll than the prefetch lets through"));
            return;
        }
        final UnsafeBuffer payload = payloads[pending];
        payload.putBytes(0, delivery.buffer(), delivery.payloadOffset(), payload.capacity());
        pendingSequences[pending] = delivery.sequence();
        pendingAttempts[pending] = delivery.attempt();
        pending++;
    }
}
