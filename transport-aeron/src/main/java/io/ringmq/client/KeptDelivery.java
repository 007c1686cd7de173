package io.ringmq.client;

import io.ringmq.codecs.DeadLetterReason;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * A delivery kept past its handler ({@link Delivery#keep()}): a copy of the message (payload, headers, ids) that can
 * be settled later, for work handed to a batch or finished after the poll. It still names one delivery, (sequence,
 * attempt): once its visibility timeout passes unsettled, the message goes to another consumer and settling this copy
 * is answered STALE_DELIVERY. Settle it on the client's thread, as everything else of the client.
 */
public final class KeptDelivery extends DeliverySettlement
{
    private final long sequence;
    private final int attempt;
    private final long publishTimestampNs;
    private final byte[] payload;
    private final MessageHeaders headers = new MessageHeaders();
    private final String messageId;
    private final long producerId;
    private final long producerSequence;
    private final long requestId;
    private final int priority;
    private final DeadLetterReason deadLetterReason;
    private final int deadLetterAttempts;
    private final String sourceQueue;
    private final String sourceGroup;

    KeptDelivery(final QueueConsumer consumer, final Delivery delivery, final byte[] headerBytes)
    {
        super(consumer);
        this.sequence = delivery.sequence();
        this.attempt = delivery.attempt();
        this.publishTimestampNs = delivery.publishTimestampNs();
        this.payload = delivery.payloadBytes();
        this.headers.wrap(new UnsafeBuffer(headerBytes), 0, headerBytes.length);
        this.messageId = delivery.messageId();
        this.producerId = delivery.producerId();
        this.producerSequence = delivery.producerSequence();
        this.requestId = delivery.requestId();
        this.priority = delivery.priority();
        this.deadLetterReason = delivery.deadLetterReason();
        this.deadLetterAttempts = delivery.deadLetterAttempts();
        this.sourceQueue = delivery.sourceQueue();
        this.sourceGroup = delivery.sourceGroup();
    }

    @Override
    public long sequence()
    {
        return sequence;
    }

    @Override
    public int attempt()
    {
        return attempt;
    }

    public long publishTimestampNs()
    {
        return publishTimestampNs;
    }

    /** The payload, copied when the delivery was kept; the array is this copy's own. */
    public byte[] payload()
    {
        return payload;
    }

    public String payloadAsString()
    {
        return new String(payload, StandardCharsets.UTF_8);
    }

    public MessageHeaders headers()
    {
        return headers;
    }

    /** Empty if the publisher gave none. */
    public String messageId()
    {
        return messageId;
    }

    public long producerId()
    {
        return producerId;
    }

    public long producerSequence()
    {
        return producerSequence;
    }

    public long requestId()
    {
        return requestId;
    }

    public int priority()
    {
        return priority;
    }

    public DeadLetterReason deadLetterReason()
    {
        return deadLetterReason;
    }

    public int deadLetterAttempts()
    {
        return deadLetterAttempts;
    }

    public String sourceQueue()
    {
        return sourceQueue;
    }

    public String sourceGroup()
    {
        return sourceGroup;
    }

    public String toString()
    {
        return "KeptDelivery{" + queue() + "/" + group() + " seq=" + sequence + " attempt=" + attempt +
            " length=" + payload.length + "}";
    }
}
