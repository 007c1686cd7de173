package io.ringmq.transport.replication;

import io.aeron.ControlledFragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

/**
 * The standby's end of the replication stream: reassembles COMMANDS frames (a batch may span many UDP fragments) and
 * hands their commands, in order, to a {@link ReplicatedCommandSink}. When the sink has no room the frame is left in
 * Aeron's log ({@code ABORT}) and read again on the next poll, so back-pressure reaches the primary instead of a
 * command being dropped.
 * <p>
 * Not thread-safe: polled by the standby's follower agent.
 */
public final class ReplicationAdapter implements ControlledFragmentHandler, AutoCloseable
{
    private static final int FRAGMENT_LIMIT = 16;

    private final Subscription subscription;
    private final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this);
    private final StandbyFrameGate gate;

    public ReplicationAdapter(final Subscription subscription, final ReplicatedCommandSink sink)
    {
        this(subscription, sink, new EpochFence(EpochFence.FIRST_EPOCH));
    }

    /** @param fence refuses frames of an epoch older than the newest this standby has taken. */
    public ReplicationAdapter(final Subscription subscription, final ReplicatedCommandSink sink, final EpochFence fence)
    {
        this.subscription = subscription;
        this.gate = new StandbyFrameGate(sink, fence);
    }

    /** @return fragments read. */
    public int poll()
    {
        return subscription.controlledPoll(assembler, FRAGMENT_LIMIT);
    }

    /** Whether the primary's publication is connected. */
    public boolean isConnected()
    {
        return subscription.isConnected();
    }

    /** Frames that were not COMMANDS of this version, or whose lengths ran past their end (counted, ignored). */
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
        if (ReplicationFrames.COMMANDS != ReplicationFrames.type(buffer, offset))
        {
            gate.unknown();
            return Action.CONTINUE;
        }
        return gate.onCommands(buffer, offset, length);
    }

    public void close()
    {
        subscription.close();
    }
}
