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
    private final PassControl control;
    private final IdleStrategy idleStrategy;
    private final String pingQueue;
    private final String pongQueue;
    private final UnsafeBuffer payload;
    private QueueConsumer pingConsumer;
    private boolean pending;
    private long pendingSequence;
    private int pendingAttempt;
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
        this.payload = new UnsafeBuffer(new byte[workload.payloadBytes()]);
    }

    public void accept(final RingmqClient client)
    {
        try
        {
            final Publisher pong = client.publisher(pongQueue);
            pingConsumer = client.consumer(pingQueue, CompetingConsumer.GROUP, 16, this);
            control.consumerReady();
            // Until the requester is done, not until `total` replies: a ping redelivered after its visibility timeout
            // (a stalled round trip) is answered again, and counting that reply would leave the last ping unanswered.
            while (!control.isProducerDone() && !control.isAborted())
            {
                int workCount = client.poll();
                if (pending)
                {
                    pending = false;
                    pong.publish(payload, 0, payload.capacity());
                    pingConsumer.ack(pendingSequence, pendingAttempt);
                    replied++;
                    workCount++;
                }
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

    public void onMessage(final Delivery delivery)
    {
        if (pending)
        {
            control.fail(new IllegalStateException("a second ping arrived before the first was answered"));
            return;
        }
        payload.putBytes(0, delivery.buffer(), delivery.payloadOffset(), payload.capacity());
        pendingSequence = delivery.sequence();
        pendingAttempt = delivery.attempt();
        pending = true;
    }
}
