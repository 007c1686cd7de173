package io.ringmq.daemon.replication;

/**
 * Where a standby's log leaves the pair's history, judged by the primary from the standby's catch-up request: the
 * rule of Raft and of Kafka's leader epochs (KIP-101), "truncate to the start of the first epoch you missed".
 * <p>
 * A node's log up to its last log sequence is the log of one epoch's primary (its own, if it was that primary, or the
 * one it followed). The primary of a newer epoch was that epoch's standby: it took the old primary's commands in
 * order up to some point and began its own epoch right after it, with an EpochStarted at the epoch's first log
 * sequence. So a log of the epoch just before this primary's agrees with this primary's log before that first log
 * sequence, and whatever it holds from there on was journaled by a replaced primary after its standby stopped taking
 * its commands: the divergent suffix. Those commands were never acked by the standby, so never receipted
 * (receipts wait for the in-sync standby), and are set aside, never kept.
 * <p>
 * The primary is authoritative: its EpochStarted is the record that started its epoch, and the epoch and its first log
 * sequence are part of its recovered state (its snapshots carry them). The witness knows the epoch but not where it
 * starts, and a pair without a witness has none. Only the current epoch's start is kept in the state, so a log two or
 * more epochs behind (possible only after a forced promote or a restore from backup) cannot be matched record for
 * record: it is taken to diverge from its first record, and the standby rebuilds from the primary alone.
 */
public final class EpochDivergence
{
    /** No divergence: the standby's log is a prefix of this primary's. */
    public static final long NONE = 0;

    private EpochDivergence()
    {
    }

    /**
     * @param standbyEpoch             the epoch whose primary's log the standby's is, up to its last log sequence.
     * @param standbyLastLogSequence   the standby's last log sequence.
     * @param primaryEpoch             this primary's epoch.
     * @param primaryEpochFirstLogSequence the first log sequence of this primary's epoch (its EpochStarted's; 1 in the
     *                                     first epoch).
     * @return {@link #NONE}, or the first log sequence from which the standby's records are to be set aside.
     */
    public static long divergedFrom(
        final long standbyEpoch,
        final long standbyLastLogSequence,
        final long primaryEpoch,
        final long primaryEpochFirstLogSequence)
    {
        if (standbyEpoch >= primaryEpoch)
        {
            return NONE;
        }
        final long from = standbyEpoch == primaryEpoch - 1 ? primaryEpochFirstLogSequence : 1;
        return standbyLastLogSequence >= from ? from : NONE;
    }
}
