package io.ringmq.daemon.counters;

import io.ringmq.config.Durations;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The journal's syncs as the daemon counts them: how many, their time, and the slow ones (at least {@code
 * ringmq.journal.fsync.slow}), which also become a warning. Written by the one thread that syncs ({@link
 * #recordSync}: plain lazy sets, no lock, no allocation; a compare-and-set only for a slow sync, which has just cost
 * at least a millisecond), read by the counters' sampler, which asks {@link #slowSyncWarning} each time.
 * <p>
 * Why a warning at all, when {@code journal_sync} in {@code ringmq stat} shows every sync's latency: a sync of seconds
 * (the disk's write-back congestion: one msync as long as a visibility timeout was measured here) holds every receipt
 * behind it as long, and the first thing an operator sees of it is a client's timeout; the daemon's log should say
 * why. At most one warning every {@link #WARN_EVERY_NS}, summing what happened meanwhile, so a disk that stays slow
 * does not flood the log.
 */
final class JournalSyncFigures
{
    static final long WARN_EVERY_NS = TimeUnit.SECONDS.toNanos(10);

    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong timeNs = new AtomicLong();
    private final AtomicLong slowSyncs = new AtomicLong();
    /** The slowest sync since the last warning; the sampler takes it (and sets 0) when it warns. */
    private final AtomicLong slowestNs = new AtomicLong();
    private volatile long slowThresholdNs = Long.MAX_VALUE;

    /** Sampler thread only. */
    private long slowSyncsWarned;
    private long lastWarningNs;
    private boolean warnedOnce;

    /** The threshold of a slow sync, set by whoever makes the syncer (the same for every one a daemon makes). */
    void slowThresholdNs(final long thresholdNs)
    {
        slowThresholdNs = thresholdNs;
    }

    /** One sync of {@code durationNs}, on the thread that syncs. */
    void recordSync(final long durationNs)
    {
        timeNs.lazySet(timeNs.get() + durationNs);
        syncs.lazySet(syncs.get() + 1);
        if (durationNs >= slowThresholdNs)
        {
            slowestNs.accumulateAndGet(durationNs, Math::max);
            slowSyncs.lazySet(slowSyncs.get() + 1);
        }
    }

    long syncs()
    {
        return syncs.get();
    }

    long timeNs()
    {
        return timeNs.get();
    }

    long slowSyncs()
    {
        return slowSyncs.get();
    }

    /**
     * Sampler thread: the warning to log now, or null: there were slow syncs since the last warning, and the last one
     * was at least {@link #WARN_EVERY_NS} ago by {@code nowNs} (the first one at once).
     */
    String slowSyncWarning(final long nowNs)
    {
        final long slow = slowSyncs.get();
        if (slow == slowSyncsWarned || (warnedOnce && nowNs - lastWarningNs < WARN_EVERY_NS))
        {
            return null;
        }
        final long newSlow = slow - slowSyncsWarned;
        final long slowestMs = TimeUnit.NANOSECONDS.toMillis(slowestNs.getAndSet(0));
        final String since = warnedOnce ?
            "in the last " + TimeUnit.NANOSECONDS.toSeconds(nowNs - lastWarningNs) + " s" : "since the daemon started";
        slowSyncsWarned = slow;
        lastWarningNs = nowNs;
        warnedOnce = true;
        return "journal: " + newSlow + (1 == newSlow ? " sync" : " syncs") + " to the device took " +
            Durations.format(slowThresholdNs) + " or longer " + since + ", the slowest " + slowestMs + " ms: the " +
            "receipts behind each waited as long (the disk's write-back is congested, or the device is slow); " +
            "journal_sync in ringmq stat shows the syncs' latency, journal_syncs_slow counts them " +
            "(ringmq.journal.fsync.slow)";
    }
}
