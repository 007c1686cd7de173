package io.ringmq.http;

import io.ringmq.client.MessageHeaders;

/**
 * A message handed out by a receive: a copy, safe to read on any thread.
 *
 * @param receiptHandle names this delivery to {@link QueueService#delete}, {@code changeVisibility} and
 *                      {@code reject}; it stops being current when the delivery ends.
 * @param id            the message id, or null for none.
 * @param producerId    the idempotent producer, 0 for none.
 * @param deadLetter    why and from where it was dead-lettered, for a message received from a dead-letter queue;
 *                      null for any other.
 */
public record ReceivedMessage(
    String receiptHandle,
    String queue,
    String group,
    long sequence,
    int attempt,
    long publishTimestampNs,
    byte[] body,
    MessageHeaders headers,
    String id,
    long producerId,
    int priority,
    DeadLetter deadLetter)
{
    /** A message that is not a dead letter. */
    public ReceivedMessage(
        final String receiptHandle,
        final String queue,
        final String group,
        final long sequence,
        final int attempt,
        final long publishTimestampNs,
        final byte[] body,
        final MessageHeaders headers,
        final String id,
        final long producerId,
        final int priority)
    {
        this(receiptHandle, queue, group, sequence, attempt, publishTimestampNs, body, headers, id, producerId, priority,
            null);
    }

    /**
     * A dead letter's origin, as {@code GET /queues/{q}/dlq} lists it.
     *
     * @param reason      {@code REJECTED}, {@code MAX_ATTEMPTS}, {@code EXPIRED} or {@code OVERFLOW}.
     * @param attempts    its deliveries before it was given up on.
     * @param sourceGroup null for a queue that had no group.
     */
    public record DeadLetter(String reason, int attempts, String sourceQueue, String sourceGroup)
    {
    }
}
