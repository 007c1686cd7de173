package io.ringmq.http;

import io.ringmq.client.MessageHeaders;

/**
 * A message handed out by a receive: a copy, safe to read on any thread.
 *
 * @param receiptHandle names this delivery to {@link QueueService#delete}, {@code changeVisibility} and
 *                      {@code reject}; it stops being current when the delivery ends.
 * @param id            the message id, or null for none.
 * @param producerId    the idempotent producer, 0 for none.
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
    int priority)
{
}
