package io.ringmq.transport.replication;

import org.agrona.DirectBuffer;

/** Where the standby's {@link ReplicationAdapter} hands each replicated command, in log order. */
@FunctionalInterface
public interface ReplicatedCommandSink
{
    /**
     * Takes one command: the command header and the client frame, as the primary journaled them.
     *
     * @return false if there is no room now: the adapter stops, and this command and the rest of its batch come
     *         again on the next poll (so a sink sees a command again after a false, or one it took before).
     */
    boolean offer(DirectBuffer command, int offset, int length);

    /**
     * The commands of one frame (one of the primary's batches) follow: a sink may hold what it takes until
     * {@link #frameEnd()} and hand it on in one go (the standby's ring: one publish per frame, not per command).
     */
    default void frameStart()
    {
    }

    /** The frame's commands ended (all taken, no room, or cut short): whatever the sink held goes on now. Always called. */
    default void frameEnd()
    {
    }
}
