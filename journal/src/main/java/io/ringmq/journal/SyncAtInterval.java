package io.ringmq.journal;

import org.agrona.concurrent.NanoClock;

import java.util.Objects;

/**
 * {@link FsyncPolicy#INTERVAL}: forces the journal at an end of batch only when at least the interval has passed
 * since the previous sync, and once more at shutdown so a graceful stop loses nothing. The first end of batch syncs.
 * <p>
 * There is no timer: a batch that ends within the interval of the previous sync stays unsynced until a later end of
 * batch (the next command) or shutdown. While commands keep arriving, the first batch to end once the interval has
 * passed is synced before it is passed on, so at most one interval's worth of passed-on commands is unsynced.
 * <p>
 * Not thread-safe: the journal handler thread only.
 */
public final class SyncAtInterval implements BatchCommit
{
    private final long intervalNs;
    private final NanoClock clock;
    private final Syncer syncer;
    private long lastSyncNs;
    private boolean pending;

    /**
     * @param intervalNs least time between two syncs at end of batch; positive.
     * @param clock      read once per end of batch.
     */
    public SyncAtInterval(final long intervalNs, final NanoClock clock)
    {
        this(intervalNs, clock, Syncer.JOURNAL);
    }

    SyncAtInterval(final long intervalNs, final NanoClock clock, final Syncer syncer)
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
        }
        else
        {
            pending = true;
        }
    }

    @Override
    public void onShutdown(final ChronicleJournal journal)
    {
        // Unconditional: also covers a batch cut short by a failure, which never reached its end of batch.
        syncer.sync(journal);
        pending = false;
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
