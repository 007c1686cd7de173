package io.ringmq.transport.replication;

import org.agrona.DirectBuffer;

/**
 * Reads the commands out of one COMMANDS frame (see {@link ReplicationFrames}) into a {@link ReplicatedCommandSink}:
 * the one reading of that layout, shared by the live stream and catch-up. The sink is told where each frame starts and
 * ends, so it may hand a frame's commands on together.
 */
final class CommandsFrame
{
    /** Every command went to the sink. */
    static final int DELIVERED = 0;
    /** The sink had no room: read the whole frame again later (the sink skips what it already took). */
    static final int NO_ROOM = 1;
    /** A length ran past the frame's end: the commands before it went to the sink, the rest are dropped. */
    static final int MALFORMED = 2;

    private CommandsFrame()
    {
    }

    /**
     * @param offset where the frame's header starts; the caller checked that it is a COMMANDS frame of this version.
     * @return {@link #DELIVERED}, {@link #NO_ROOM} or {@link #MALFORMED}.
     */
    static int deliver(
        final DirectBuffer buffer, final int offset, final int length, final ReplicatedCommandSink sink)
    {
        sink.frameStart();
        try
        {
            return deliverEach(buffer, offset, length, sink);
        }
        finally
        {
            sink.frameEnd(); // what the sink held goes on, whatever the outcome (or a throw)
        }
    }

    private static int deliverEach(
        final DirectBuffer buffer, final int offset, final int length, final ReplicatedCommandSink sink)
    {
        final int count = ReplicationFrames.count(buffer, offset);
        final int end = offset + length;
        int position = offset + ReplicationFrames.COMMANDS_HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            final int commandOffset = position + ReplicationFrames.COMMAND_LENGTH_PREFIX;
            final int commandLength = commandOffset <= end ? buffer.getInt(position) : -1;
            if (commandLength < 0 || commandOffset + commandLength > end)
            {
                return MALFORMED;
            }
            if (!sink.offer(buffer, commandOffset, commandLength))
            {
                return NO_ROOM;
            }
            position = commandOffset + commandLength;
        }
        return DELIVERED;
    }
}
