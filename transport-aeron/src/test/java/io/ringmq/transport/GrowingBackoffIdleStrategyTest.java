package io.ringmq.transport;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The park sequence, stepped by hand: the parks are recorded, not taken. */
class GrowingBackoffIdleStrategyTest
{
    private static final long SPINS = 2;
    private static final long YIELDS = 3;

    private final List<Long> parks = new ArrayList<>();
    /** Parks 1, 2, 4, 8 ns, then 8 three times, then growing to 50. */
    private boolean mayGrow = true;
    private final GrowingBackoffIdleStrategy idle = new GrowingBackoffIdleStrategy(SPINS, YIELDS, 1, 8, 3, 50,
        () -> mayGrow, parks::add);

    @Test
    void spinsAndYieldsThenParksGrowToTheBackoffsMaxThenAfterThePatientParksToTheIdleMax()
    {
        idleTimes(SPINS + YIELDS);
        assertEquals(List.of(), parks, "spins and yields park nothing");

        idleTimes(12);

        assertEquals(List.of(1L, 2L, 4L, 8L, 8L, 8L, 16L, 32L, 50L, 50L, 50L, 50L), parks);
    }

    @Test
    void workStartsOverFromSpinning()
    {
        idleTimes(SPINS + YIELDS + 9); // into the long parks: ..., 8, 8, 8, 16, 32, 50
        parks.clear();

        idle.idle(1);
        idleTimes(SPINS + YIELDS);
        assertEquals(List.of(), parks, "work, then spins and yields again");
        idleTimes(7);
        assertEquals(List.of(1L, 2L, 4L, 8L, 8L, 8L, 16L), parks, "and the patience counts again from nothing");
    }

    @Test
    void resetStartsOverAsWorkDoes()
    {
        idleTimes(SPINS + YIELDS + 8);
        parks.clear();

        idle.reset();
        idleTimes(SPINS + YIELDS + 2);

        assertEquals(List.of(1L, 2L), parks);
    }

    @Test
    void noWorkIsIdleTime()
    {
        for (int i = 0; i < SPINS + YIELDS + 3; i++)
        {
            idle.idle(0);
        }

        assertEquals(List.of(1L, 2L, 4L), parks);
    }

    @Test
    void whileItMayNotGrowItStaysAtTheBackoffsMaxAndLeavesALongParkAtOnce()
    {
        idleTimes(SPINS + YIELDS + 9); // into the long parks: ..., 8, 8, 8, 16, 32, 50
        parks.clear();

        mayGrow = false; // a client connected
        idleTimes(5);
        assertEquals(List.of(50L, 8L, 8L, 8L, 8L), parks, "the park under way ends, then back to the backoff's max");

        parks.clear();
        mayGrow = true;
        idleTimes(6);
        assertEquals(List.of(8L, 8L, 8L, 16L, 32L, 50L), parks, "the patience counts again from nothing");
    }

    @Test
    void parksThatShrinkAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new GrowingBackoffIdleStrategy(1, 1, 10, 5, 1, 50));
        assertThrows(IllegalArgumentException.class, () -> new GrowingBackoffIdleStrategy(1, 1, 1, 10, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> new GrowingBackoffIdleStrategy(1, 1, 0, 10, 1, 50));
    }

    private void idleTimes(final long times)
    {
        for (long i = 0; i < times; i++)
        {
            idle.idle();
        }
    }
}
