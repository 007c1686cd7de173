package io.ringmq.daemon;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.ringmq.client.ClientContext;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Trial C finding 8: a client of one daemon whose daemon dies (its media driver gone, as under kill -9) stops waiting:
 * its poll says the daemon was lost once Aeron has closed the client, instead of returning 0 until the caller's own
 * timeout, and no Aeron exception name reaches the error handler.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientLosesItsDaemonTest
{
    @TempDir
    Path tempDir;

    @Test
    void aConsumerWhoseDaemonDiedIsToldAtOnce()
    {
        final MediaDriver driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(TestDaemons.aeronDir())
            .threadingMode(ThreadingMode.SHARED)
            .ipcTermBufferLength(1024 * 1024)
            .timerIntervalNs(TimeUnit.MILLISECONDS.toNanos(100))
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of(
            "ringmq.aeron.embedded", "false",
            "ringmq.aeron.dir", driver.aeronDirectoryName()));
        final List<String> told = new CopyOnWriteArrayList<>();
        Daemon daemon = null;
        RingmqClient client = null;
        try
        {
            daemon = Daemon.launch(new DaemonContext().settings(config)
                .aeronDriverTimeoutNs(TimeUnit.SECONDS.toNanos(2)));
            client = RingmqClient.connect(new ClientContext()
                .aeronDirectoryName(driver.aeronDirectoryName())
                .connectTimeoutNs(TimeUnit.SECONDS.toNanos(2)) // also how long the driver may stay silent
                .clientName("test")
                .errorHandler((ex) -> told.add(ex.getMessage())));
            client.consumer("orders", "billing", 16, 0, true, (delivery) -> {});

            driver.close(); // what a kill -9 of the daemon leaves its clients with: no driver

            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String lost = null;
            while (null == lost)
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    fail("the client still waited 30 s after its daemon's driver stopped; told " + told);
                }
                try
                {
                    if (0 == client.poll())
                    {
                        Thread.yield();
                    }
                }
                catch (final RingmqException ex)
                {
                    lost = ex.getMessage();
                }
            }
            final String why = lost;
            assertTrue(why.startsWith("lost the ringmq daemon: "), why);
            assertTrue(client.isClosed(), "closed with the daemon gone");
            assertTrue(told.stream().noneMatch((line) -> line.contains("Exception")), () -> "told " + told);
        }
        finally
        {
            CloseHelper.quietCloseAll(client, daemon, driver);
        }
    }
}
