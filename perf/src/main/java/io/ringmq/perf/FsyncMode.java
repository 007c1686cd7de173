package io.ringmq.perf;

import java.util.Locale;

/**
 * When the journal of the system under test is forced to disk, named after ringmq's {@code ringmq.journal.fsync}.
 * Each system maps it to its own nearest setting so that a comparison is matched:
 * <ul>
 *   <li>{@link #NONE}: nothing waits for the disk (ringmq NONE; raw Chronicle appends without msync; Artemis with
 *   journal sync and datasync off). Survives a process crash, not a power loss.</li>
 *   <li>{@link #BATCH}: a receipt only after the message is on disk, one sync covering a batch (ringmq BATCH: msync at
 *   the Disruptor's end of batch; raw: msync once per poll batch; Artemis: journal sync on, its own group commit by
 *   the NIO journal's buffer timeout).</li>
 *   <li>{@link #INTERVAL}: ringmq only (sync at most every {@code ringmq.journal.fsync.interval}).</li>
 * </ul>
 */
public enum FsyncMode
{
    NONE,
    BATCH,
    INTERVAL;

    /** @throws IllegalArgumentException naming the allowed values. */
    public static FsyncMode parse(final String name)
    {
        try
        {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("fsync '" + name + "' must be one of NONE, BATCH, INTERVAL");
        }
    }

    /** Short label for tables: "fsync off", "fsync per batch", "fsync interval". */
    public String label()
    {
        return switch (this)
        {
            case NONE -> "fsync off";
            case BATCH -> "fsync per batch";
            case INTERVAL -> "fsync interval";
        };
    }
}
