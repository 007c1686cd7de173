package io.ringmq.daemon;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A daemon whose media driver stops answering stops by its own fail-stop path, not by Aeron's default error handler's
 * System.exit on the client's conductor thread. Were that still so, this test's JVM would end here instead of failing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DriverStopsAnsweringDaemonTest
{
    @TempDir
    Path tempDir;

    @Test
    void theDaemonLogsWhyAndStopsItself() throws InterruptedException
    {
        final MediaDriver driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(TestDaemons.aeronDir())
            .threadingMode(ThreadingMode.SHARED)
            .ipcTermBufferLength(1024 * 1024)
            .timerIntervalNs(TimeUnit.MILLISECONDS.toNanos(100)) // its keepalive stamp: 1 s old at most by default
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of(
            "ringmq.aeron.embedded", "false",
            "ringmq.aeron.dir", driver.aeronDirectoryName()));
        final CountDownLatch stopped = new CountDownLatch(1);
        Daemon daemon = null;
        try
        {
            daemon = Daemon.launch(new DaemonContext().settings(config)
                .aeronDriverTimeoutNs(TimeUnit.SECONDS.toNanos(2)));
            daemon.onFatalError(stopped::countDown);
            assertTrue(null == daemon.fatalError(), "running");

            driver.close();
            if (!stopped.await(30, TimeUnit.SECONDS))
            {
                fail("the daemon did not take its driver for gone within 30 s");
            }
            final String why = daemon.fatalError();
            assertTrue(why.contains("stopped answering") && why.contains(driver.aeronDirectoryName()), why);

            final long closeStartNs = System.nanoTime();
            daemon.close();
            final long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeStartNs);
            assertTrue(closeMs < 60_000, "the stop is bounded: " + closeMs + " ms");
        }
        finally
        {
            CloseHelper.quietCloseAll(daemon, driver);
        }

        final List<String> recorded = new ArrayList<>();
        DaemonErrorLog.read(config.dataDir().resolve(DaemonErrorLog.FILE_NAME),
            (count, first, last, text) -> recorded.add(text));
        assertTrue(recorded.stream().anyMatch((text) -> text.contains("DriverTimeoutException")),
            () -> "the error log keeps the driver timeout: " + recorded);
    }
}
