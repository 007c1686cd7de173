package io.ringmq.client;

import io.ringmq.codecs.ErrorCode;
import io.ringmq.core.protocol.Names;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Publishes to one queue. {@link #publish} is asynchronous: it returns the correlation id and the receipt reaches
 * the {@link ReceiptListener} during a later {@link RingmqClient#poll()}. {@link #publishAndWait} blocks until the
 * receipt and returns the message's sequence. Owned by the client's thread.
 */
public final class Publisher
{
    private final RingmqClient client;
    private final String queue;
    private final UnsafeBuffer queueName;
    private final ReceiptListener listener;
    private final CorrelationIds correlationIds;
    private final UnsafeBuffer wrapBuffer = new UnsafeBuffer(0, 0);

    Publisher(
        final RingmqClient client,
        final CorrelationIds correlationIds,
        final String queue,
        final ReceiptListener listener)
    {
        if (!Names.isValid(queue))
        {
            throw new RingmqException(ErrorCode.INVALID_NAME, "queue name '" + queue + "' is invalid: " + Names.RULE);
        }
        this.client = client;
        this.queue = queue;
        this.queueName = new UnsafeBuffer(queue.getBytes(StandardCharsets.US_ASCII));
        this.listener = listener;
        this.correlationIds = correlationIds;
    }

    public String queue()
    {
        return queue;
    }

    /**
     * Sends a message; the outcome arrives at the listener.
     *
     * @return the correlation id the receipt will carry.
     */
    public long publish(final DirectBuffer payload, final int offset, final int length)
    {
        final long correlationId = correlationIds.next();
        client.sender().publish(correlationId, queueName, queueName.capacity(), payload, offset, length);
        return correlationId;
    }

    public long publish(final byte[] payload)
    {
        wrapBuffer.wrap(payload);
        return publish(wrapBuffer, 0, payload.length);
    }

    public long publish(final String text)
    {
        return publish(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends a message and waits for its receipt.
     *
     * @return the message's sequence in the queue.
     * @throws RingmqException if the daemon refuses it or does not answer within the response timeout.
     */
    public long publishAndWait(final DirectBuffer payload, final int offset, final int length)
    {
        client.ensureCanBlock("publish to " + queue);
        final long correlationId = publish(payload, offset, length);
        return client.awaitPublishReceipt(correlationId, "publish to " + queue);
    }

    public long publishAndWait(final byte[] payload)
    {
        wrapBuffer.wrap(payload);
        return publishAndWait(wrapBuffer, 0, payload.length);
    }

    public long publishAndWait(final String text)
    {
        return publishAndWait(text.getBytes(StandardCharsets.UTF_8));
    }

    void onReceipt(final long correlationId, final long sequence)
    {
        if (null != listener)
        {
            listener.onReceipt(correlationId, sequence);
        }
    }

    /** @return true if a listener took the error. */
    boolean onError(final long correlationId, final ErrorCode code, final String message)
    {
        if (null != listener)
        {
            listener.onError(correlationId, code, message);
            return true;
        }
        return false;
    }
}
