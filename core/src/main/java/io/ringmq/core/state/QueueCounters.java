package io.ringmq.core.state;

/**
 * What a queue holds and what its limits did, at one moment: a copy, for metrics, admin and tests.
 *
 * @param messages   messages held, in flight included.
 * @param bytes      payload bytes held.
 * @param expired    messages that left by the maximum age.
 * @param overflowed messages pushed out by newer ones at the size limit.
 * @param dropped    of the expired and overflowed, those that went to no dead-letter queue.
 * @param refused    messages refused at the size limit (publishes answered QUEUE_FULL, redrives and dead letters
 *                   that did not fit).
 */
public record QueueCounters(long messages, long bytes, long expired, long overflowed, long dropped, long refused)
{
}
