package io.ringmq.daemon.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeliveryTimesTest
{
    @Test
    void aDeliveryIsTimedOnceAndOnlyForItsOwnConsumerAndSequence()
    {
        final DeliveryTimes times = new DeliveryTimes(8, 64);
        times.put(10, 5, 1_000);
        times.put(11, 5, 2_000); // the same sequence to another consumer (another queue's)

        assertEquals(DeliveryTimes.NONE, times.remove(10, 6));
        assertEquals(DeliveryTimes.NONE, times.remove(12, 5));
        assertEquals(1_000, times.remove(10, 5));
        assertEquals(DeliveryTimes.NONE, times.remove(10, 5), "removed: settled twice times once");
        assertEquals(2_000, times.remove(11, 5));
    }

    @Test
    void aRedeliveryToTheSameConsumerReplacesItsTime()
    {
        final DeliveryTimes times = new DeliveryTimes(8, 8);
        times.put(10, 5, 1_000);
        times.put(10, 5, 3_000);

        assertEquals(3_000, times.remove(10, 5));
        assertEquals(8, times.slots(), "a redelivery is no collision");
    }

    @Test
    void moreInFlightThanSlotsGrowsTheTableAndKeepsEveryTime()
    {
        final DeliveryTimes times = new DeliveryTimes(8, 1024);
        for (long sequence = 1; sequence <= 1000; sequence++)
        {
            times.put(10, sequence, sequence * 100);
        }

        assertEquals(1024, times.slots());
        for (long sequence = 1; sequence <= 1000; sequence++)
        {
            assertEquals(sequence * 100, times.remove(10, sequence), "sequence " + sequence);
        }
    }

    @Test
    void atItsLargestANewerDeliveryTakesTheSlotAndTheOlderGoesUntimed()
    {
        final DeliveryTimes times = new DeliveryTimes(4, 8);
        for (long sequence = 1; sequence <= 9; sequence++)
        {
            times.put(10, sequence, sequence * 100);
        }

        assertEquals(8, times.slots());
        assertEquals(DeliveryTimes.NONE, times.remove(10, 1), "sequence 9 took its slot");
        assertEquals(900, times.remove(10, 9));
        assertEquals(200, times.remove(10, 2));
    }

    @Test
    void slotsArePowersOfTwo()
    {
        assertThrows(IllegalArgumentException.class, () -> new DeliveryTimes(6, 64));
        assertThrows(IllegalArgumentException.class, () -> new DeliveryTimes(64, 32));
    }
}
