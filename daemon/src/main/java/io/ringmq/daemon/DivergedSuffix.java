package io.ringmq.daemon;

import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.daemon.snapshot.SnapshotStore;
import io.ringmq.journal.BesideJournal;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.JournalRewrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Sets aside what an old primary journaled after the pair's history left it (see
 * {@code replication.EpochDivergence}): its records from the point of divergence on, and its snapshots of a state that
 * includes them. Chronicle Queue cannot cut a journal short, so the journal is rebuilt from its records before that
 * point ({@link JournalRewrite}) and the journal as it was is kept whole, with the snapshots set aside, in
 * {@code <data>/diverged-epoch<E>-<UTC time>/} (E: the epoch those records were journaled in). Nothing is deleted: an
 * operator can read those commands back (they were never receipted: receipts wait for the standby, which never took
 * them) and publish again what should not be lost.
 * <p>
 * The node then recovers from its newest snapshot before that point and the journal before it, and catches up the
 * rest from the primary. When that journal cannot continue that snapshot (retention deleted the records between), no
 * record is kept: the node recovers from the snapshot alone (or from nothing) and the primary sends it the rest, its
 * snapshot included if its own journal no longer holds the range. Run it with the node's journal closed.
 */
public final class DivergedSuffix
{
    private static final Logger LOG = LoggerFactory.getLogger(DivergedSuffix.class);
    static final String JOURNAL = "journal";
    static final String SNAPSHOTS = "snapshots";

    /**
     * @param directory    where the journal as it was and the snapshots set aside now are.
     * @param firstSetAside log sequence of the first record set aside (the point of divergence, or the journal's first
     *                     record when no record could be kept); 0 if the journal held none.
     * @param lastSetAside  log sequence of the last record set aside.
     * @param records       records of the journal as it was that the rebuilt one does not have.
     * @param snapshots     snapshots set aside.
     * @param kept          records kept.
     */
    public record Outcome(
        Path directory, long firstSetAside, long lastSetAside, long records, int snapshots, long kept)
    {
    }

    private DivergedSuffix()
    {
    }

    /**
     * @param divergedFrom the first log sequence the pair's history does not share with this node's journal.
     * @param epoch        the epoch of this node's log: names the directory the suffix goes to.
     */
    public static Outcome setAside(final RingmqConfig config, final long divergedFrom, final long epoch)
    {
        final Path aside = config.dataDir().resolve("diverged-epoch" + epoch + "-" + BesideJournal.stamp());
        final SnapshotStore snapshots = Recovery.snapshotStore(config);
        try
        {
            Files.createDirectories(aside);
            final int snapshotsSetAside = moveSnapshotsFrom(snapshots, divergedFrom, aside.resolve(SNAPSHOTS));
            final long keptSnapshot = snapshots.snapshotsNewestFirst().stream()
                .mapToLong(SnapshotStore::logSequenceOf).findFirst().orElse(0);
            final Path journal = Daemon.journalDirectory(config);
            final long[] range = {0, 0, 0};
            long kept = 0;
            if (Files.isDirectory(journal))
            {
                final long keepBelow = continuesSnapshot(config, journal, keptSnapshot) ? divergedFrom : 0;
                final JournalRewrite.Outcome rewritten = JournalRewrite.rewrite(journal,
                    config.journalRollCycle().name(), "diverged", (buffer, offset, length, into) ->
                    {
                        final long logSequence = CommandHeader.logSequence(buffer, offset);
                        if (logSequence < keepBelow)
                        {
                            into.append(buffer, offset, length);
                            return;
                        }
                        range[0] = 0 == range[0] ? logSequence : range[0];
                        range[1] = logSequence;
                        range[2]++;
                    });
                Files.move(rewritten.movedAside(), aside.resolve(JOURNAL));
                kept = rewritten.kept() - range[2];
            }
            final Outcome outcome = new Outcome(aside, range[0], range[1], range[2], snapshotsSetAside, kept);
            Files.writeString(aside.resolve("ABOUT.txt"), describe(outcome, divergedFrom, epoch) +
                System.lineSeparator(), StandardCharsets.UTF_8);
            LOG.warn(describe(outcome, divergedFrom, epoch));
            return outcome;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot set aside the journal after log sequence " + (divergedFrom - 1) +
                " into " + aside, ex);
        }
    }

    private static String describe(final Outcome outcome, final long divergedFrom, final long epoch)
    {
        return "this node's log left the pair's history at log sequence " + divergedFrom + " (where the epoch after " +
            epoch + " began): set aside " + outcome.records() + " journaled command(s)" +
            (0 == outcome.records() ? "" : ", log sequences " + outcome.firstSetAside() + " to " +
            outcome.lastSetAside()) + ", and " + outcome.snapshots() + " snapshot(s) of a state that had them; " +
            "never receipted (receipts wait for the standby, which never took them). The journal as it was and " +
            "those snapshots are in " + outcome.directory() + "; the rebuilt journal keeps " + outcome.kept() +
            " record(s) and the node catches up the rest from the primary";
    }

    /** Moves every snapshot at or after {@code divergedFrom} (its state holds commands set aside) into {@code to}. */
    private static int moveSnapshotsFrom(final SnapshotStore snapshots, final long divergedFrom, final Path to)
        throws IOException
    {
        int moved = 0;
        final List<Path> newestFirst = snapshots.snapshotsNewestFirst();
        for (final Path file : newestFirst)
        {
            if (SnapshotStore.logSequenceOf(file) < divergedFrom)
            {
                break;
            }
            Files.createDirectories(to);
            Files.move(file, to.resolve(file.getFileName()));
            moved++;
        }
        return moved;
    }

    /**
     * Whether the journal's records follow on from the snapshot kept (or from nothing), so that the two together hold
     * every command before the point of divergence: retention may have deleted the records after that snapshot.
     */
    private static boolean continuesSnapshot(final RingmqConfig config, final Path journal, final long snapshot)
    {
        try (ChronicleJournal reading = ChronicleJournal.open(journal, config.journalRollCycle().name()))
        {
            final long first = reading.firstLogSequence();
            return first >= 1 && first <= snapshot + 1;
        }
    }
}
