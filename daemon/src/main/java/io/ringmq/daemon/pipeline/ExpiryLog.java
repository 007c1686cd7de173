package io.ringmq.daemon.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what an expiry key deleted (issue 17: groups by ringmq.queue.group.expiry, queues by ringmq.queue.expiry),
 * once per batch in which some went, so an operator sees why a group or queue vanished. Those a restart's replay
 * deleted again are not logged twice: counting starts from the figure the state machine had when the daemon went
 * live. Logs nothing while none expire (no allocation then).
 */
final class ExpiryLog
{
    private static final Logger LOG = LoggerFactory.getLogger(ExpiryLog.class);

    private final String what;
    private final String key;
    private final long expiredBeforeLive;
    /** Written by the dispatch thread only; read by the counters' sampler. */
    private volatile long logged;

    /**
     * @param what              what expires, plural: "group(s)".
     * @param key               the config key that set the expiry, with what it means: "no consumer for that long".
     * @param expiredBeforeLive what the state machine had expired when the daemon went live.
     */
    ExpiryLog(final String what, final String key, final long expiredBeforeLive)
    {
        this.what = what;
        this.key = key;
        this.expiredBeforeLive = expiredBeforeLive;
        this.logged = expiredBeforeLive;
    }

    void afterBatch(final long expired)
    {
        if (expired != logged)
        {
            LOG.info("{} {} deleted by {}; {} since start", expired - logged, what, key, expired - expiredBeforeLive);
            logged = expired;
        }
    }

    /** Expired since the daemon went live (a replay's not counted again); any thread. */
    long sinceLive()
    {
        return logged - expiredBeforeLive;
    }
}
