package io.ringmq.daemon;

import net.openhft.chronicle.core.time.TimeProvider;

/** For tests in other packages: a daemon context whose journal rolls by a clock the test moves. */
public final class RollClocks
{
    private RollClocks()
    {
    }

    public static DaemonContext journalRollClock(final DaemonContext ctx, final TimeProvider rollClock)
    {
        return ctx.journalRollClock(rollClock);
    }
}
