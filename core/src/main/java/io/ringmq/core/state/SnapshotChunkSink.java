package io.ringmq.core.state;

import org.agrona.DirectBuffer;

/**
 * Where a snapshot streamed by {@link QueueStateMachine#writeSnapshot(org.agrona.MutableDirectBuffer,
 * SnapshotChunkSink)} goes, one full chunk at a time: the state is never copied whole, so a snapshot of any size
 * takes the chunk's memory, not the state's.
 * <p>
 * Called on the thread writing the snapshot (the state's owner). The sink does the I/O; the state machine stays pure.
 */
@FunctionalInterface
public interface SnapshotChunkSink
{
    /**
     * Takes bytes {@code [0, length)} of the chunk; the writer reuses the chunk once this returns. An unchecked
     * exception abandons the snapshot (the state is not changed by writing it).
     */
    void onChunk(DirectBuffer chunk, int length);
}
