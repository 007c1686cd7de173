package io.ringmq.config;

/**
 * When the standby acks a replicated command ({@code ringmq.replication.ack}), and so when the primary's dispatcher
 * may apply it and send its receipt. What each survives is in the README's Replication section.
 */
public enum ReplicationAck {
    /** No wait: the primary ships and goes on; the standby may lag, and lose what was in flight. */
    NONE,
    /** Once the standby has the command in memory: survives the primary's loss, not both nodes' loss at once. */
    RECEIVED,
    /** Once the command is in the standby's journal (its page cache): survives a crash of either process. */
    JOURNALED,
    /**
     * Once forced to the standby's disk: the standby acks after its journal stage, which with
     * {@code ringmq.journal.fsync=BATCH} (required) passes a batch only after syncing it.
     */
    SYNCED
}
