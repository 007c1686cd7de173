package io.ringmq.core.state;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.NackAction;
import io.ringmq.core.testing.Commands;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A snapshot streamed through a chunk much smaller than the state (and than its largest payload) gives the same bytes
 * as one written whole, and reads back into a machine that writes them again; a sink that fails part-way leaves the
 * state as it was.
 */
class StreamedSnapshotTest
{
    /** Smaller than the largest payload below, so a payload is split across chunks. */
    private static final int CHUNK = 97;

    @Test
    void aStateLargerThanTheChunkRoundTripsExactly()
    {
        final QueueStateMachine stateMachine = stateWithMessagesInFlightAndDeadLetters();
        final byte[] whole = wholeSnapshot(stateMachine);

        final ChunkCollector collected = new ChunkCollector();
        final long length = stateMachine.writeSnapshot(new UnsafeBuffer(ByteBuffer.allocateDirect(CHUNK)), collected);

        assertTrue(length > 100L * CHUNK, "the state is many chunks long: " + length);
        assertEquals(whole.length, length);
        assertTrue(collected.chunks > 100 && collected.largest <= CHUNK, collected.chunks + " chunks");
        final byte[] streamed = collected.bytes.toByteArray();
        assertArrayEquals(whole, streamed);

        final QueueStateMachine restored =
            QueueStateMachine.fromSnapshot(new UnsafeBuffer(streamed), 0, streamed.length, OutputSink.NONE);
        assertArrayEquals(whole, wholeSnapshot(restored), "the restored state snapshots to the same bytes");
        assertEquals(stateMachine.depth("q"), restored.depth("q"));
    }

    @Test
    void aSinkThatFailsPartWayAbandonsTheSnapshotAndLeavesTheStateAsItWas()
    {
        final QueueStateMachine stateMachine = stateWithMessagesInFlightAndDeadLetters();
        final byte[] before = wholeSnapshot(stateMachine);
        final int[] chunks = {0};
        final IllegalStateException failure = assertThrows(IllegalStateException.class, () ->
            stateMachine.writeSnapshot(new UnsafeBuffer(new byte[CHUNK]), (chunk, length) ->
            {
                if (++chunks[0] == 10)
                {
                    throw new IllegalStateException("no space left on device");
                }
            }));

        assertEquals("no space left on device", failure.getMessage());
        assertArrayEquals(before, wholeSnapshot(stateMachine));
    }

    private static QueueStateMachine stateWithMessagesInFlightAndDeadLetters()
    {
        final QueueStateMachine stateMachine = new QueueStateMachine(OutputSink.NONE);
        final Commands commands = new Commands(stateMachine);
        commands.nodeStarted(10_000, 2);
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 2, "q", "g", 100);
        commands.subscribe(1, 3, "q", "h", 0);
        for (int i = 0; i < 500; i++)
        {
            commands.publish(1, 10 + i, i % 2 == 0 ? "q" : "other", "message-" + "x".repeat(i % 300));
        }
        for (int sequence = 1; sequence <= 20; sequence++)
        {
            commands.nack(1, 1, sequence, 1, NackAction.REJECT);
        }
        commands.admin(1, 9, AdminAction.BROWSE, "q.dlq", "", 1);
        return stateMachine;
    }

    private static byte[] wholeSnapshot(final QueueStateMachine stateMachine)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        final int length = stateMachine.writeSnapshot(buffer, 0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private static final class ChunkCollector implements SnapshotChunkSink
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int chunks;
        int largest;

        public void onChunk(final org.agrona.DirectBuffer chunk, final int length)
        {
            final byte[] copy = new byte[length];
            chunk.getBytes(0, copy);
            bytes.write(copy, 0, length);
            chunks++;
            largest = Math.max(largest, length);
        }
    }
}
