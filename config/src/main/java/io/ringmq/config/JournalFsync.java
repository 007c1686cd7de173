package io.ringmq.config;

/**
 * When the journal forces appended commands to disk ({@code ringmq.journal.fsync}). The names match the journal's
 * {@code FsyncPolicy} so the daemon maps them by name. What each survives is in the README's Durability section.
 */
public enum JournalFsync {
    /** Never forces: survives a process crash (the page cache holds the data), not a kernel crash or power loss. */
    NONE,
    /** One sync per ring batch, before any receipt of the batch goes out (group commit): survives power loss. */
    BATCH,
    /** At most one sync per {@code ringmq.journal.fsync.interval}: a power loss can lose the last interval. */
    INTERVAL
}
