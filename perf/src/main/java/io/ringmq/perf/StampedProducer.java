package io.ringmq.perf;

import io.ringmq.client.Publisher;
import io.ringmq.client.ReceiptListener;
import io.ringmq.client.RingmqClient;
import io.ringmq.codecs.ErrorCode;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.Consumer;

/**
 * One of the producers of {@link IpcThroughputHarness}: a {@link StampingProducer} (windowed) over a
 * {@link RingmqClient}. publish→receipt runs from the {@code System.nanoTime()} just before the publish call to the
 * receipt's arrival. A receipt is matched to its publish by correlation id (the n-th receipt must carry the n-th
 * publish's) and carries the queue sequence. One instance per pass, run on the producer's {@link ClientThread}.
 */
final class StampedProducer extends StampingProducer implements Consumer<RingmqClient>, ReceiptListener
{
    private final String queue;
    private final UnsafeBuffer payload;
    /** Correlation id of the publishes in the window, at {@link #slot}. */
    private final long[] correlationIds;
    private RingmqClient client;
    private Publisher publisher;

    StampedProducer(
        final PassControl control,
        final IdleStrategy idleStrategy,
        final String queue,
        final int index,
        final long messages,
        final int window,
        final int payloadBytes)
    {
        super(control, index, messages, window, true, null, null, idleStrategy);
        this.queue = queue;
        this.payload = new UnsafeBuffer(new byte[MessageStamp.requireRoom(payloadBytes)]);
        this.correlationIds = new long[window];
        MessageStamp.writeProducer(payload, 0, index);
    }

    public void accept(final RingmqClient client)
    {
        try
        {
            this.client = client;
            publisher = client.publisher(queue, this);
            produce();
        }
        catch (final Throwable throwable)
        {
            control.fail(throwable);
        }
    }

    protected void send(final long number, final long stampNs)
    {
        MessageStamp.write(payload, 0, number, stampNs);
        correlationIds[slot(number)] = publisher.publish(payload, 0, payload.capacity());
    }

    protected int pollReceipts()
    {
        return client.poll();
    }

    public void onReceipt(final long correlationId, final long sequence)
    {
        final long nowNs = System.nanoTime();
        final long number = nextReceipt();
        if (number > messages || correlationIds[slot(number)] != correlationId)
        {
            fail("receipt " + number + " carries correlation " + correlationId + ", publish " + number + " had " +
                (number > messages ? "none" : correlationIds[slot(number)]));
            return;
        }
        receipted(number, sequence, nowNs);
    }

    public void onError(final long correlationId, final ErrorCode code, final String message)
    {
        fail("publish " + correlationId + " refused: " + code + " " + message);
    }
}
