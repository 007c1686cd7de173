package io.ringmq.replicator;

import io.ringmq.core.ring.CommandEvent;

/** The replicator of a daemon without a standby: passes every sequence straight through. */
public final class NoReplication implements Replicator
{
    public void onEvent(final CommandEvent event, final long sequence, final boolean endOfBatch)
    {
        // No standby configured: nothing to ship.
    }

    public boolean isActive()
    {
        return false;
    }
}
