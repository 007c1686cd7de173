package io.ringmq.daemon.counters;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalSyncFiguresTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    private final JournalSyncFigures figures = new JournalSyncFigures();

    @Test
    void countsEverySyncAndItsTimeAndOnlyTheSlowOnesAsSlow()
    {
        figures.slowThresholdNs(100 * MS);
        figures.recordSync(2 * MS);
        figures.recordSync(99 * MS);
        figures.recordSync(100 * MS);
        figures.recordSync(4 * S);

        assertEquals(4, figures.syncs());
        assertEquals(2 * MS + 99 * MS + 100 * MS + 4 * S, figures.timeNs());
        assertEquals(2, figures.slowSyncs());
    }

    @Test
    void noWarningWithoutSlowSyncs()
    {
        figures.slowThresholdNs(S);
        figures.recordSync(5 * MS);
        assertNull(figures.slowSyncWarning(0));
        assertNull(figures.slowSyncWarning(60 * S));
    }

    @Test
    void theFirstSlowSyncIsWarnedOfAtOnceThenAtMostOneWarningEveryTenSecondsSummingWhatCameMeanwhile()
    {
        figures.slowThresholdNs(S);
        figures.recordSync(3_500 * MS);
        final String first = figures.slowSyncWarning(5 * S);
        assertNotNull(first);
        assertTrue(first.contains("1 sync to the device took 1s or longer since the daemon started"), first);
        assertTrue(first.contains("the slowest 3500 ms"), first);
        assertNull(figures.slowSyncWarning(6 * S), "nothing new");

        figures.recordSync(1_200 * MS);
        figures.recordSync(2 * MS);
        figures.recordSync(7_000 * MS);
        assertNull(figures.slowSyncWarning(14 * S), "within ten seconds of the last warning");
        final String second = figures.slowSyncWarning(15 * S);
        assertNotNull(second);
        assertTrue(second.contains("2 syncs to the device took 1s or longer in the last 10 s"), second);
        assertTrue(second.contains("the slowest 7000 ms"), second);
        assertNull(figures.slowSyncWarning(60 * S), "nothing slow since");

        figures.recordSync(1_000 * MS);
        final String third = figures.slowSyncWarning(61 * S);
        assertNotNull(third, "ten seconds have passed: at once");
        assertTrue(third.contains("1 sync to the device took 1s or longer in the last 46 s, the slowest 1000 ms"),
            third);
        assertEquals(4, figures.slowSyncs());
    }
}
