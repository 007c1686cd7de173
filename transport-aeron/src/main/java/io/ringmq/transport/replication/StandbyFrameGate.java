package io.ringmq.transport.replication;

import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import org.agrona.DirectBuffer;

/**
 * What the standby's two adapters (the live stream's and catch-up's) do with a frame before and after its type: one
 * check of the version, one epoch fence for every frame that carries the primary's epoch, and one reading of a
 * COMMANDS frame's outcome (no room: leave it in Aeron's log, {@code ABORT}, to be read again; malformed: counted).
 * Frames of an older epoch than the fence's are refused whatever their type, so a replaced primary can feed this
 * standby neither live nor through catch-up.
 * <p>
 * Not thread-safe: owned by the adapter, polled on the follower's thread; {@link #unknownFrames()} may be read from
 * any thread.
 */
final class StandbyFrameGate
{
    private final ReplicatedCommandSink sink;
    private final EpochFence fence;
    private volatile long unknownFrames;

    StandbyFrameGate(final ReplicatedCommandSink sink, final EpochFence fence)
    {
        this.sink = sink;
        this.fence = fence;
    }

    /** Whether the frame is long enough for a header and of this version; counted as unknown if not. */
    boolean isFrameOfThisVersion(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < ReplicationFrames.COMMANDS_HEADER_LENGTH ||
            ReplicationFrames.VERSION != ReplicationFrames.version(buffer, offset))
        {
            unknown();
            return false;
        }
        return true;
    }

    /** Whether a frame of {@code epoch} may be taken (the fence counts and logs a refusal). */
    boolean admits(final long epoch)
    {
        return fence.admit(epoch);
    }

    /** A COMMANDS frame: fenced, then its commands to the sink. */
    Action onCommands(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!fence.admit(ReplicationFrames.commandsEpoch(buffer, offset)))
        {
            return Action.CONTINUE; // an old primary's: counted and logged by the fence
        }
        final int outcome = CommandsFrame.deliver(buffer, offset, length, sink);
        if (CommandsFrame.NO_ROOM == outcome)
        {
            return Action.ABORT;
        }
        if (CommandsFrame.MALFORMED == outcome)
        {
            unknown();
        }
        return Action.CONTINUE;
    }

    /** Counts a frame that is not what its stream carries, or is cut short. */
    void unknown()
    {
        unknownFrames++; // single writer: the follower's thread
    }

    long unknownFrames()
    {
        return unknownFrames;
    }
}
