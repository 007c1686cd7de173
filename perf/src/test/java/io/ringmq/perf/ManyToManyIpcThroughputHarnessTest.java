package io.ringmq.perf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke test: N producers to M competing consumers run end to end on a small count, every message reaches the group
 * exactly once, and every message has a receipt latency. It asserts nothing about speed.
 */
class ManyToManyIpcThroughputHarnessTest
{
    @Test
    void everyMessageOfEveryProducerReachesTheGroupExactlyOnce()
    {
        final ManyToManyResult result = ManyToManyIpcThroughputHarness.run(new HarnessContext()
            .producers(3)
            .consumers(2)
            .messages(10_001) // does not divide by 3: the split gives the first producers one more
            .warmupMessages(1_000)
            .payloadBytes(100)
            .window(512)
            .prefetch(128)
            .clientIdle("BACKOFF")
            .ipcTermLength("1m") // small terms: the run crosses term rotations
            .maxMessageBytes("128k")
            .ringSize(4096)
            .timeoutS(60));

        assertEquals("3P/2C", result.shape());
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
        assertArrayEquals(new long[] {4, 3, 3}, ManyToManyIpcThroughputHarness.split(10, 3));
        assertArrayEquals(new long[] {5}, ManyToManyIpcThroughputHarness.split(5, 1));
    }

    @Test
    void refusesWhatItCannotRun()
    {
        assertThrows(IllegalArgumentException.class, () -> new HarnessContext().producers(0).conclude());
        assertThrows(IllegalArgumentException.class,
            () -> new HarnessContext().parse(new String[] {"--consumers", "x"}));
        assertThrows(IllegalArgumentException.class,
            () -> ManyToManyIpcThroughputHarness.run(new HarnessContext().payloadBytes(16)));
        assertThrows(IllegalArgumentException.class,
            () -> ManyToManyIpcThroughputHarness.run(new HarnessContext().producers(4).messages(3)));
    }
}
