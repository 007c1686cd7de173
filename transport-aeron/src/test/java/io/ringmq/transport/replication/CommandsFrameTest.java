package io.ringmq.transport.replication;

import io.ringmq.core.protocol.CommandHeader;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.ringmq.transport.replication.ReplicationLinkTest.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A COMMANDS frame read into a sink: the sink is told the frame's start and end around its commands whatever the
 * outcome, so a sink that holds what it takes (the standby's ring, publishing per frame) always hands it on.
 */
class CommandsFrameTest
{
    private static final int FRAME_BYTES = 8;

    private final List<String> events = new ArrayList<>();
    private int room = Integer.MAX_VALUE;
    private final ReplicatedCommandSink sink = new ReplicatedCommandSink()
    {
        public boolean offer(final DirectBuffer command, final int offset, final int length)
        {
            if (room-- <= 0)
            {
                events.add("no room");
                return false;
            }
            events.add("offer " + CommandHeader.logSequence(command, offset));
            return true;
        }

        public void frameStart()
        {
            events.add("start");
        }

        public void frameEnd()
        {
            events.add("end");
        }
    };

    @Test
    void everyCommandBetweenTheFramesStartAndEnd()
    {
        final UnsafeBuffer frame = frame(3);
        assertEquals(CommandsFrame.DELIVERED, CommandsFrame.deliver(frame, 0, frame.capacity(), sink));
        assertEquals(List.of("start", "offer 1", "offer 2", "offer 3", "end"), events);
    }

    @Test
    void noRoomStillEndsTheFrame()
    {
        room = 1;
        final UnsafeBuffer frame = frame(3);
        assertEquals(CommandsFrame.NO_ROOM, CommandsFrame.deliver(frame, 0, frame.capacity(), sink));
        assertEquals(List.of("start", "offer 1", "no room", "end"), events);
    }

    @Test
    void aFrameCutShortStillEndsTheFrame()
    {
        final UnsafeBuffer frame = frame(3);
        assertEquals(CommandsFrame.MALFORMED, CommandsFrame.deliver(frame, 0, frame.capacity() - 1, sink));
        assertEquals(List.of("start", "offer 1", "offer 2", "end"), events);
    }

    @Test
    void aSinkThatThrowsStillHearsTheFramesEnd()
    {
        final UnsafeBuffer frame = frame(2);
        final ReplicatedCommandSink throwing = new ReplicatedCommandSink()
        {
            public boolean offer(final DirectBuffer command, final int offset, final int length)
            {
                throw new IllegalStateException("a slot that cannot be set");
            }

            public void frameEnd()
            {
                events.add("end");
            }
        };
        assertThrows(IllegalStateException.class, () -> CommandsFrame.deliver(frame, 0, frame.capacity(), throwing));
        assertEquals(List.of("end"), events, "what the sink claimed before the throw is handed on");
    }

    /** A COMMANDS frame of {@code count} commands, log sequences 1 to count. */
    private static UnsafeBuffer frame(final int count)
    {
        final int commandLength = CommandHeader.LENGTH + FRAME_BYTES;
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[ReplicationFrames.COMMANDS_HEADER_LENGTH +
            count * (ReplicationFrames.COMMAND_LENGTH_PREFIX + commandLength)]);
        ReplicationFrames.writeCommandsHeader(frame, count, EpochFence.FIRST_EPOCH);
        int position = ReplicationFrames.COMMANDS_HEADER_LENGTH;
        for (int i = 1; i <= count; i++)
        {
            frame.putInt(position, commandLength);
            frame.putBytes(position + ReplicationFrames.COMMAND_LENGTH_PREFIX, command(i, FRAME_BYTES), 0, commandLength);
            position += ReplicationFrames.COMMAND_LENGTH_PREFIX + commandLength;
        }
        return frame;
    }
}
