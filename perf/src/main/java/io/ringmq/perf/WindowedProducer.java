package io.ringmq.perf;

import io.ringmq.client.Publisher;
import io.ringmq.client.ReceiptListener;
import io.ringmq.client.RingmqClient;
import io.ringmq.codecs.ErrorCode;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.Consumer;

/**
 * Publishes messages {@code 1..messages} of a fixed size to one queue, asynchronously, with at most {@code window}
 * publishes not yet receipted; while the window is full it polls its client for receipts. Each payload starts with
 * its message number (when it has room for 8 bytes) so the consumer can check it got the right bytes.
 * <p>
 * Checks that receipt {@code i} names sequence {@code i}: one producer on a fresh queue gets sequences in publish
 * order. One instance per pass, run on the producer's {@link ClientThread}.
 */
final class WindowedProducer implements Consumer<RingmqClient>, ReceiptListener
{
    /** Publishes between two polls while the window has room. */
    private static final int BURST = 64;

    private final PassControl control;
    private final IdleStrategy idleStrategy;
    private final String queue;
    private final long messages;
    private final int window;
    private final UnsafeBuffer payload;
    private long published;
    private long receipts;

    WindowedProducer(
        final PassControl control,
        final IdleStrategy idleStrategy,
        final String queue,
        final long messages,
        final int window,
        final int payloadBytes)
    {
        this.control = control;
        this.idleStrategy = idleStrategy;
        this.queue = queue;
        this.messages = messages;
        this.window = window;
        this.payload = new UnsafeBuffer(new byte[payloadBytes]);
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

            control.startNs(System.nanoTime());
            while (receipts < messages && !control.isAborted())
            {
                int workCount = 0;
                final long limit = Math.min(messages, receipts + window);
                while (published < limit && workCount < BURST)
                {
                    published++;
                    if (payload.capacity() >= Long.BYTES)
                    {
                        payload.putLong(0, published);
                    }
                    publisher.publish(payload, 0, payload.capacity());
                    workCount++;
                }
                workCount += client.poll();

                if (0 == workCount && control.isPastDeadline(System.nanoTime()))
                {
                    control.fail(new IllegalStateException("producer timed out: published " + published +
                        " of " + messages + ", receipts " + receipts));
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
            control.fail(new IllegalStateException(
                "receipt " + receipts + " (correlation " + correlationId + ") names sequence " + sequence));
        }
        if (receipts == messages)
        {
            control.lastReceiptNs(System.nanoTime());
        }
    }

    public void onError(final long correlationId, final ErrorCode code, final String message)
    {
        control.fail(new IllegalStateException("publish " + correlationId + " refused: " + code + " " + message));
    }
}
