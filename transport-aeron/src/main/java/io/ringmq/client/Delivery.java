package io.ringmq.client;

import org.agrona.DirectBuffer;

/**
 * One delivery of one message: (sequence, attempt) names it. A flyweight reused for every delivery of its
 * consumer; valid only inside {@link MessageHandler#onMessage}.
 */
public final class Delivery
{
    private final QueueConsumer consumer;
    private DirectBuffer buffer;
    private int payloadOffset;
    private int payloadLength;
    private long sequence;
    private int attempt;
    private long publishTimestampNs;

    Delivery(final QueueConsumer consumer)
    {
        this.consumer = consumer;
    }

    Delivery wrap(
        final long sequence,
        final int attempt,
        final long publishTimestampNs,
        final DirectBuffer buffer,
        final int payloadOffset,
        final int payloadLength)
    {
        this.sequence = sequence;
        this.attempt = attempt;
        this.publishTimestampNs = publishTimestampNs;
        this.buffer = buffer;
        this.payloadOffset = payloadOffset;
        this.payloadLength = payloadLength;
        return this;
    }

    public String queue()
    {
        return consumer.queue();
    }

    public String group()
    {
        return consumer.group();
    }

    /** Position of the message in its queue, from 1. */
    public long sequence()
    {
        return sequence;
    }

    /** 1 for the first delivery of this message to this group, 2 for the next, and so on. */
    public int attempt()
    {
        return attempt;
    }

    /** Epoch nanoseconds at which the daemon took the publish. */
    public long publishTimestampNs()
    {
        return publishTimestampNs;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int payloadOffset()
    {
        return payloadOffset;
    }

    public int payloadLength()
    {
        return payloadLength;
    }

    /** Copies the payload out as UTF-8 text (allocates; for tools and tests). */
    public String payloadAsString()
    {
        return buffer.getStringWithoutLengthUtf8(payloadOffset, payloadLength);
    }

    /** Copies the payload out (allocates). */
    public byte[] payloadBytes()
    {
        final byte[] bytes = new byte[payloadLength];
        buffer.getBytes(payloadOffset, bytes);
        return bytes;
    }

    /**
     * Settles this delivery: the message is done for this consumer's group. Sent when the poll returns, with the
     * consumer's other acks of the poll in one frame (see {@link QueueConsumer#ack}).
     */
    public void ack()
    {
        consumer.ack(sequence, attempt);
    }

    /** Gives this delivery back to be delivered again, at once unless the queue has a retry backoff. */
    public void nack()
    {
        consumer.nack(sequence, attempt);
    }

    /** Gives this delivery back to be delivered again once {@code delayMs} has passed. */
    public void nack(final long delayMs)
    {
        consumer.nack(sequence, attempt, delayMs);
    }

    /** Needs more time: this delivery's deadline becomes now + {@code visibilityTimeoutMs}. */
    public void extend(final long visibilityTimeoutMs)
    {
        consumer.extend(sequence, attempt, visibilityTimeoutMs);
    }

    /** Sends the message to the group's dead-letter queue. */
    public void reject()
    {
        consumer.reject(sequence, attempt);
    }

    public String toString()
    {
        return "Delivery{" + queue() + "/" + group() + " seq=" + sequence + " attempt=" + attempt +
            " length=" + payloadLength + "}";
    }
}
