package io.ringmq.client;

/**
 * What a queue holds and what its limits did, as the daemon answered {@link RingmqClient#stats}.
 *
 * @param messages   messages held, in flight included.
 * @param bytes      payload bytes held.
 * @param inFlight   deliveries in flight, over all its groups.
 * @param groups     consumer groups.
 * @param consumers  consumers attached, over all its groups.
 * @param expired    messages that left by the maximum age.
 * @param overflowed messages pushed out by newer ones at a size limit.
 * @param dropped    of the expired and overflowed, those that went to no dead-letter queue.
 * @param refused    messages refused at a size limit (publishes answered QUEUE_FULL, redrives and dead letters that
 *                   did not fit).
 */
public record QueueStats(
    long messages,
    long bytes,
    long inFlight,
    int groups,
    int consumers,
    long expired,
    long overflowed,
    long dropped,
    long refused)
{
}
