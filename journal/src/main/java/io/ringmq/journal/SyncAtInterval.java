package io.ringmq.journal;

import org.agrona.concurrent.NanoClock;

import java.util.Objects;

/**
 * {@link FsyncPolicy#INTERVAL}: forces the journal at an end of batch only when at least the interval has passed
 * since the previous sync, and once more at shutdown so a graceful stop loses nothing. The first end of batch syncs.
 * <p>
 * A batch that ends within the interval of the previous sync is passed on unsynced, and {@link #syncDueAtNs()} then
 * says when its sync is due: the daemon's ingress journals a tick at that time if no command came meanwhile, and the
 * tick's end of batch syncs (the ring's handlers only run when events arrive, and must not spin). While
 * commands keep arriving, the first batch to end once the interval has passed is synced before it is passed on. So
 * a receipted command is unsynced for at most about one interval (plus the ingress's idle back-off and the sync).
 * <p>
 * Not thread-safe: the one thread that runs it (the {@link SyncHandler}'s in the daemon, or the journal handler's);
 * {@link #syncDueAtNs()} may be read from any thread.
 */
public final class SyncAtInterval implements BatchCommit
{
    private final long intervalNs;
    private final NanoClock clock;
    private final Syncer syncer;
    private long lastSyncNs;
    private boolean pending;
    private volatile long syncDueAtNs = NO_SYNC_DUE;

    /**
     * @param intervalNs least time between two syncs at end of batch; positive.
     * @param clock      read once per end of batch.
     */
    public SyncAtInterval(final long intervalNs, final NanoClock clock)
    {
        this(intervalNs, clock, Syncer.JOURNAL);
    }

    /** With the way it syncs given: tests count syncs through it. */
    public SyncAtInterval(final long intervalNs, final NanoClock clock, final Syncer syncer)
    {
        if (intervalNs <= 0)
        {
            throw new IllegalArgumentException("fsync interval must be positive: " + intervalNs + " ns");
        }
        this.intervalNs = intervalNs;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.syncer = Objects.requireNonNull(syncer, "syncer");
        this.lastSyncNs = clock.nanoTime() - intervalNs;
    }

    @Override
    public void onEndOfBatch(final ChronicleJournal journal, final long sequence)
    {
        final long nowNs = clock.nanoTime();
        if (nowNs - lastSyncNs >= intervalNs)
        {
            syncer.sync(journal);
            lastSyncNs = nowNs;
            pending = false;
            syncDueAtNs = NO_SYNC_DUE;
        }
        else if (!pending)
        {
            pending = true;
            syncDueAtNs = lastSyncNs + intervalNs;
        }
    }

    @Override
    public long syncDueAtNs()
    {
        return syncDueAtNs;
    }

    @Override
    public void onShutdown(final ChronicleJournal journal)
    {
        // Unconditional: also covers a batch cut short by a failure, which never reached its end of batch.
        syncer.sync(journal);
        pending = false;
        syncDueAtNs = NO_SYNC_DUE;
    }

    /** True when a batch has ended since the last sync without being synced. */
    public boolean pending()
    {
        return pending;
    }

    public long intervalNs()
    {
        return intervalNs;
    }

    @Override
    public String toString()
    {
        return "SyncAtInterval[" + intervalNs + " ns]";
    }
}
