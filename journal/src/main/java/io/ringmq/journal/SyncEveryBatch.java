package io.ringmq.journal;

import java.util.Objects;

/**
 * {@link FsyncPolicy#BATCH}: forces the journal at every end of batch (group commit). In the daemon it runs in the
 * {@link SyncHandler}, whose batch is everything the journal appended since its previous sync began, so under load one
 * sync covers many commands and at low load each command gets its own. Also syncs at shutdown, which covers a batch
 * cut short by a failure.
 * <p>
 * Not thread-safe: the one thread that runs it (the sync stage's, or the journal handler's).
 */
public final class SyncEveryBatch implements BatchCommit
{
    private final Syncer syncer;

    public SyncEveryBatch()
    {
        this(Syncer.JOURNAL);
    }

    SyncEveryBatch(final Syncer syncer)
    {
        this.syncer = Objects.requireNonNull(syncer, "syncer");
    }

    @Override
    public void onEndOfBatch(final ChronicleJournal journal, final long sequence)
    {
        syncer.sync(journal);
    }

    @Override
    public void onShutdown(final ChronicleJournal journal)
    {
        syncer.sync(journal);
    }

    @Override
    public String toString()
    {
        return "SyncEveryBatch";
    }
}
