package io.ringmq.journal;

import org.agrona.concurrent.NanoClock;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * When the journal forces what it appended to disk. The dispatcher, which sends receipts, runs only after the stage
 * that runs the policy (the daemon's {@link SyncHandler}, after the journal handler) has passed a command's ring
 * sequence, and a stage passes a whole Disruptor batch at once, after its end of batch. So whatever a policy does at
 * the end of a batch happens before any receipt for that batch goes out.
 * <ul>
 *   <li>{@link #NONE}: never forces. A receipted command survives the broker process dying (the data is in the
 *   operating system's page cache); a kernel crash or power loss loses what the kernel had not yet written back
 *   (Linux writes dirty pages back after about 30 s by default).</li>
 *   <li>{@link #BATCH}: one sync at every end of batch (group commit). Every receipted command survives a kernel
 *   crash or power loss. Under load one sync covers many commands; when idle, each command gets its own.</li>
 *   <li>{@link #INTERVAL}: a sync at an end of batch only when at least the interval has passed since the previous
 *   one, and once more at a graceful stop. Batches that end within the interval are receipted unsynced; when no
 *   further command arrives, the daemon's ingress journals a tick once the interval is up so that batch is synced
 *   then ({@link BatchCommit#syncDueAtNs()}). A kernel crash or power loss loses at most the receipted commands of
 *   about one interval.</li>
 * </ul>
 * The names match the configuration values of {@code ringmq.journal.fsync}.
 */
public enum FsyncPolicy
{
    NONE,
    BATCH,
    INTERVAL;

    static final String ALLOWED = "NONE, BATCH, INTERVAL";

    /**
     * @param name one of NONE, BATCH, INTERVAL (case-insensitive).
     * @throws IllegalArgumentException naming the allowed values when {@code name} is not one of them.
     */
    public static FsyncPolicy parse(final String name)
    {
        if (null != name)
        {
            final String wanted = name.trim().toUpperCase(Locale.ROOT);
            for (final FsyncPolicy policy : values())
            {
                if (policy.name().equals(wanted))
                {
                    return policy;
                }
            }
        }
        throw new IllegalArgumentException(
            "unknown journal fsync policy '" + name + "'; allowed (case-insensitive): " + ALLOWED);
    }

    /** True when this policy ever forces data to disk, so the journal must be opened with forcing syncs. */
    public boolean syncs()
    {
        return this != NONE;
    }

    /**
     * The journal handler's end-of-batch action for this policy.
     *
     * @param intervalNs least time between two syncs, for {@link #INTERVAL} (must then be positive); ignored
     *                   otherwise.
     * @param clock      time source for {@link #INTERVAL}; ignored otherwise.
     */
    public BatchCommit batchCommit(final long intervalNs, final NanoClock clock)
    {
        return batchCommit(intervalNs, clock, BatchCommit.Syncer.JOURNAL);
    }

    /**
     * The same, syncing through {@code syncer} (which must sync the journal it is given): the daemon counts and times
     * syncs through it.
     */
    public BatchCommit batchCommit(final long intervalNs, final NanoClock clock, final BatchCommit.Syncer syncer)
    {
        switch (this)
        {
            case BATCH:
                return new SyncEveryBatch(syncer);
            case INTERVAL:
                return new SyncAtInterval(intervalNs, clock, syncer);
            default:
                return BatchCommit.NONE;
        }
    }

    /** One line for the daemon's start-up log: what a receipt means under this policy. */
    public String describe(final long intervalNs)
    {
        switch (this)
        {
            case BATCH:
                return "one sync per ring batch before its receipts (group commit); a receipted command survives a " +
                    "power loss";
            case INTERVAL:
                return "at most one sync every " + formatMillis(intervalNs) + ", an unsynced batch synced within " +
                    "about one interval even when traffic stops, and at stop; a power loss can lose the receipted " +
                    "commands of about the last interval";
            default:
                return "no sync; a receipted command survives a process crash, not a power loss or kernel crash";
        }
    }

    private static String formatMillis(final long nanos)
    {
        final long micros = TimeUnit.NANOSECONDS.toMicros(nanos);
        return micros % 1000 == 0 ? (micros / 1000) + " ms" : micros + " us";
    }
}
