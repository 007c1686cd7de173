package io.ringmq.client;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.ringmq.transport.testing.EmbeddedAeron;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A client whose daemon's media driver stops answering is told, and its process goes on. Aeron's default error handler
 * ends the process on a driver timeout (System.exit): a fault-suite JVM died of it when a loaded machine's driver
 * keepalive came late. Were that still so, this test's JVM would end here instead of failing.
 */
class DriverStopsAnsweringTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(30);

    @Test
    void theApplicationIsToldAndTheAeronClientClosesItself() throws InterruptedException
    {
        final MediaDriver driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(EmbeddedAeron.uniqueDirectory())
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        final CopyOnWriteArrayList<RingmqException> errors = new CopyOnWriteArrayList<>();
        final ClientContext ctx = new ClientContext()
            .aeronDirectoryName(driver.aeronDirectoryName())
            .connectTimeoutNs(TimeUnit.MILLISECONDS.toNanos(500))
            .errorHandler(errors::add)
            .conclude();
        try
        {
            RingmqClient.connectAeron(ctx);
            driver.close();

            final long deadlineNs = System.nanoTime() + DEADLINE_NS;
            while (errors.stream().noneMatch((e) -> e.getMessage().contains("stopped answering")) ||
                !ctx.aeron().isClosed())
            {
                if (System.nanoTime() > deadlineNs)
                {
                    fail("no driver-timeout report within 30 s: " + errors);
                }
                Thread.sleep(10);
            }
            assertTrue(errors.stream().anyMatch((e) -> e.getMessage().contains(driver.aeronDirectoryName())),
                () -> "the report names the driver's directory: " + errors);
        }
        finally
        {
            CloseHelper.quietCloseAll(ctx.aeron(), driver);
        }
    }
}
