package io.ringmq.client;

import io.ringmq.codecs.NackAction;
import org.agrona.DirectBuffer;

/**
 * One consumer in a group of a queue. Deliveries go to its {@link MessageHandler} during
 * {@link RingmqClient#poll()}; each must be settled with {@link #ack}, {@link #nack} or {@link #reject}, naming the
 * delivery by (sequence, attempt). Owned by the client's thread.
 */
public final class QueueConsumer
{
    private final RingmqClient client;
    private final long consumerId;
    private final String queue;
    private final String group;
    private final MessageHandler handler;
    private final Delivery delivery;

    QueueConsumer(
        final RingmqClient client,
        final long consumerId,
        final String queue,
        final String group,
        final MessageHandler handler)
    {
        this.client = client;
        this.consumerId = consumerId;
        this.queue = queue;
        this.group = group;
        this.handler = handler;
        this.delivery = new Delivery(this);
    }

    public long consumerId()
    {
        return consumerId;
    }

    public String queue()
    {
        return queue;
    }

    public String group()
    {
        return group;
    }

    /** Settles the delivery: the message is done for this group. */
    public void ack(final long sequence, final int attempt)
    {
        client.sender().ack(consumerId, sequence, attempt);
    }

    /** Gives the delivery back for redelivery, at once unless the queue has a retry backoff. */
    public void nack(final long sequence, final int attempt)
    {
        client.sender().nack(consumerId, sequence, attempt, NackAction.REQUEUE, 0);
    }

    /** Gives the delivery back to be delivered again once {@code delayMs} (0 to 12 h) has passed. */
    public void nack(final long sequence, final int attempt, final long delayMs)
    {
        client.sender().nack(consumerId, sequence, attempt, NackAction.REQUEUE_DELAYED, delayMs);
    }

    /** Sends the message to the group's dead-letter queue. */
    public void reject(final long sequence, final int attempt)
    {
        client.sender().nack(consumerId, sequence, attempt, NackAction.REJECT, 0);
    }

    /** Needs more time: the delivery's deadline becomes now + {@code visibilityTimeoutMs} (1 ms to 12 h). */
    public void extend(final long sequence, final int attempt, final long visibilityTimeoutMs)
    {
        client.sender().extend(consumerId, sequence, attempt, visibilityTimeoutMs);
    }

    /**
     * Lets the daemon send this consumer {@code credits} more deliveries. A consumer subscribed with prefetch 0 gets
     * nothing until it grants; with a prefetch window a grant widens the window by that much.
     */
    public void grant(final int credits)
    {
        if (credits < 1)
        {
            throw new IllegalArgumentException("credits=" + credits + " must be at least 1");
        }
        client.sender().grant(consumerId, credits);
    }

    void onDeliver(
        final long sequence,
        final int attempt,
        final long publishTimestampNs,
        final DirectBuffer buffer,
        final int payloadOffset,
        final int payloadLength)
    {
        handler.onMessage(delivery.wrap(sequence, attempt, publishTimestampNs, buffer, payloadOffset, payloadLength));
    }
}
