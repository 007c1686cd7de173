package io.ringmq.perf;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ThroughputWorkloadTest
{
    @Test
    void theWarmUpIsAPassThenATenthAsManyOnAnotherQueue()
    {
        assertEquals(List.of(new ThroughputWorkload.WarmupPass("perf-warmup", 1_000_000),
            new ThroughputWorkload.WarmupPass("perf-warmup-2", 100_000)),
            ThroughputWorkload.warmupPasses(1_000_000, 2));
    }

    @Test
    void theSecondPassHasAtLeastOneMessagePerProducerAndNoWarmUpIsNone()
    {
        assertEquals(3, ThroughputWorkload.warmupPasses(5, 3).get(1).messages());
        assertEquals(List.of(), ThroughputWorkload.warmupPasses(2, 3));
        assertEquals(List.of(), ThroughputWorkload.warmupPasses(0, 1));
    }

    @Test
    void messagesAreSplitBetweenProducersTheFirstTakingTheRemainder()
    {
        assertArrayEquals(new long[] {4, 3, 3}, ThroughputWorkload.split(10, 3));
    }
}
