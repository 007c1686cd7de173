package io.ringmq.core.state;

import io.ringmq.codecs.DeadLetterReason;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A message held in memory until every consumer group of its queue has settled it. Recycled through
 * {@link MessagePool}; its buffer only ever grows, so a warmed-up pool allocates nothing.
 */
final class StoredMessage
{
    private static final int MIN_CAPACITY = 128;

    long sequence;
    long publishTimestampNs;
    /** When it entered this queue (published, dead-lettered or redriven here): its age counts from then. */
    long enqueuedNs;
    /** Groups that have not yet acked this message. */
    int unsettledGroups;
    /** Dead letters only: why, after how many deliveries, from which queue and group. */
    DeadLetterReason deadLetterReason = DeadLetterReason.NONE;
    int deadLetterAttempts;
    String sourceQueue;
    String sourceGroup;
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[MIN_CAPACITY]);
    private int length;

    void set(
        final long sequence,
        final long publishTimestampNs,
        final long enqueuedNs,
        final DirectBuffer source,
        final int offset,
        final int length)
    {
        if (length > payload.capacity())
        {
            payload.wrap(new byte[BitUtil.findNextPositivePowerOfTwo(length)]);
        }
        payload.putBytes(0, source, offset, length);
        this.length = length;
        this.sequence = sequence;
        this.publishTimestampNs = publishTimestampNs;
        this.enqueuedNs = enqueuedNs;
        this.deadLetterReason = DeadLetterReason.NONE;
        this.deadLetterAttempts = 0;
        this.sourceQueue = null;
        this.sourceGroup = null;
    }

    boolean isDeadLetter()
    {
        return DeadLetterReason.NONE != deadLetterReason;
    }

    void markDeadLetter(
        final DeadLetterReason reason, final int attempts, final String sourceQueue, final String sourceGroup)
    {
        this.deadLetterReason = reason;
        this.deadLetterAttempts = attempts;
        this.sourceQueue = sourceQueue;
        this.sourceGroup = sourceGroup;
    }

    DirectBuffer payload()
    {
        return payload;
    }

    int length()
    {
        return length;
    }
}
