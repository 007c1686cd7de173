package io.ringmq.daemon.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs groups that ringmq.queue.group.expiry deleted (issue 17), once per batch in which some went, so an operator
 * sees why a group vanished. Those a restart's replay deleted again are not logged twice: counting starts from the
 * figure the state machine had when the daemon went live. Logs nothing while none expire (no allocation then).
 */
final class GroupExpiryLog
{
    private static final Logger LOG = LoggerFactory.getLogger(GroupExpiryLog.class);

    private final long expiredBeforeLive;
    private long logged;

    GroupExpiryLog(final long expiredBeforeLive)
    {
        this.expiredBeforeLive = expiredBeforeLive;
        this.logged = expiredBeforeLive;
    }

    void afterBatch(final long expired)
    {
        if (expired != logged)
        {
            LOG.info("{} group(s) deleted by ringmq.queue.group.expiry (no consumer for that long); {} since start",
                expired - logged, expired - expiredBeforeLive);
            logged = expired;
        }
    }
}
