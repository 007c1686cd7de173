package io.ringmq.core.state;

import io.ringmq.codecs.DeadLetterReason;
import org.agrona.DirectBuffer;

/**
 * A message the state machine holds, as an {@link OutputSink} sees it while a delivery or browse is being told: valid
 * only for the duration of the call. Headers are in the {@link io.ringmq.core.protocol.HeadersLayout} layout.
 */
public interface MessageView
{
    long sequence();

    long publishTimestampNs();

    /** The publisher's producer id; 0 when it published without one. */
    long producerId();

    long producerSequence();

    /** A request's id, or the request id of a reply enqueued on a queue; 0 for neither. */
    long requestId();

    /** 0-9, higher delivered first. */
    int priority();

    /** Empty when {@link #payloadInJournal()}: then the journal record at {@link #payloadLogSequence()} holds it. */
    DirectBuffer payload();

    /**
     * Whether the payload left memory (a kept message): a sink that sends it reads it back from the journal record at
     * {@link #payloadLogSequence()} (the Publish that stored it), e.g. with {@link PayloadReadBack}.
     */
    default boolean payloadInJournal()
    {
        return false;
    }

    /** The log sequence of the Publish record holding the payload; 0 when the payload was never evictable. */
    default long payloadLogSequence()
    {
        return 0;
    }

    int payloadLength();

    DirectBuffer headers();

    int headersLength();

    /** The message id's UTF-8 bytes; length 0 when it has none. */
    DirectBuffer messageId();

    int messageIdLength();

    /** NONE unless it is a dead letter. */
    DeadLetterReason deadLetterReason();

    int deadLetterAttempts();

    /** Dead letters: the queue it came from; else null. */
    String sourceQueue();

    /** Dead letters: the group that gave up (empty or null when none did). */
    String sourceGroup();
}
