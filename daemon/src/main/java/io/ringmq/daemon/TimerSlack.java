package io.ringmq.daemon;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux timer slack of the threads a daemon starts ({@code ringmq.timer.slack}): how much later than asked the
 * kernel may wake a parked thread. With the kernel's default (50 us) every park of a backoff idle strategy lasts at
 * least that long, and a lone command that comes while the ring thread parks waits it out.
 * <p>
 * A new thread starts with the slack of the thread that creates it, so the daemon sets the slack on the thread that
 * launches it for the time of the launch and then gives that thread back its own: every thread the launch starts (the
 * ring's, the ingress', the media driver's, the pair's links'), and every thread those start later (a promotion's),
 * has the daemon's slack, while the embedding application's threads keep theirs. Through JNA, on the classpath with
 * OpenHFT's affinity library (as {@link ThreadAffinity} uses it); off Linux, or where the call fails, the threads keep
 * the slack they have and the daemon says so once in its log.
 * <p>
 * Acts on the calling thread only.
 */
final class TimerSlack implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(TimerSlack.class);
    /** From linux/prctl.h. */
    private static final int PR_SET_TIMERSLACK = 29;
    private static final int PR_GET_TIMERSLACK = 30;
    private static final TimerSlack UNCHANGED = new TimerSlack(null, 0);

    /** The libc function that set the slack; null when nothing was set, so nothing is given back. */
    private final Function prctl;
    private final long restoreNs;

    private TimerSlack(final Function prctl, final long restoreNs)
    {
        this.prctl = prctl;
        this.restoreNs = restoreNs;
    }

    /**
     * Sets the calling thread's timer slack until {@link #close()} gives it back its own.
     *
     * @param slackNs the slack for the threads this thread starts meanwhile; 0 leaves the slack as it is.
     */
    static TimerSlack forThreadsStartedHere(final long slackNs)
    {
        if (0 == slackNs)
        {
            return UNCHANGED;
        }
        if (!Platform.isLinux())
        {
            LOG.info("ringmq.timer.slack ignored: timer slack is a Linux setting");
            return UNCHANGED;
        }
        try
        {
            final Function prctl = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("prctl");
            final long ownNs = prctl.invokeInt(new Object[]{PR_GET_TIMERSLACK, 0L, 0L, 0L, 0L});
            if (ownNs <= 0 || 0 != prctl.invokeInt(new Object[]{PR_SET_TIMERSLACK, slackNs, 0L, 0L, 0L}))
            {
                LOG.warn("ringmq.timer.slack={} ns not applied: prctl refused it; the daemon's threads keep the " +
                    "kernel's slack", slackNs);
                return UNCHANGED;
            }
            return new TimerSlack(prctl, ownNs);
        }
        catch (final UnsatisfiedLinkError | RuntimeException ex) // no JNA native library for this platform
        {
            LOG.warn("ringmq.timer.slack={} ns not applied ({}); the daemon's threads keep the kernel's slack",
                slackNs, ex.toString());
            return UNCHANGED;
        }
    }

    /** Gives the calling thread back the slack it had. */
    public void close()
    {
        if (null != prctl)
        {
            prctl.invokeInt(new Object[]{PR_SET_TIMERSLACK, restoreNs, 0L, 0L, 0L});
        }
    }
}
