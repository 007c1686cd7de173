package io.ringmq.journal;

/**
 * What the journal handler does once the Disruptor batch it just journaled ends: the seam for the fsync policy
 * (group commit). Called on the journal handler thread, the journal's writer thread, so it may call
 * {@link ChronicleJournal#sync()}.
 */
@FunctionalInterface
public interface BatchCommit
{
    /** Leaves durability to the operating system's page cache write-back. */
    BatchCommit NONE = (journal, sequence) -> {};

    /**
     * @param journal  the journal the batch was appended to.
     * @param sequence ring sequence of the batch's last event.
     */
    void onEndOfBatch(ChronicleJournal journal, long sequence);
}
