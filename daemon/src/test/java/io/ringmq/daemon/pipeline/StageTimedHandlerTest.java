package io.ringmq.daemon.pipeline;

import io.ringmq.core.ring.CommandEvent;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A handler's stage ends with its batch: each command of the batch is recorded from its ingress time to the time the
 * wrapped handler finished the batch's last, and nothing is recorded before then.
 */
class StageTimedHandlerTest
{
    private final CachedNanoClock clock = new CachedNanoClock();
    private final StageHistograms stages = new StageHistograms();
    private final List<Long> handled = new ArrayList<>();

    @Test
    void eachCommandOfABatchIsTimedToTheEndOfTheBatch() throws Exception
    {
        final StageTimedHandler handler = new StageTimedHandler((event, sequence, endOfBatch) ->
        {
            handled.add(sequence);
            if (endOfBatch)
            {
                clock.advance(5_000); // the batch's sync
            }
        }, clock, stages.recorder(Stage.INGRESS_TO_JOURNALED), 4);

        clock.update(100_000);
        handler.onEvent(event(90_000), 6, false);
        handler.onEvent(event(95_000), 7, false);
        assertEquals(0, logged(Stage.INGRESS_TO_JOURNALED).getTotalCount(), "nothing before the batch ends");
        handler.onEvent(event(99_000), 8, true); // the ring wrapped: sequence 8 is slot 0

        final Histogram batch = logged(Stage.INGRESS_TO_JOURNALED);
        assertEquals(3, batch.getTotalCount());
        assertEquals(15_000, batch.getMaxValue(), 15);
        assertEquals(6_000, batch.getMinValue(), 6);
        assertEquals(List.of(6L, 7L, 8L), handled);

        clock.update(200_000);
        handler.onEvent(event(200_000), 9, true);
        final Histogram next = logged(Stage.INGRESS_TO_JOURNALED);
        assertEquals(1, next.getTotalCount(), "the next batch alone");
        assertEquals(5_000, next.getMaxValue(), 5);
    }

    @Test
    void theRingSizeMustBeAPowerOfTwo()
    {
        assertThrows(IllegalArgumentException.class, () -> new StageTimedHandler((event, sequence, endOfBatch) -> { },
            clock, stages.recorder(Stage.INGRESS_TO_REPLICATED), 6));
    }

    private Histogram logged(final Stage stage)
    {
        stages.collect(clock.nanoTime());
        final Histogram histogram = StageHistograms.newHistogram();
        stages.moveLogged(stage, histogram);
        return histogram;
    }

    private static CommandEvent event(final long ingressNs)
    {
        final CommandEvent event = new CommandEvent();
        event.set(1, 1, 1, ingressNs, new UnsafeBuffer(new byte[8]), 0, 8);
        return event;
    }
}
