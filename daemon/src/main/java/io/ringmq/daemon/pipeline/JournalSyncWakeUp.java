package io.ringmq.daemon.pipeline;

import io.ringmq.journal.BatchCommit;
import org.agrona.concurrent.NanoClock;

import java.util.Objects;

/**
 * Wakes the ring's sync stage when its fsync policy left a batch unsynced and the sync is due
 * ({@link BatchCommit#syncDueAtNs()}, the INTERVAL policy). The ring's handlers only run when events arrive and must
 * not spin, so the ingress, whose duty cycle runs anyway, journals a tick: that tick's end of batch syncs the journal.
 * <p>
 * Not thread-safe: the ingress thread only (the due time it reads is published by the sync stage's thread).
 */
public final class JournalSyncWakeUp
{
    /** For policies that never leave a batch waiting. */
    public static final JournalSyncWakeUp NEVER = new JournalSyncWakeUp(BatchCommit.NONE, () -> 0);

    private final BatchCommit batchCommit;
    private final NanoClock clock;
    private long wokenForDueNs = BatchCommit.NO_SYNC_DUE;

    /**
     * @param clock the clock the batch commit reads (its due times are on that clock).
     */
    public JournalSyncWakeUp(final BatchCommit batchCommit, final NanoClock clock)
    {
        this.batchCommit = Objects.requireNonNull(batchCommit, "batchCommit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * True once for each due time that has come: the caller then journals one command. The due time only changes
     * once the journal has synced, so a wake-up still on its way is never followed by another.
     */
    boolean takeDue()
    {
        final long dueNs = batchCommit.syncDueAtNs();
        if (BatchCommit.NO_SYNC_DUE == dueNs || dueNs == wokenForDueNs || clock.nanoTime() - dueNs < 0)
        {
            return false;
        }
        wokenForDueNs = dueNs;
        return true;
    }
}
