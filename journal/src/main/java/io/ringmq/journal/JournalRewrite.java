package io.ringmq.journal;

import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Chronicle Queue cannot change a record in place or cut a journal short, so a journal is mended by building a new
 * one beside it from the records of the old ({@code <journal>.<why>-building-<UTC time>}), then moving the old one
 * aside whole ({@code <journal>.<why>-<UTC time>}) and the new one into its place: nothing journaled is deleted.
 * Each record keeps its roll cycle; checksums are computed afresh. Run it with the daemon stopped.
 */
public final class JournalRewrite
{
    /**
     * What goes into the new journal in place of one record of the old: the record itself, or another.
     */
    @FunctionalInterface
    public interface RecordMapper
    {
        /**
         * @param buffer holds the old record at {@code offset}; valid only during the call.
         * @param into   where to append the record that takes its place.
         */
        void map(DirectBuffer buffer, int offset, int length, ChronicleJournal into);
    }

    /**
     * @param kept       records in the new journal.
     * @param movedAside where the old journal is now.
     */
    public record Outcome(long kept, Path movedAside)
    {
    }

    private JournalRewrite()
    {
    }

    /**
     * Builds the new journal from every record of the old that its scan hands on (up to damage, if any), through the
     * mapper, and puts it in the old one's place.
     *
     * @param rollCycle the configured roll cycle name.
     * @param why       names the moved-aside journal, e.g. "damaged".
     */
    public static Outcome rewrite(
        final Path directory, final String rollCycle, final String why, final RecordMapper mapper)
    {
        final RollCycle cycle = JournalRollCycle.parse(rollCycle);
        final String stamp = BesideJournal.stamp();
        final Path building = BesideJournal.path(directory, why + "-building", stamp);
        final Path aside = BesideJournal.path(directory, why, stamp);
        final long kept = copy(directory, building, cycle, mapper);
        try
        {
            Files.move(directory, aside);
            Files.move(building, directory);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("journal " + why + ": cannot move " + directory + " aside to " + aside +
                " and " + building + " in its place", ex);
        }
        return new Outcome(kept, aside);
    }

    private static long copy(final Path from, final Path to, final RollCycle rollCycle, final RecordMapper mapper)
    {
        final CycleTime time = new CycleTime();
        try (ChronicleJournal source = ChronicleJournal.open(from, rollCycle, null, 0, false);
            ChronicleJournal target = ChronicleJournal.open(to, rollCycle, time, 0, true))
        {
            final long[] copied = {0};
            source.scan((index, buffer, offset, length) ->
            {
                time.millis = (long)rollCycle.toCycle(index) * rollCycle.lengthInMillis();
                mapper.map(buffer, offset, length, target);
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
