package io.ringmq.journal;

/**
 * What the journal handler (or the {@link SyncHandler} after it) does once the Disruptor batch it just handled ends:
 * the seam for the fsync policy (group commit). Called on the journal handler thread, the journal's writer thread, so
 * it may call {@link ChronicleJournal#sync()}; or on the sync stage's thread, syncing through
 * {@link Syncer#APPENDED}.
 * <p>
 * The Disruptor advances the calling stage's sequence only after the whole batch, end-of-batch call included, so
 * stages after it (the dispatcher, which sends receipts) see none of the batch before this returns.
 *
 * @see FsyncPolicy
 */
@FunctionalInterface
public interface BatchCommit
{
    /** Leaves durability to the operating system's page cache write-back. */
    BatchCommit NONE = (journal, sequence) -> {};

    /**
     * @param journal  the journal the batch was appended to.
     * @param sequence ring sequence of the batch's last event.
     */
    void onEndOfBatch(ChronicleJournal journal, long sequence);

    /**
     * Called once when the journal handler stops (a graceful stop drains the ring first), on the writer thread,
     * before the appender is closed. Does nothing by default.
     */
    default void onShutdown(final ChronicleJournal journal)
    {
    }

    /**
     * Thread-safe, read by the ingress: when this policy left a batch unsynced and wants to sync it without waiting
     * for more commands, the time (on the policy's own clock) from which one more command reaching the journal lets
     * it do so; {@link #NO_SYNC_DUE} when nothing waits. The journal handler only acts when events arrive, so
     * something else must wake it: the daemon's ingress journals a tick once this time has come.
     */
    default long syncDueAtNs()
    {
        return NO_SYNC_DUE;
    }

    /** {@link #syncDueAtNs()} when no sync waits. */
    long NO_SYNC_DUE = Long.MAX_VALUE;

    /** How a commit forces the journal; tests count calls through it. */
    @FunctionalInterface
    interface Syncer
    {
        /** Chronicle's msync, on the journal's writer thread. */
        Syncer JOURNAL = ChronicleJournal::sync;
        /** From the {@link SyncHandler}'s thread, while the writer appends on ({@link ChronicleJournal#syncAppended}). */
        Syncer APPENDED = ChronicleJournal::syncAppended;

        void sync(ChronicleJournal journal);
    }
}
