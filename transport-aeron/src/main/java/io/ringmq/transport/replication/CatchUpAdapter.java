package io.ringmq.transport.replication;

import io.aeron.ControlledFragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

/**
 * The standby's end of the catch-up stream: the journal records the primary reads back for it (COMMANDS frames, to a
 * {@link ReplicatedCommandSink}, with the same back-pressure as the live stream), snapshot chunks and the end of each
 * catch-up (to a {@link CatchUpListener}). Every one carries the primary's epoch and is fenced as the live stream's
 * frames are (by the same {@link EpochFence} in a standby): an older epoch's answer is refused, counted, logged once.
 * <p>
 * Not thread-safe: polled by the standby's follower agent.
 */
public final class CatchUpAdapter implements ControlledFragmentHandler, AutoCloseable
{
    private static final int FRAGMENT_LIMIT = 16;

    private final Subscription subscription;
    private final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this);
    private final StandbyFrameGate gate;
    private final CatchUpListener listener;

    public CatchUpAdapter(
        final Subscription subscription, final ReplicatedCommandSink sink, final CatchUpListener listener)
    {
        this(subscription, sink, listener, new EpochFence(EpochFence.FIRST_EPOCH));
    }

    /** @param fence refuses answers of an epoch older than the newest this standby has taken (the live stream's). */
    public CatchUpAdapter(
        final Subscription subscription,
        final ReplicatedCommandSink sink,
        final CatchUpListener listener,
        final EpochFence fence)
    {
        this.subscription = subscription;
        this.gate = new StandbyFrameGate(sink, fence);
        this.listener = listener;
    }

    /** @return fragments read. */
    public int poll()
    {
        return subscription.controlledPoll(assembler, FRAGMENT_LIMIT);
    }

    /** Whether the primary's catch-up publication is connected. */
    public boolean isConnected()
    {
        return subscription.isConnected();
    }

    /** Frames that were not catch-up frames of this version, or cut short (counted, ignored). */
    public long unknownFrames()
    {
        return gate.unknownFrames();
    }

    public Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (!gate.isFrameOfThisVersion(buffer, offset, length))
        {
            return Action.CONTINUE;
        }
        switch (ReplicationFrames.type(buffer, offset))
        {
            case ReplicationFrames.COMMANDS:
                return gate.onCommands(buffer, offset, length);
            case ReplicationFrames.SNAPSHOT_CHUNK:
                if (length < ReplicationFrames.SNAPSHOT_CHUNK_HEADER_LENGTH)
                {
                    break;
                }
                if (gate.admits(ReplicationFrames.chunkEpoch(buffer, offset)))
                {
                    listener.onSnapshotChunk(
                        ReplicationFrames.requestId(buffer, offset),
                        ReplicationFrames.chunkLogSequence(buffer, offset),
                        ReplicationFrames.chunkFileLength(buffer, offset),
                        ReplicationFrames.chunkFileOffset(buffer, offset),
                        buffer,
                        offset + ReplicationFrames.SNAPSHOT_CHUNK_HEADER_LENGTH,
                        length - ReplicationFrames.SNAPSHOT_CHUNK_HEADER_LENGTH);
                }
                return Action.CONTINUE;
            case ReplicationFrames.CATCHUP_DONE:
                if (length < ReplicationFrames.CATCHUP_DONE_LENGTH)
                {
                    break;
                }
                if (gate.admits(ReplicationFrames.doneEpoch(buffer, offset)))
                {
                    listener.onCatchUpDone(
                        ReplicationFrames.requestId(buffer, offset),
                        ReplicationFrames.doneLogSequence(buffer, offset),
                        ReplicationFrames.doneDivergedFrom(buffer, offset));
                }
                return Action.CONTINUE;
            default:
                break;
        }
        gate.unknown();
        return Action.CONTINUE;
    }

    public void close()
    {
        subscription.close();
    }
}
