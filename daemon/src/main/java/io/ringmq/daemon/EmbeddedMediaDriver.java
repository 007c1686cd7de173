package io.ringmq.daemon;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.ringmq.config.AeronThreadingMode;
import io.ringmq.config.IdleStrategyType;
import io.ringmq.config.RingmqConfig;
import org.agrona.CloseHelper;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The media driver a daemon runs in its own process when {@code ringmq.aeron.embedded} is set. SHARED threading with
 * a backoff idle strategy (growing while idle, as {@code ringmq.idle.strategy}'s default) unless
 * {@code ringmq.aeron.threading.mode} says DEDICATED: IPC data does not pass through the driver, and a spinning driver
 * thread would take a core the ring needs.
 * <p>
 * A directory a dead driver left behind is taken over; one a live driver uses is refused
 * ({@link AeronDirectoryOwner} tells them apart).
 */
final class EmbeddedMediaDriver
{
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private EmbeddedMediaDriver()
    {
    }

    /**
     * @throws IllegalStateException if a live media driver (another daemon's, or any other) uses the configured Aeron
     *                               directory, or the driver cannot start there (the directory's file system full,
     *                               say); the message names ringmq.aeron.dir.
     */
    static MediaDriver launch(final RingmqConfig config)
    {
        return launch(config, () -> true);
    }

    /**
     * @param mayIdleLonger whether the driver may grow its parks past 100 us when idle (GROWING_BACKOFF): the daemon
     *                      says yes only while no client is connected.
     */
    static MediaDriver launch(final RingmqConfig config, final BooleanSupplier mayIdleLonger)
    {
        return launch(config, AeronDirectoryOwner.SYSTEM_PROCESSES, SystemEpochClock.INSTANCE, mayIdleLonger);
    }

    /** For tests: the process table and clock the previous driver is judged by. */
    static MediaDriver launch(
        final RingmqConfig config, final AeronDirectoryOwner.ProcessTable processes, final EpochClock clock)
    {
        return launch(config, processes, clock, () -> true);
    }

    private static MediaDriver launch(
        final RingmqConfig config,
        final AeronDirectoryOwner.ProcessTable processes,
        final EpochClock clock,
        final BooleanSupplier mayIdleLonger)
    {
        final Path aeronDir = config.aeronDir();
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(aeronDir.toString())
            .dirDeleteOnStart(true) // only once the previous driver is known to be dead, below
            .dirDeleteOnShutdown(true)
            .ipcTermBufferLength(config.aeronIpcTermLength())
            .ipcPublicationTermWindowLength(config.aeronIpcTermLength())
            .termBufferSparseFile(config.aeronSparseTerms());
        threads(context, config, mayIdleLonger);
        if (IdleStrategyType.GROWING_BACKOFF == config.idleStrategy())
        {
            // Its async executor (name resolution) wakes every 1 ms by default, 1% of a core at rest here.
            context.asyncExecutorIdleStrategy(Strategies.mediaDriverIdleStrategy(config.idleStrategy(), () -> true));
        }
        takeOverOrRefuse(aeronDir, processes, clock.time(), context.driverTimeoutMs());

        final MediaDriver mediaDriver;
        try
        {
            mediaDriver = MediaDriver.launch(context);
        }
        catch (final Exception ex) // Aeron rethrows an IOException (no space left on device) unchecked
        {
            throw new IllegalStateException("the embedded Aeron media driver cannot start in ringmq.aeron.dir=" +
                aeronDir + ": " + ex, ex);
        }
        try
        {
            writePidFile(aeronDir);
        }
        catch (final RuntimeException | Error ex)
        {
            CloseHelper.quietClose(mediaDriver);
            throw ex;
        }
        return mediaDriver;
    }

    /**
     * SHARED: one thread carries UDP clients' traffic (IPC bypasses it): Agrona's default backoff parks up to 1 ms,
     * which a remote client at a low rate would see as latency. Never spinning: it must not take a core the ring needs.
     * DEDICATED (the low-latency profile, cores to spare): a thread per agent, each idling by ringmq.idle.strategy.
     * Each thread pins itself to its ringmq.affinity.driver.* CPU, if one is set, as it starts.
     */
    private static void threads(
        final MediaDriver.Context context, final RingmqConfig config, final BooleanSupplier mayIdleLonger)
    {
        if (AeronThreadingMode.DEDICATED == config.aeronThreadingMode())
        {
            context.threadingMode(ThreadingMode.DEDICATED)
                .conductorIdleStrategy(Strategies.dedicatedDriverIdleStrategy(config.idleStrategy(), mayIdleLonger))
                .senderIdleStrategy(Strategies.dedicatedDriverIdleStrategy(config.idleStrategy(), mayIdleLonger))
                .receiverIdleStrategy(Strategies.dedicatedDriverIdleStrategy(config.idleStrategy(), mayIdleLonger))
                .conductorThreadFactory(
                    ThreadAffinity.factory("the driver's conductor", config.affinityDriverConductor()))
                .senderThreadFactory(ThreadAffinity.factory("the driver's sender", config.affinityDriverSender()))
                .receiverThreadFactory(
                    ThreadAffinity.factory("the driver's receiver", config.affinityDriverReceiver()));
        }
        else
        {
            context.threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(Strategies.mediaDriverIdleStrategy(config.idleStrategy(), mayIdleLonger))
                .sharedThreadFactory(ThreadAffinity.factory("the driver", config.affinityDriverConductor()));
        }
    }

    private static void takeOverOrRefuse(
        final Path aeronDir, final AeronDirectoryOwner.ProcessTable processes, final long nowMs, final long timeoutMs)
    {
        final AeronDirectoryOwner owner = AeronDirectoryOwner.read(aeronDir);
        if (null == owner)
        {
            return;
        }
        final AeronDirectoryOwner.Verdict verdict = owner.judge(processes, nowMs, timeoutMs);
        if (verdict.alive())
        {
            throw new IllegalStateException("a ringmq daemon (or another Aeron media driver) is already running " +
                "with ringmq.aeron.dir=" + aeronDir + ": " + verdict.reason() + "; stop it, or give this daemon " +
                "its own ringmq.aeron.dir");
        }
        LOG.info("taking over ringmq.aeron.dir={} from a media driver that is no longer running: {}",
            aeronDir, verdict.reason());
    }

    private static void writePidFile(final Path aeronDir)
    {
        try
        {
            Files.writeString(aeronDir.resolve(Daemon.PID_FILE), Long.toString(ProcessHandle.current().pid()),
                StandardCharsets.US_ASCII);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write pid file in " + aeronDir, ex);
        }
    }
}
