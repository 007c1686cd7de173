package io.ringmq.journal;

import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bin/ringmq daemon --repair}: rebuilds a journal with damage in the middle from the good records before the
 * damage, and moves the damaged journal aside, whole, next to it ({@code journal.damaged-<UTC time>}); nothing is
 * deleted. Records are copied verbatim (checksums recomputed) into the same roll cycles they came from.
 * <p>
 * A journal that is intact, or whose only damage is a torn last record (which a normal start clears), is left alone.
 * Run it with the daemon stopped.
 */
public final class JournalRepair
{
    /**
     * @param damage     what was found; null when the journal was intact (or missing).
     * @param kept       records kept in the rebuilt journal (0 when nothing was repaired).
     * @param movedAside where the damaged journal now is; null when nothing was repaired.
     */
    public record Outcome(JournalDamage damage, long kept, Path movedAside)
    {
        public boolean repaired()
        {
            return null != movedAside;
        }

        public String describe()
        {
            if (null == damage)
            {
                return "journal intact: nothing to repair";
            }
            if (!repaired())
            {
                return "journal ends with a torn record, which a normal start clears: " + damage.describe();
            }
            return "journal repaired: kept the " + kept + " records before the damage; the damaged journal is now " +
                movedAside + " (" + damage.describe() + ")";
        }
    }

    private JournalRepair()
    {
    }

    /**
     * @param directory the journal directory (the daemon's {@code <data dir>/journal}).
     * @param rollCycle the configured roll cycle name.
     */
    public static Outcome repair(final Path directory, final String rollCycle)
    {
        if (!Files.isDirectory(directory))
        {
            return new Outcome(null, 0, null);
        }
        final RollCycle cycle = JournalRollCycle.parse(rollCycle);
        final JournalDamage damage;
        try (ChronicleJournal damaged = ChronicleJournal.open(directory, cycle, null, 0, false))
        {
            damage = damaged.scan((index, buffer, offset, length) -> {}).damage();
        }
        if (null == damage || damage.isTornTail())
        {
            return new Outcome(damage, 0, null);
        }

        final String stamp = BesideJournal.stamp();
        final Path rebuilt = BesideJournal.path(directory, "repairing", stamp);
        final Path aside = BesideJournal.path(directory, "damaged", stamp);
        final long kept = copyGoodRecords(directory, rebuilt, cycle);
        try
        {
            Files.move(directory, aside);
            Files.move(rebuilt, directory);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("journal repair: cannot move " + directory + " aside to " + aside +
                " and " + rebuilt + " in its place", ex);
        }
        return new Outcome(damage, kept, aside);
    }

    private static long copyGoodRecords(final Path from, final Path to, final RollCycle rollCycle)
    {
        final CycleTime time = new CycleTime();
        try (ChronicleJournal source = ChronicleJournal.open(from, rollCycle, null, 0, false);
            ChronicleJournal target = ChronicleJournal.open(to, rollCycle, time, 0, true))
        {
            final long[] copied = {0};
            source.scan((index, buffer, offset, length) ->
            {
                time.millis = (long)rollCycle.toCycle(index) * rollCycle.lengthInMillis();
                target.append(buffer, offset, length);
                copied[0]++;
            });
            target.sync();
            return copied[0];
        }
    }

    /** Puts each copied record in the roll cycle its original was in. */
    private static final class CycleTime implements TimeProvider
    {
        long millis;

        public long currentTimeMillis()
        {
            return millis;
        }
    }
}
