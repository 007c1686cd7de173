package io.ringmq.perf;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * What the latency workloads write at the start of every payload, so a receiver needs nothing but the bytes:
 * <pre>
 *  0               8               16
 *  +---------------+---------------+----------- ... padding up to the payload size
 *  | number (i64)  | intended (i64)|
 *  +---------------+---------------+----------- ...
 * </pre>
 * {@code number} counts messages from 1 in publish order; {@code intended} is the {@code System.nanoTime()} at which
 * the open-loop schedule meant the message to be sent (not when it was sent). Native byte order: writer and reader
 * share one process.
 */
public final class MessageStamp
{
    public static final int NUMBER_OFFSET = 0;
    public static final int INTENDED_NS_OFFSET = 8;
    public static final int LENGTH = 16;

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

    /** @throws IllegalArgumentException if the payload cannot hold the stamp. */
    public static int requireRoom(final int payloadBytes)
    {
        if (payloadBytes < LENGTH)
        {
            throw new IllegalArgumentException("payloadBytes=" + payloadBytes + " must be >= " + LENGTH +
                " (the latency workloads stamp each payload with its number and intended send time)");
        }
        return payloadBytes;
    }
}
