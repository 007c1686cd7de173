package io.ringmq.daemon.snapshot;

import io.ringmq.journal.BesideJournal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A journal that ends before the snapshot recovery started from. Snapshots are always forced to disk; with
 * {@code ringmq.journal.fsync=NONE} the journal's last records may not be, so a power loss can keep a snapshot at log
 * sequence S and a journal that ends at E &lt; S. The snapshot holds the effect of every command up to S, so nothing
 * in that journal is needed any more; but appending S + 1 after E would leave a gap that every later replay from
 * this snapshot (a crash before the next snapshot) takes for a missing record, and refuses to start. So the old
 * journal is moved aside, whole (nothing is deleted), and a new one begins after S.
 */
public final class SupersededJournal
{
    private SupersededJournal()
    {
    }

    /**
     * @param journalEnd          log sequence of the journal's last record after recovery; 0 if it is empty.
     * @param snapshotLogSequence log sequence of the snapshot recovery started from; 0 if none.
     */
    public static boolean isBehind(final long journalEnd, final long snapshotLogSequence)
    {
        return journalEnd > 0 && journalEnd < snapshotLogSequence;
    }

    /**
     * Moves the (closed) journal directory to {@code <name>.superseded-<UTC time>} beside it.
     *
     * @return where it now is.
     */
    public static Path moveAside(final Path journalDirectory)
    {
        final Path aside = BesideJournal.path(journalDirectory, "superseded", BesideJournal.stamp());
        try
        {
            return Files.move(journalDirectory, aside);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot move the journal " + journalDirectory + " aside to " + aside, ex);
        }
    }
}
