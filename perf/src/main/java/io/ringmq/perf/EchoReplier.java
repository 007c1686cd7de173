package io.ringmq.perf;

import io.ringmq.client.Delivery;
import io.ringmq.client.MessageHandler;
import io.ringmq.client.RingmqClient;
import org.agrona.concurrent.IdleStrategy;

import java.util.function.Consumer;

/**
 * The replying side of request/reply through the client's own API ({@link RingmqClient#replier}): answers each
 * request with its own payload, from inside the handler as the client allows ({@link Delivery#reply} acks it), until
 * it has answered every request of the pass or the requester is done.
 */
final class EchoReplier implements Consumer<RingmqClient>, MessageHandler
{
    private final PassControl control;
    private final IdleStrategy idleStrategy;
    private final String queue;
    private final long total;
    private long replied;

    EchoReplier(final PassControl control, final IdleStrategy idleStrategy, final String queue,
        final LatencyWorkload workload)
    {
        this.control = control;
        this.idleStrategy = idleStrategy;
        this.queue = queue;
        this.total = workload.totalMessages();
    }

    public void accept(final RingmqClient client)
    {
        try
        {
            client.replier(queue, CompetingConsumer.GROUP, true, this); // it starts before any request
            control.consumerReady();
            while (replied < total && !control.isProducerDone() && !control.isAborted())
            {
                final int workCount = client.poll();
                if (0 == workCount && control.isPastDeadline(System.nanoTime()))
                {
                    control.fail(new IllegalStateException("replier timed out after " + replied + " replies"));
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
        if (0 == delivery.requestId())
        {
            control.fail(new IllegalStateException("a message that is not a request: " + delivery));
            return;
        }
        delivery.reply(delivery.buffer(), delivery.payloadOffset(), delivery.payloadLength());
        replied++;
    }
}
