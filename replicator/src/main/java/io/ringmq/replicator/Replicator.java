package io.ringmq.replicator;

import com.lmax.disruptor.EventHandler;
import io.ringmq.core.ring.CommandEvent;

/**
 * Ships every command on the ring to the hot standby, in parallel with the journal; the dispatcher runs only after
 * both have passed a sequence, so a receipt means "on the standby too" when replication is synchronous.
 * <p>
 * Runs on its own ring consumer thread.
 */
public interface Replicator extends EventHandler<CommandEvent>
{
    /** Whether this replicator ships anything; the daemon reports it at start. */
    boolean isActive();

    /**
     * The daemon is stopping: a replicator waiting for a standby that is not connected gives up (the commands it
     * holds stay journaled here, unreceipted), so the ring can drain. Thread-safe.
     */
    default void stopping()
    {
    }

    /**
     * A planned switchover drains the ring to hand over to the standby: wait for its acks however late, within the
     * drain's own deadline, rather than drop it from sync at the ack timeout. Thread-safe.
     */
    default void drainForHandover()
    {
    }

    /**
     * Releases the link to the standby (a primary handing over to it becomes its standby). Only once the ring has
     * drained.
     */
    default void close()
    {
    }

    /** Whether receipts wait for the standby (false once a lost one was dropped, policy continue). Thread-safe. */
    default boolean inSync()
    {
        return false;
    }

    /**
     * Whether the replicator needs a command to pass it although clients send none: it reads the standby's acks only
     * then, and a standby out of sync that caught up would stay so on an idle ring. Thread-safe.
     */
    default boolean wantsACommand()
    {
        return false;
    }

    /**
     * Whether commands wait for a standby's ack that none can give: policy hold, in sync, and no standby connected.
     * Thread-safe.
     */
    default boolean holdsForAbsentStandby()
    {
        return false;
    }

    /** Whether a standby takes the replication stream now. Thread-safe. */
    default boolean standbyConnected()
    {
        return false;
    }

    /** The highest log sequence offered to the standby (0 when nothing ships). Thread-safe. */
    default long shippedLogSequence()
    {
        return 0;
    }

    /** Commands shipped to the standby that it has not acked (as of the last poll of its acks). Thread-safe. */
    default long lagCommands()
    {
        return 0;
    }

    /**
     * Since when (the replicator's nano clock) the standby has lacked some of what was shipped to it; meaningful
     * while {@link #lagCommands()} is above 0. Thread-safe.
     */
    default long behindSinceNs()
    {
        return 0;
    }

    /** What the replicator has done, for the daemon's stats line. Thread-safe. */
    default String stats()
    {
        return "off";
    }
}
