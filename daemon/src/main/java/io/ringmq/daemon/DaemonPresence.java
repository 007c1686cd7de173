package io.ringmq.daemon;

import io.aeron.CommonContext;
import org.agrona.concurrent.SystemEpochClock;

import java.nio.file.Path;

/**
 * Whether a live media driver (a daemon's embedded one, or an external one) owns an Aeron directory, for tools that
 * read it from outside ({@code ringmq stat}): the same verdict a starting daemon reaches ({@link AeronDirectoryOwner}).
 */
public final class DaemonPresence
{
    private DaemonPresence()
    {
    }

    /** @return null when a live driver owns the directory, else why not, in words naming {@code ringmq.aeron.dir}. */
    public static String whyNoDriver(final Path aeronDir)
    {
        final AeronDirectoryOwner owner = AeronDirectoryOwner.read(aeronDir);
        if (null == owner)
        {
            return "no ringmq daemon is running: no media driver in ringmq.aeron.dir=" + aeronDir;
        }
        final AeronDirectoryOwner.Verdict verdict = owner.judge(AeronDirectoryOwner.SYSTEM_PROCESSES,
            SystemEpochClock.INSTANCE.time(), CommonContext.DRIVER_TIMEOUT_MS);
        return verdict.alive() ? null : "no ringmq daemon is running: the media driver in ringmq.aeron.dir=" +
            aeronDir + " has stopped (" + verdict.reason() + ")";
    }
}
