package io.ringmq.client;

import io.ringmq.codecs.BackoffKind;
import io.ringmq.codecs.DispatchStrategy;

/**
 * One queue as {@link RingmqClient#queues} lists it.
 *
 * @param name                the queue.
 * @param depth               messages held, in flight included.
 * @param inFlight            deliveries in flight, over all its groups.
 * @param groups              consumer groups.
 * @param consumers           consumers attached, over all its groups.
 * @param dlqDepth            messages held by {@code <name>.dlq}; -1 when that queue does not exist.
 * @param visibilityTimeoutMs the queue's effective settings, as it delivers now.
 * @param retained            messages the queue keeps after every group acked them (its retention), counted in
 *                            {@code depth}; 0 from a daemon older than schema version 9.
 * @param retainedBytes       their payload bytes.
 * @param delayMs             the queue's default delay for a publish with no timing of its own; 0 for none (version 9).
 */
public record QueueListing(
    String name,
    long depth,
    long inFlight,
    int groups,
    int consumers,
    long dlqDepth,
    long visibilityTimeoutMs,
    int maxAttempts,
    BackoffKind backoff,
    DispatchStrategy strategy,
    long retained,
    long retainedBytes,
    long delayMs)
{
}
