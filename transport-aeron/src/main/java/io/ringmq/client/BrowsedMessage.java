package io.ringmq.client;

import io.ringmq.codecs.DeadLetterReason;

import java.nio.charset.StandardCharsets;

/**
 * A message seen by {@link RingmqClient#browse} without consuming it. For a dead letter, {@code reason} says why it
 * was given up on, after how many deliveries, and by which queue and group; otherwise reason is NONE and the
 * source fields are null. It also carries the message's headers, id (empty for none) and producer (0 for none) and priority (0-9).
 * An admin view: it copies the payload.
 */
public record BrowsedMessage(
    long sequence,
    long publishTimestampNs,
    DeadLetterReason reason,
    int deadLetterAttempts,
    String sourceQueue,
    String sourceGroup,
    byte[] payload,
    byte[] headerBytes,
    String messageId,
    long producerId,
    long producerSequence,
    int priority)
{
    /** The headers (a view over a copy: this is an admin view). */
    public MessageHeaders headers()
    {
        return new MessageHeaders().wrap(new org.agrona.concurrent.UnsafeBuffer(headerBytes), 0, headerBytes.length);
    }

    public String payloadAsString()
    {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
