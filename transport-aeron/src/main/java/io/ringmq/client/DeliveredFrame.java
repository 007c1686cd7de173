package io.ringmq.client;

import io.ringmq.codecs.DeadLetterReason;
import io.ringmq.codecs.DeliverDecoder;
import io.ringmq.core.protocol.Priority;
import org.agrona.DirectBuffer;

/**
 * Where each part of one Deliver frame sits, read once by the {@link EgressAdapter} and handed to the consumer's
 * {@link Delivery} flyweight: reused for every frame, valid only while the frame is handled. A dead letter's source
 * names are the only parts read into objects (Strings), and only when present.
 */
final class DeliveredFrame
{
    long consumerId;
    long sequence;
    int attempt;
    long publishTimestampNs;
    long producerId;
    long producerSequence;
    DeadLetterReason deadLetterReason;
    int deadLetterAttempts;
    long requestId;
    int priority;
    String sourceQueue;
    String sourceGroup;
    DirectBuffer buffer;
    int payloadOffset;
    int payloadLength;
    int headersOffset;
    int headersLength;
    int messageIdOffset;
    int messageIdLength;

    /** Reads a Deliver the decoder was just wrapped around (its var data in order). */
    DeliveredFrame read(final DeliverDecoder deliver, final DirectBuffer buffer)
    {
        this.buffer = buffer;
        consumerId = deliver.consumerId();
        sequence = deliver.sequence();
        attempt = deliver.attempt();
        publishTimestampNs = deliver.publishTimestampNs();
        final boolean hasMetadata = deliver.actingVersion() >= DeliverDecoder.producerIdSinceVersion();
        producerId = hasMetadata ? deliver.producerId() : 0;
        producerSequence = hasMetadata ? deliver.producerSequence() : 0;
        deadLetterReason = hasMetadata ? deliver.deadLetterReason() : DeadLetterReason.NONE;
        deadLetterAttempts = hasMetadata ? deliver.deadLetterAttempts() : 0;
        requestId = hasMetadata ? deliver.requestId() : 0;
        priority = deliver.actingVersion() >= DeliverDecoder.prioritySinceVersion() ? deliver.priority() :
            Priority.DEFAULT;
        payloadLength = deliver.payloadLength();
        payloadOffset = deliver.limit() + DeliverDecoder.payloadHeaderLength();
        deliver.skipPayload();
        final int sourceQueueLength = deliver.sourceQueueLength();
        sourceQueue = 0 == sourceQueueLength ? null : deliver.sourceQueue();
        if (0 == sourceQueueLength)
        {
            deliver.skipSourceQueue();
        }
        final int sourceGroupLength = deliver.sourceGroupLength();
        sourceGroup = 0 == sourceGroupLength ? null : deliver.sourceGroup();
        if (0 == sourceGroupLength)
        {
            deliver.skipSourceGroup();
        }
        headersLength = deliver.headersLength();
        headersOffset = deliver.limit() + DeliverDecoder.headersHeaderLength();
        deliver.skipHeaders();
        messageIdLength = deliver.messageIdLength();
        messageIdOffset = deliver.limit() + DeliverDecoder.messageIdHeaderLength();
        return this;
    }
}
