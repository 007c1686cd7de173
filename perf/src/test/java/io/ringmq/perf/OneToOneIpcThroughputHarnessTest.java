package io.ringmq.perf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke test: the harness runs end to end on a small count and every message arrives exactly once. It asserts
 * nothing about speed.
 */
class OneToOneIpcThroughputHarnessTest
{
    @Test
    void everyMessageIsDeliveredExactlyOnceInOrder()
    {
        final ThroughputResult result = OneToOneIpcThroughputHarness.run(new HarnessContext()
            .messages(20_000)
            .warmupMessages(2_000)
            .payloadBytes(100)
            .window(1024)
            .prefetch(256)
            .ipcTermLength("1m") // small terms: the run crosses term rotations
            .maxMessageBytes("128k")
            .ringSize(4096)
            .timeoutS(60));

        assertEquals(20_000, result.messages());
        assertEquals(20_000, result.deliveredOnce());
        assertEquals(0, result.framesNotSent());
        assertEquals(0, result.framesRejected());
        assertTrue(result.toLastDeliveryNs() > 0 && result.toLastReceiptNs() > 0, result.format());
        assertTrue(result.latencyMaxNs() >= result.latencyP50Ns(), result.format());
    }

    @Test
    void commandLineOptionsOverrideTheDefaults()
    {
        final HarnessContext ctx = new HarnessContext()
            .parse(new String[] {"--messages", "1_000_000", "--payload-bytes", "64", "--client-idle", "backoff"})
            .conclude();

        assertEquals(1_000_000, ctx.messages());
        assertEquals(64, ctx.payloadBytes());
        assertEquals(HarnessContext.WINDOW_DEFAULT, ctx.window());
        assertThrows(IllegalArgumentException.class, () -> new HarnessContext().parse(new String[] {"--nope", "1"}));
        assertThrows(IllegalArgumentException.class, () -> new HarnessContext().parse(new String[] {"--messages"}));
        assertThrows(IllegalArgumentException.class, () -> new HarnessContext().window(0).conclude());
    }
}
