package io.ringmq.journal;

import net.openhft.chronicle.queue.RollCycle;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bin/ringmq daemon --repair}: rebuilds a journal with damage in the middle from the good records before the
 * damage, and moves the damaged journal aside, whole, next to it ({@code journal.damaged-<UTC time>}); nothing is
 * deleted. Records are copied verbatim (checksums recomputed) into the same roll cycles they came from
 * ({@link JournalRewrite}).
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

        final JournalRewrite.Outcome rewritten = JournalRewrite.rewrite(directory, rollCycle, "damaged",
            (buffer, offset, length, into) -> into.append(buffer, offset, length));
        return new Outcome(damage, rewritten.kept(), rewritten.movedAside());
    }
}
