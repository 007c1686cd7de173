package io.ringmq.perf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke test: the harness runs end to end on a small count, 1P/1C and N x M, every message reaches the group exactly
 * once, and every message has its latencies. It asserts nothing about speed.
 */
class IpcThroughputHarnessTest
{
    @Test
    void oneToOneDeliversEveryMessageExactlyOnceInOrder()
    {
        final ThroughputResult result = IpcThroughputHarness.run(new HarnessContext()
            .producers(1)
            .consumers(1)
            .messages(20_000)
            .warmupMessages(2_000)
            .payloadBytes(100)
            .window(1024)
            .prefetch(256)
            .ipcTermLength("1m") // small terms: the run crosses term rotations
            .maxMessageBytes("128k")
            .ringSize(4096)
            .timeoutS(60));

        assertEquals("1P/1C", result.workload().shape());
        assertEquals(20_000, result.messages());
        assertArrayEquals(new long[] {20_000}, result.deliveredPerConsumer(), result.format());
        assertEquals(20_000, result.ingressToConsumerNs().getTotalCount(), result.format());
        assertEquals(0, result.framesNotSent());
        assertEquals(0, result.framesRejected());
        assertTrue(result.toLastDeliveryNs() > 0 && result.toLastReceiptNs() > 0, result.format());
    }

    @Test
    void everyMessageOfEveryProducerReachesTheGroupExactlyOnce()
    {
        final ThroughputResult result = IpcThroughputHarness.run(new HarnessContext()
            .producers(3)
            .consumers(2)
            .messages(10_001) // does not divide by 3: the split gives the first producers one more
            .warmupMessages(1_000)
            .payloadBytes(100)
            .window(512)
            .prefetch(128)
            .clientIdle("BACKOFF")
            .ipcTermLength("1m")
            .maxMessageBytes("128k")
            .ringSize(4096)
            .timeoutS(60));

        assertEquals("3P/2C", result.workload().shape());
        assertEquals(10_001, result.messages());
        assertEquals(10_001, result.deliveredPerConsumer()[0] + result.deliveredPerConsumer()[1], result.format());
        assertEquals(10_001, result.receiptNs().getTotalCount(), result.format());
        assertEquals(10_001, result.deliverNs().getTotalCount(), result.format());
        assertEquals(0, result.framesNotSent());
        assertEquals(0, result.framesRejected());
        assertTrue(result.toLastDeliveryNs() > 0 && result.toLastReceiptNs() > 0, result.format());
        assertTrue(result.format().contains("publish->receipt"), result.format());
    }

    @Test
    void splitGivesTheRemainderToTheFirstProducers()
    {
        assertArrayEquals(new long[] {4, 3, 3}, ThroughputWorkload.split(10, 3));
        assertArrayEquals(new long[] {5}, ThroughputWorkload.split(5, 1));
    }

    @Test
    void commandLineOptionsOverrideTheDefaults()
    {
        final HarnessContext ctx = new HarnessContext()
            .parse(new String[] {"--messages", "1_000_000", "--payload-bytes", "64", "--client-idle", "backoff",
                "--consumers", "3"})
            .conclude();

        assertEquals(1_000_000, ctx.messages());
        assertEquals(64, ctx.payloadBytes());
        assertEquals(HarnessContext.WINDOW_DEFAULT, ctx.window());
        assertEquals(HarnessContext.PRODUCERS_DEFAULT, ctx.producers());
        assertEquals(3, ctx.consumers());
        assertThrows(IllegalArgumentException.class, () -> new HarnessContext().parse(new String[] {"--nope", "1"}));
        assertThrows(IllegalArgumentException.class, () -> new HarnessContext().parse(new String[] {"--messages"}));
        assertThrows(IllegalArgumentException.class, () -> new HarnessContext().window(0).conclude());
    }

    @Test
    void refusesWhatItCannotRun()
    {
        assertThrows(IllegalArgumentException.class, () -> new HarnessContext().producers(0).conclude());
        assertThrows(IllegalArgumentException.class,
            () -> new HarnessContext().parse(new String[] {"--consumers", "x"}));
        assertThrows(IllegalArgumentException.class,
            () -> IpcThroughputHarness.run(new HarnessContext().payloadBytes(16)));
        assertThrows(IllegalArgumentException.class,
            () -> IpcThroughputHarness.run(new HarnessContext().producers(4).messages(3)));
    }
}
