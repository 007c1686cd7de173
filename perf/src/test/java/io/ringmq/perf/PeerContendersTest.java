package io.ringmq.perf;

import io.ringmq.perf.artemis.ArtemisContender;
import io.ringmq.perf.raw.RawContender;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke test: the raw limit and Artemis run the N producers x M consumers throughput workload end to end on a small
 * count (their passes fail unless the group got every message exactly once, in each producer's order, with receipts in
 * send order), and every message has a receipt latency. It asserts nothing about speed.
 */
class PeerContendersTest
{
    private static final int ONE_MIB = 1 << 20; // small IPC terms: the raw run crosses term rotations

    @Test
    void everySystemRunsManyProducersToCompetingConsumers()
    {
        // 3,001 does not divide by 3: the first producer sends one more
        final ThroughputWorkload workload = new ThroughputWorkload(3_001, 300, 100, 256, FsyncMode.NONE, 60, 3, 2);
        for (final Contender contender : List.of(new RawContender(ONE_MIB, "BACKOFF"), new ArtemisContender()))
        {
            final ThroughputFigures figures = contender.throughput(workload, Progress.silent());

            assertEquals(contender.name(), figures.system());
            assertEquals("3P/2C", figures.workload().shape());
            assertEquals(3_001, figures.receiptNs().getTotalCount(), figures.format());
            assertTrue(figures.elapsedNs() > 0, figures.format());
        }
    }

    @Test
    void aWorkloadRefusesAPayloadWithoutRoomForTheStamp()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new ThroughputWorkload(10, 0, MessageStamp.PRODUCER_STAMP_LENGTH - 1, 8, FsyncMode.NONE, 10, 1, 1));
    }
}
