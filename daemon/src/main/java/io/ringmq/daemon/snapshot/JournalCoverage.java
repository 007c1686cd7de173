package io.ringmq.daemon.snapshot;

import java.nio.file.Path;

/**
 * The check at start that the snapshot recovery starts from and the journal together hold every command. Retention
 * deletes the journal's oldest roll cycles once a snapshot covers them, so a journal may start after log sequence 1;
 * without a snapshot that reaches the record before its first one, recovery would rebuild a state that silently
 * lacks commands (messages, acks, queues). Start-up is refused instead.
 */
public final class JournalCoverage
{
    private JournalCoverage()
    {
    }

    /**
     * @param journalFirstLogSequence log sequence of the journal's first record; 0 if the journal is empty, -1 if the
     *                                first record is damaged (nothing to check here: the replay reports the damage).
     * @param snapshotLogSequence     log sequence of the snapshot recovery starts from; 0 if none.
     * @throws IllegalStateException naming the missing log sequences if the journal starts after what the snapshot
     *                               holds.
     */
    public static void requireCovered(
        final long journalFirstLogSequence,
        final long snapshotLogSequence,
        final Path journalDirectory,
        final Path snapshotDirectory)
    {
        if (journalFirstLogSequence <= 1 || snapshotLogSequence >= journalFirstLogSequence - 1)
        {
            return;
        }
        final String snapshot = 0 == snapshotLogSequence ?
            "there is no valid snapshot in " + snapshotDirectory :
            "the newest valid snapshot in " + snapshotDirectory + " holds the state only up to log sequence " +
                snapshotLogSequence;
        throw new IllegalStateException("cannot recover: the journal in " + journalDirectory +
            " starts at log sequence " + journalFirstLogSequence + " (older roll cycles were deleted by retention) but " +
            snapshot + "; log sequences " + (snapshotLogSequence + 1) + " to " + (journalFirstLogSequence - 1) +
            " are missing. Refusing to start rather than recover a partial state: restore the missing snapshot " +
            "(or journal files) from a backup, or move the data directory aside to start empty");
    }
}
