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
}
