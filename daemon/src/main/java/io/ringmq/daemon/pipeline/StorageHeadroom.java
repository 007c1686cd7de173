package io.ringmq.daemon.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Whether the journal's disk still has the free space it must keep ({@code ringmq.journal.min.free.space}). A full
 * disk must be seen before it breaks the journal: Chronicle fails an append it has no room for (and the daemon then
 * stops, fail-stop), and a write cut short leaves a record to repair. Below the floor the ingress refuses publishes
 * with STORAGE_FULL; acks and the rest go on (they free space rather than take it, and their records are small), and
 * publishes are taken again by themselves once space is freed.
 * <p>
 * Asked once per ingress duty cycle; asks the file system at most every {@link #CHECK_INTERVAL_NS}. Not thread-safe:
 * owned by the ingress thread.
 */
public final class StorageHeadroom
{
    /** Never full: no check ({@code ringmq.journal.min.free.space=0}). */
    public static final StorageHeadroom UNCHECKED = new StorageHeadroom(() -> Long.MAX_VALUE, 0, "");
    static final long CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Logger LOG = LoggerFactory.getLogger(StorageHeadroom.class);

    private final LongSupplier usableBytes;
    private final long minFreeBytes;
    private final String where;
    private boolean checked;
    private long nextCheckNs;
    private boolean full;

    /**
     * @param usableBytes  free bytes on the disk, as this process may use them.
     * @param minFreeBytes the floor; 0 = never full.
     * @param where        the disk, for the log.
     */
    StorageHeadroom(final LongSupplier usableBytes, final long minFreeBytes, final String where)
    {
        this.usableBytes = usableBytes;
        this.minFreeBytes = minFreeBytes;
        this.where = where;
    }

    /** The headroom of the disk the journal directory is on; {@link #UNCHECKED} when the floor is 0. */
    public static StorageHeadroom of(final Path journalDirectory, final long minFreeBytes)
    {
        if (0 == minFreeBytes)
        {
            return UNCHECKED;
        }
        final FileStore store;
        try
        {
            Files.createDirectories(journalDirectory);
            store = Files.getFileStore(journalDirectory);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot find the disk of the journal " + journalDirectory + ": " + ex, ex);
        }
        return new StorageHeadroom(() -> usableSpace(store), minFreeBytes, journalDirectory.toString());
    }

    /** Whether publishes must be refused now. */
    public boolean isFull(final long nowNs)
    {
        if (0 == minFreeBytes || (checked && nowNs - nextCheckNs < 0))
        {
            return full;
        }
        checked = true;
        nextCheckNs = nowNs + CHECK_INTERVAL_NS;
        final long usable = usableBytes.getAsLong();
        final boolean nowFull = usable < minFreeBytes;
        if (nowFull != full)
        {
            full = nowFull;
            if (nowFull)
            {
                LOG.error("the journal's disk ({}) has {} bytes free, below ringmq.journal.min.free.space={}: " +
                    "publishes are refused with STORAGE_FULL until space is freed", where, usable, minFreeBytes);
            }
            else
            {
                LOG.warn("the journal's disk ({}) has {} bytes free again: publishes are taken again", where, usable);
            }
        }
        return full;
    }

    private static long usableSpace(final FileStore store)
    {
        try
        {
            return store.getUsableSpace();
        }
        catch (final IOException ex)
        {
            LOG.warn("cannot read the free space of the journal's disk: {}", ex.toString());
            return Long.MAX_VALUE; // not known is not full: the journal itself reports a real failure
        }
    }
}
