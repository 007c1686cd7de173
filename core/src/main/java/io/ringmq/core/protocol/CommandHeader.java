package io.ringmq.core.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Layout of the header the ingress stamps on every command before it enters the ring. The journal stores each
 * command as this header followed by the client's SBE frame, byte for byte, so replaying the journal feeds the
 * state machine exactly what it saw live.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Log Sequence (int64)                      |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Timestamp, epoch ns (int64)                   |
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |  Transport Session Id (int32) |        Reserved (int32)       |
 *  +-------------------------------+-------------------------------+
 *  |         SBE message header + body (the client's frame)       ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The transport session id is the Aeron session of the image the command arrived on (0 for commands the daemon
 * makes itself): a session is bound to it at connect, so when the image goes away the sessions can be closed.
 * Little-endian, like the SBE frames behind it.
 */
public final class CommandHeader
{
    public static final int LOG_SEQUENCE_OFFSET = 0;
    public static final int TIMESTAMP_OFFSET = 8;
    public static final int TRANSPORT_SESSION_ID_OFFSET = 16;
    public static final int LENGTH = 24;

    private CommandHeader()
    {
    }

    public static void write(
        final MutableDirectBuffer buffer,
        final int offset,
        final long logSequence,
        final long timestampNs,
        final int transportSessionId)
    {
        buffer.putLong(offset + LOG_SEQUENCE_OFFSET, logSequence, LITTLE_ENDIAN);
        buffer.putLong(offset + TIMESTAMP_OFFSET, timestampNs, LITTLE_ENDIAN);
        buffer.putInt(offset + TRANSPORT_SESSION_ID_OFFSET, transportSessionId, LITTLE_ENDIAN);
        buffer.putInt(offset + TRANSPORT_SESSION_ID_OFFSET + 4, 0, LITTLE_ENDIAN);
    }

    public static long logSequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + LOG_SEQUENCE_OFFSET, LITTLE_ENDIAN);
    }

    public static long timestampNs(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + TIMESTAMP_OFFSET, LITTLE_ENDIAN);
    }

    public static int transportSessionId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + TRANSPORT_SESSION_ID_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * A command for people: {@code log sequence 42 (Publish, 57 bytes)}. Reads only what is there; allocates, so for
     * errors and logs.
     */
    public static String describe(final DirectBuffer buffer, final int offset, final int length)
    {
        final int frameLength = length - LENGTH;
        final String frame;
        if (frameLength < Long.BYTES)
        {
            frame = frameLength + "-byte frame";
        }
        else
        {
            final SchemaLayout.Message message =
                SchemaLayout.RINGMQ.message(FrameValidator.templateId(buffer, offset + LENGTH));
            frame = (null == message ? "unknown template" : message.name()) + ", " + frameLength + " bytes";
        }
        return "log sequence " + logSequence(buffer, offset) + " (" + frame + ")";
    }
}
