package io.ringmq.client;

import io.ringmq.codecs.DeadLetterReason;
import org.agrona.DirectBuffer;

/**
 * One delivery of one message: (sequence, attempt) names it. A flyweight reused for every delivery of its
 * consumer; valid only inside {@link MessageHandler#onMessage}. To settle it later, {@link #keep()} a copy.
 */
public final class Delivery extends DeliverySettlement
{
    private final MessageHeaders headers = new MessageHeaders();
    private DirectBuffer buffer;
    private int payloadOffset;
    private int payloadLength;
    private long sequence;
    private int attempt;
    private long publishTimestampNs;
    private long producerId;
    private long producerSequence;
    private DeadLetterReason deadLetterReason = DeadLetterReason.NONE;
    private int deadLetterAttempts;
    private String sourceQueue;
    private String sourceGroup;
    private int messageIdOffset;
    private int messageIdLength;
    private long requestId;
    private int priority;

    Delivery(final QueueConsumer consumer)
    {
        super(consumer);
    }

    Delivery wrap(final DeliveredFrame frame)
    {
        this.sequence = frame.sequence;
        this.attempt = frame.attempt;
        this.publishTimestampNs = frame.publishTimestampNs;
        this.producerId = frame.producerId;
        this.producerSequence = frame.producerSequence;
        this.deadLetterReason = frame.deadLetterReason;
        this.deadLetterAttempts = frame.deadLetterAttempts;
        this.sourceQueue = frame.sourceQueue;
        this.sourceGroup = frame.sourceGroup;
        this.buffer = frame.buffer;
        this.payloadOffset = frame.payloadOffset;
        this.payloadLength = frame.payloadLength;
        this.messageIdOffset = frame.messageIdOffset;
        this.messageIdLength = frame.messageIdLength;
        this.requestId = frame.requestId;
        this.priority = frame.priority;
        headers.wrap(frame.buffer, frame.headersOffset, frame.headersLength);
        return this;
    }

    /** Position of the message in its queue, from 1. */
    @Override
    public long sequence()
    {
        return sequence;
    }

    /** 1 for the first delivery of this message to this group, 2 for the next, and so on. */
    @Override
    public int attempt()
    {
        return attempt;
    }

    /** Epoch nanoseconds at which the daemon took the publish. */
    public long publishTimestampNs()
    {
        return publishTimestampNs;
    }

    /** The message's headers, read in place (a view reused for every delivery of this consumer). */
    public MessageHeaders headers()
    {
        return headers;
    }

    /** The id its publisher gave the message; empty if none (allocates: see {@link #messageIdLength()}). */
    public String messageId()
    {
        return buffer.getStringWithoutLengthUtf8(messageIdOffset, messageIdLength);
    }

    /** Where the message id's UTF-8 bytes are in {@link #buffer()}; length 0 for none. */
    public int messageIdOffset()
    {
        return messageIdOffset;
    }

    public int messageIdLength()
    {
        return messageIdLength;
    }

    /**
     * A request's id (answer it with {@link #reply}), or, for a reply delivered from a reply queue, the id of the
     * request it answers; 0 for neither.
     */
    public long requestId()
    {
        return requestId;
    }

    /** 0 (lowest) to 9 (highest); 4 when published without one. */
    public int priority()
    {
        return priority;
    }

    /** The producer id it was published with for idempotence; 0 if none. */
    public long producerId()
    {
        return producerId;
    }

    public long producerSequence()
    {
        return producerSequence;
    }

    /** Why the message is a dead letter (delivered from a dead-letter queue); NONE for any other message. */
    public DeadLetterReason deadLetterReason()
    {
        return deadLetterReason;
    }

    /** A dead letter's deliveries before it was given up on; 0 for any other message. */
    public int deadLetterAttempts()
    {
        return deadLetterAttempts;
    }

    /** A dead letter's source queue; null for any other message. */
    public String sourceQueue()
    {
        return sourceQueue;
    }

    /** The group that gave the dead letter up; null for any other message and a queue without groups. */
    public String sourceGroup()
    {
        return sourceGroup;
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
     * A copy of this delivery to settle after the handler returns (this flyweight is reused for the next delivery):
     * payload, headers and ids copied, so it allocates; see {@link KeptDelivery}.
     */
    public KeptDelivery keep()
    {
        return new KeptDelivery(consumer, this, headers.copyBytes());
    }

    public String toString()
    {
        return "Delivery{" + queue() + "/" + group() + " seq=" + sequence + " attempt=" + attempt +
            " length=" + payloadLength + "}";
    }
}
