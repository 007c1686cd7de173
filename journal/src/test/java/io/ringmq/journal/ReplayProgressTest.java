package io.ringmq.journal;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReplayProgressTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final CachedNanoClock clock = new CachedNanoClock();
    private final List<String> lines = new ArrayList<>();

    @Test
    void reportsPositionRateAndEtaOncePerInterval()
    {
        final ReplayProgress progress = new ReplayProgress(10_000_000, 2 * SECOND, clock, lines::add, 1);
        clock.update(50 * SECOND);
        progress.start();

        replay(progress, 1_000_000, 1_000_000, SECOND / 2);
        assertEquals(List.of(), lines, "less than the interval has passed");

        replay(progress, 2_000_000, 3_000_000, SECOND + SECOND / 2); // 2 s since start: 3,000,000 at 1.5M/s
        assertEquals(List.of("replaying journal: 3,000,000 of 10,000,000 commands (30.0%), at log sequence 3000000, " +
            "1,500,000 events/s, ETA 4.7 s"), lines);

        replay(progress, 1_000_000, 4_000_000, 2 * SECOND); // 1M in the last 2 s: the recent rate, not the average
        assertEquals("replaying journal: 4,000,000 of 10,000,000 commands (40.0%), at log sequence 4000000, " +
            "500,000 events/s, ETA 12.0 s", lines.get(1));
        assertEquals(1_000_000, progress.averageRate());
        assertEquals(4 * SECOND, progress.elapsedNs());
    }

    @Test
    void readsTheClockOnlyEveryCheckEveryRecords()
    {
        final ReplayProgress progress = new ReplayProgress(0, SECOND, clock, lines::add, 1024);
        progress.start();
        clock.advance(10 * SECOND);
        for (int i = 1; i < 1024; i++)
        {
            progress.onRecord(i);
        }
        assertEquals(List.of(), lines, "no clock read before the 1024th record");
        progress.onRecord(1024);
        assertEquals(List.of("replaying journal: 1,024 commands, at log sequence 1024, 102 events/s"), lines,
            "no total known: no percentage, no ETA");
    }

    @Test
    void checkEveryMustBeAPowerOfTwo()
    {
        assertThrows(IllegalArgumentException.class, () -> new ReplayProgress(0, SECOND, clock, lines::add, 1000));
    }

    /** {@code count} records, the last at log sequence {@code lastLogSequence}, the clock moving evenly by {@code ns}. */
    private void replay(final ReplayProgress progress, final int count, final long lastLogSequence, final long ns)
    {
        final long startNs = clock.nanoTime();
        final long first = lastLogSequence - count + 1;
        for (int i = 0; i < count; i++)
        {
            clock.update(startNs + (long)((double)ns * (i + 1) / count));
            progress.onRecord(first + i);
        }
    }
}
