package io.ringmq.client;

import io.ringmq.codecs.DeadLetterReason;

import java.nio.charset.StandardCharsets;

/**
 * A message seen by {@link RingmqClient#browse} without consuming it. For a dead letter, {@code reason} says why it
 * was given up on, after how many deliveries, and by which queue and group; otherwise reason is NONE and the
 * source fields are null. An admin view: it copies the payload.
 */
public record BrowsedMessage(
    long sequence,
    long publishTimestampNs,
    DeadLetterReason reason,
    int deadLetterAttempts,
    String sourceQueue,
    String sourceGroup,
    byte[] payload)
{
    public String payloadAsString()
    {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
