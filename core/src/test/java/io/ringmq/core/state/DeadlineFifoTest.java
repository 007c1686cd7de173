package io.ringmq.core.state;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadlineFifoTest
{
    private final ConsumerGroup group = new ConsumerGroup(1, "g", new Queue("q"));
    private final DeadlineFifo fifo = new DeadlineFifo();

    private List<Long> expireUpTo(final long nowNs)
    {
        final List<Long> expired = new ArrayList<>();
        while (fifo.headDue(nowNs))
        {
            expired.add(fifo.headSequence());
            fifo.expireHead();
        }
        return expired;
    }

    @Test
    void deadlinesInOrderExpireFromTheHeadAndCancelledOnesNever()
    {
        final long[] ids = new long[5000]; // past the initial capacity: ids stay valid as the ring grows
        for (int i = 0; i < ids.length; i++)
        {
            assertTrue(fifo.accepts(100 + i));
            ids[i] = fifo.append(group, i, 100 + i);
        }
        for (int i = 0; i < ids.length; i += 2)
        {
            fifo.cancel(ids[i]);
        }
        assertEquals(2500, fifo.pending());
        assertEquals(100 + 4999, fifo.deadline(ids[4999]));

        assertEquals(List.of(1L, 3L), expireUpTo(103));
        assertFalse(fifo.accepts(99), "earlier than the last deadline: the wheel's");
        assertEquals(2498, expireUpTo(Long.MAX_VALUE).size());
        assertEquals(0, fifo.pending());
        assertTrue(fifo.accepts(5), "empty: any deadline fits again");
    }
}
