package io.ringmq.perf;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * What the workloads write at the start of every payload, so a receiver needs nothing but the bytes:
 * <pre>
 *  0               8               16              20
 *  +---------------+---------------+---------------+----------- ... padding up to the payload size
 *  | number (i64)  | time (i64)    | producer (i32)|
 *  +---------------+---------------+---------------+----------- ...
 * </pre>
 * {@code number} counts a producer's messages from 1 in publish order; {@code time} is the {@code System.nanoTime()}
 * at which the open-loop schedule meant the message to be sent (latency workloads), or at which it was sent
 * (throughput workloads). {@code producer} is the sender's index, for workloads with several producers (ringmq's
 * latency publisher leaves it out; every payload has room for it). Native byte order: writer and reader share one
 * process.
 */
public final class MessageStamp
{
    public static final int NUMBER_OFFSET = 0;
    public static final int INTENDED_NS_OFFSET = 8;
    public static final int PRODUCER_OFFSET = 16;
    /** The stamp with the producer's index: what the throughput workloads write. */
    public static final int PRODUCER_STAMP_LENGTH = PRODUCER_OFFSET + Integer.BYTES;

    private MessageStamp()
    {
    }

    public static void write(final MutableDirectBuffer buffer, final int offset, final long number, final long intendedNs)
    {
        buffer.putLong(offset + NUMBER_OFFSET, number);
        buffer.putLong(offset + INTENDED_NS_OFFSET, intendedNs);
    }

    public static long number(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + NUMBER_OFFSET);
    }

    public static long intendedNs(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + INTENDED_NS_OFFSET);
    }

    public static void writeProducer(final MutableDirectBuffer buffer, final int offset, final int producer)
    {
        buffer.putInt(offset + PRODUCER_OFFSET, producer);
    }

    public static int producer(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + PRODUCER_OFFSET);
    }

    /** @throws IllegalArgumentException if the payload cannot hold the stamp with the producer's index. */
    public static int requireRoom(final int payloadBytes)
    {
        if (payloadBytes < PRODUCER_STAMP_LENGTH)
        {
            throw new IllegalArgumentException("payloadBytes=" + payloadBytes + " must be >= " +
                PRODUCER_STAMP_LENGTH + " (the workloads stamp each payload with its number, time and producer index)");
        }
        return payloadBytes;
    }
}
