package io.ringmq.client;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.ringmq.transport.testing.EmbeddedAeron;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose media driver looks alive but stops answering while a following client registers with it (a node
 * killed, or restarting, on a loaded machine) is a node that did not take the client: the client hears a {@link
 * RingmqException} naming it, and the primary finder can go on to the next node. Found by the kill -9 fault suite in
 * CI, where Aeron's own DriverTimeoutException escaped the finder and ended a consumer's thread.
 * <p>
 * The stall is a driver in INVOKER mode that is invoked until its heartbeat is fresh and then never again.
 */
class DriverStallsWhileConnectingTest
{
    @Test
    void aStalledDriverIsANodeThatRefusedNotAnAeronFailure()
    {
        try (MediaDriver driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(EmbeddedAeron.uniqueDirectory())
            .threadingMode(ThreadingMode.INVOKER)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)))
        {
            driver.sharedAgentInvoker().invoke(); // stamps its heartbeat once: the client sees an active driver
            final ClientContext ctx = new ClientContext()
                .nodes(driver.aeronDirectoryName())
                .connectTimeoutNs(TimeUnit.MILLISECONDS.toNanos(500));

            final RingmqException ex = assertThrows(RingmqException.class, () -> RingmqClient.connect(ctx).close());

            assertTrue(ex.getMessage().contains(driver.aeronDirectoryName()), ex::getMessage);
            assertTrue(ex.getMessage().contains("failed while this client registered with it"), ex::getMessage);
        }
    }
}
