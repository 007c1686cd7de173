package io.ringmq.transport;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * Issue 19's ingress suspect, cleared: with the daemon ingress's settings (1 us parks doubling to 100 us, 10,000
     * of those, then doubling to 10 ms), a million idle turns never park longer than 10 ms, the parks never shrink
     * while idle, and the first work after the quiet starts over from spinning and a 1 us park.
     */
    @Test
    void aLongQuietNeverParksPastTheIdleMaxAndWorkAfterItStartsOver()
    {
        final List<Long> ingressParks = new ArrayList<>();
        final GrowingBackoffIdleStrategy ingress =
            new GrowingBackoffIdleStrategy(10, 20, 1_000, 100_000, 10_000, 10_000_000, () -> true, ingressParks::add);
        for (int i = 0; i < 1_000_000; i++)
        {
            ingress.idle(0);
        }
        long previous = 0;
        for (final long parkNs : ingressParks)
        {
            assertTrue(parkNs >= previous && parkNs <= 10_000_000, "parks grow, up to 10 ms: " + parkNs);
            previous = parkNs;
        }
        assertEquals(10_000_000L, previous);
        assertEquals(10_000, ingressParks.stream().filter((parkNs) -> 100_000 == parkNs).count(),
            "the patient parks at 100 us, then growth");

        ingressParks.clear();
        ingress.idle(1);
        for (int i = 0; i < 10 + 20 + 1; i++)
        {
            ingress.idle(0);
        }
        assertEquals(List.of(1_000L), ingressParks, "spins and yields again, then the shortest park");
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
