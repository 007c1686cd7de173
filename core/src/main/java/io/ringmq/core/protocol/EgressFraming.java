package io.ringmq.core.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * How the daemon packs frames into what it sends a client: one Aeron message carries one or more frames, each
 * preceded by its length (int32, little-endian). The dispatcher gathers a client's frames over a ring batch and sends
 * them in one message (smart batching: one Aeron append and one client fragment for many receipts and deliveries),
 * and the length lets a client step over a frame type it does not know.
 */
public final class EgressFraming
{
    /** Bytes of the length in front of each frame. */
    public static final int LENGTH_PREFIX = 4;

    private EgressFraming()
    {
    }

    /** Writes the length of the frame that follows at {@code offset + LENGTH_PREFIX}. */
    public static void putFrameLength(final MutableDirectBuffer buffer, final int offset, final int frameLength)
    {
        buffer.putInt(offset, frameLength, LITTLE_ENDIAN);
    }

    /** The length of the frame after the prefix at {@code offset}. */
    public static int frameLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, LITTLE_ENDIAN);
    }

    /** How many frames the packed bytes {@code [offset, offset + length)} hold. */
    public static int frameCount(final DirectBuffer buffer, final int offset, final int length)
    {
        int count = 0;
        for (int position = offset, end = offset + length; position < end; count++)
        {
            position += LENGTH_PREFIX + frameLength(buffer, position);
        }
        return count;
    }
}
