package io.ringmq.client;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * What can be done with one delivery, named by (sequence, attempt) on its consumer: settle it or answer it. Shared by
 * the {@link Delivery} flyweight and the {@link KeptDelivery} copy, so both settle through the same calls.
 */
public abstract sealed class DeliverySettlement permits Delivery, KeptDelivery
{
    final QueueConsumer consumer;

    DeliverySettlement(final QueueConsumer consumer)
    {
        this.consumer = consumer;
    }

    /** Position of the message in its queue, from 1. */
    public abstract long sequence();

    /** 1 for the first delivery of this message to this group, 2 for the next, and so on. */
    public abstract int attempt();

    /** The queue the message is in: for a pattern's delivery, the matching queue it came from. */
    public String queue()
    {
        return consumer.queue();
    }

    /** The consumer this delivery is settled on: for a pattern's, the one attached to {@link #queue()}. */
    public QueueConsumer consumer()
    {
        return consumer;
    }

    public String group()
    {
        return consumer.group();
    }

    /**
     * Settles this delivery: the message is done for this consumer's group. Made during a poll, it is sent when the
     * poll returns, with the consumer's other acks of the poll in one frame (see {@link QueueConsumer#ack}).
     */
    public void ack()
    {
        consumer.ack(sequence(), attempt());
    }

    /** Gives this delivery back to be delivered again, at once unless the queue has a retry backoff. */
    public void nack()
    {
        consumer.nack(sequence(), attempt());
    }

    /** Gives this delivery back to be delivered again once {@code delayMs} has passed. */
    public void nack(final long delayMs)
    {
        consumer.nack(sequence(), attempt(), delayMs);
    }

    /** Needs more time: this delivery's deadline becomes now + {@code visibilityTimeoutMs}. */
    public void extend(final long visibilityTimeoutMs)
    {
        consumer.extend(sequence(), attempt(), visibilityTimeoutMs);
    }

    /** Sends the message to the group's dead-letter queue. */
    public void reject()
    {
        consumer.reject(sequence(), attempt());
    }

    /**
     * Answers this delivery of a request, which acks it: the reply goes to the requester (its session, or its reply
     * queue). A delivery of a message that is not a request is refused (INVALID_ARGUMENT) and stays in flight.
     */
    public void reply(final DirectBuffer payload, final int offset, final int length)
    {
        consumer.reply(sequence(), attempt(), payload, offset, length);
    }

    /** Answers this request with text (allocates: see {@link #reply(DirectBuffer, int, int)}). */
    public void reply(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        consumer.reply(sequence(), attempt(), new UnsafeBuffer(bytes), 0, bytes.length);
    }
}
