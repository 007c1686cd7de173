package io.ringmq.daemon.roles;

import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.daemon.snapshot.Snapshotter;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.FsyncPolicy;
import io.ringmq.journal.JournalRetention;
import org.agrona.CloseHelper;

/**
 * What a recovery (a snapshot and the journal after it) leaves a node with: its state machine, the journal it appends
 * to, with its retention, and the snapshotter. A node's start recovers it; a running standby that installed the
 * primary's snapshot recovers it again, from that snapshot, and replaces the old one.
 */
public record RecoveredState(
    QueueStateMachine stateMachine,
    ChronicleJournal journal,
    JournalRetention retention,
    Snapshotter snapshotter,
    FsyncPolicy fsync) implements AutoCloseable
{
    /** Closes the snapshotter (its last snapshot written) and the journal: only once the ring that used them stopped. */
    public void close()
    {
        CloseHelper.quietClose(snapshotter);
        CloseHelper.quietClose(journal);
    }
}
