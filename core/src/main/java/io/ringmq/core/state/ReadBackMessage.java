package io.ringmq.core.state;

import io.ringmq.codecs.DeadLetterReason;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.PublishDecoder;
import io.ringmq.core.protocol.CommandHeader;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A held message whose payload left memory, seen with the payload read back from its Publish record: everything but
 * the payload is the held message's (a dead letter says why, a priority is the queue's). Reused for every read-back,
 * so it allocates nothing; valid for the duration of one sink call.
 * <p>
 * Not thread-safe: owned by its {@link PayloadReadBack}.
 */
final class ReadBackMessage implements MessageView, JournalRecords.RecordHandler
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final PublishDecoder publish = new PublishDecoder();
    private final UnsafeBuffer skipped = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer payload = new UnsafeBuffer(0, 0);
    private MessageView held;
    private boolean found;

    /**
     * Reads the payload of {@code held} back from {@code records}.
     *
     * @return false if the record is gone or is not the Publish of a payload that long (then nothing is sent).
     */
    boolean readBack(final MessageView held, final JournalRecords records)
    {
        this.held = held;
        found = false;
        return records.read(held.payloadLogSequence(), this) && found;
    }

    public void onRecord(final DirectBuffer buffer, final int offset, final int length)
    {
        final int frameOffset = offset + CommandHeader.LENGTH;
        header.wrap(buffer, frameOffset);
        if (PublishDecoder.TEMPLATE_ID != header.templateId() || PublishDecoder.SCHEMA_ID != header.schemaId())
        {
            return;
        }
        publish.wrap(buffer, frameOffset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        publish.wrapQueue(skipped);
        publish.wrapPayload(payload);
        found = payload.capacity() == held.payloadLength();
    }

    public long sequence()
    {
        return held.sequence();
    }

    public long publishTimestampNs()
    {
        return held.publishTimestampNs();
    }

    public long producerId()
    {
        return held.producerId();
    }

    public long producerSequence()
    {
        return held.producerSequence();
    }

    public long requestId()
    {
        return held.requestId();
    }

    public int priority()
    {
        return held.priority();
    }

    public DirectBuffer payload()
    {
        return payload;
    }

    public int payloadLength()
    {
        return payload.capacity();
    }

    public DirectBuffer headers()
    {
        return held.headers();
    }

    public int headersLength()
    {
        return held.headersLength();
    }

    public DirectBuffer messageId()
    {
        return held.messageId();
    }

    public int messageIdLength()
    {
        return held.messageIdLength();
    }

    public DeadLetterReason deadLetterReason()
    {
        return held.deadLetterReason();
    }

    public int deadLetterAttempts()
    {
        return held.deadLetterAttempts();
    }

    public String sourceQueue()
    {
        return held.sourceQueue();
    }

    public String sourceGroup()
    {
        return held.sourceGroup();
    }
}
