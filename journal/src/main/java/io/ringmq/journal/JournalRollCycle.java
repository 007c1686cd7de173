package io.ringmq.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.util.Locale;

/**
 * The roll cycle names ringmq accepts in its configuration, and the Chronicle roll cycle each stands for. Chronicle
 * spreads these over several enums (and has moved them between releases), so the configuration names only this
 * short, stable list.
 */
final class JournalRollCycle
{
    static final String ALLOWED = "MINUTELY, HOURLY, DAILY, FAST_HOURLY, FAST_DAILY, LARGE_DAILY, TEST_SECONDLY";

    private JournalRollCycle()
    {
    }

    /**
     * @throws IllegalArgumentException naming the allowed values when {@code name} is not one of them.
     */
    static RollCycle parse(final String name)
    {
        if (null == name)
        {
            throw unknown(null);
        }

        switch (name.trim().toUpperCase(Locale.ROOT))
        {
            case "MINUTELY":
                return LegacyRollCycles.MINUTELY;
            case "HOURLY":
                return LegacyRollCycles.HOURLY;
            case "DAILY":
                return LegacyRollCycles.DAILY;
            case "FAST_HOURLY":
                return RollCycles.FAST_HOURLY;
            case "FAST_DAILY":
                return RollCycles.FAST_DAILY;
            case "LARGE_DAILY":
                return LargeRollCycles.LARGE_DAILY;
            case "TEST_SECONDLY":
                return TestRollCycles.TEST_SECONDLY; // a real process's retention within seconds (ReplicatedPairIT)
            default:
                throw unknown(name);
        }
    }

    private static IllegalArgumentException unknown(final String name)
    {
        return new IllegalArgumentException(
            "unknown journal roll cycle '" + name + "'; allowed (case-insensitive): " + ALLOWED);
    }
}
