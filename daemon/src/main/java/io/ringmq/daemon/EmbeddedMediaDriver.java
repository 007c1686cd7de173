package io.ringmq.daemon;

import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.ringmq.config.IdleStrategyType;
import io.ringmq.config.RingmqConfig;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The media driver a daemon runs in its own process when {@code ringmq.aeron.embedded} is set. SHARED threading with
 * a backoff idle strategy: IPC data does not pass through the driver, and a spinning driver thread would take a core
 * the ring needs.
 */
final class EmbeddedMediaDriver
{
    private EmbeddedMediaDriver()
    {
    }

    /**
     * @throws IllegalStateException if another daemon or media driver already uses the configured Aeron directory:
     *                               starting over it would delete the directory under a live one.
     */
    static MediaDriver launch(final RingmqConfig config)
    {
        final String aeronDir = config.aeronDir().toString();
        if (CommonContext.isDriverActive(config.aeronDir().toFile(), 1000, (message) -> {}))
        {
            throw new IllegalStateException("a ringmq daemon (or another Aeron media driver) is already running" +
                " with ringmq.aeron.dir=" + aeronDir);
        }
        final MediaDriver mediaDriver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .threadingMode(ThreadingMode.SHARED)
            // Its one thread carries UDP clients' traffic (IPC bypasses it): Agrona's default backoff parks up to 1 ms,
            // which a remote client at a low rate would see as latency. Never spinning: it must not take a core.
            .sharedIdleStrategy(Strategies.idleStrategy(IdleStrategyType.BACKOFF))
            .ipcTermBufferLength(config.aeronIpcTermLength())
            .ipcPublicationTermWindowLength(config.aeronIpcTermLength())
            .termBufferSparseFile(config.aeronSparseTerms()));
        try
        {
            writePidFile(config.aeronDir());
        }
        catch (final RuntimeException | Error ex)
        {
            CloseHelper.quietClose(mediaDriver);
            throw ex;
        }
        return mediaDriver;
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
