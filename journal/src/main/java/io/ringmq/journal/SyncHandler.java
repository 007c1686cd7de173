package io.ringmq.journal;

import com.lmax.disruptor.EventHandler;
import io.ringmq.core.ring.CommandEvent;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The journal's sync as a ring stage of its own, after the {@link JournalHandler} and before the dispatcher:
 * {@code journal -> sync -> dispatch}. It runs the {@link BatchCommit} (the fsync policy) at each end of its own
 * batch, through a {@link BatchCommit.Syncer} that syncs from this thread ({@link ChronicleJournal#syncAppended()}).
 * <p>
 * Why a stage and not a sync at the journal's end of batch: an msync takes 200 us to many ms on a loaded disk, and
 * while the journal thread sat in it nothing further was appended, so on a standby the next batch's {@code journaled}
 * ack waited behind the previous batch's sync, and on a primary the next batch waited to be appended. Here the journal
 * thread appends on while a sync runs; this stage's batch is whatever the journal passed meanwhile, so one sync covers
 * every command appended during the previous one (group commit grows with the disk's latency, as it should). Why a ring
 * stage and not a syncer thread the dispatcher's barrier waits on: the Disruptor already gives the ordering (the
 * dispatcher sees a sequence only after this stage passed it, and this stage passes a batch only after its end of
 * batch returned), the stop (a drain reaches this stage like any other) and the idle wait (the ring's wait strategy:
 * blocked when nothing comes) without a hand-written hand-off.
 * <p>
 * The stage's position in the ring ({@code disruptor.getSequenceValueFor}) is the synced position; {@link
 * #syncedSequence()} is the same, for readers without the Disruptor. Threading: its own Disruptor thread.
 */
public final class SyncHandler implements EventHandler<CommandEvent>
{
    private final ChronicleJournal journal;
    private final BatchCommit batchCommit;
    private final AtomicLong syncedSequence = new AtomicLong(-1);

    /**
     * @param batchCommit the fsync policy, whose syncer must sync from this thread
     *                    ({@link BatchCommit.Syncer#APPENDED}).
     */
    public SyncHandler(final ChronicleJournal journal, final BatchCommit batchCommit)
    {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.batchCommit = Objects.requireNonNull(batchCommit, "batchCommit");
    }

    /** Ring sequence of the last batch end this stage handled (synced, as the policy says); -1 before. Any thread. */
    public long syncedSequence()
    {
        return syncedSequence.get();
    }

    @Override
    public void onEvent(final CommandEvent event, final long sequence, final boolean endOfBatch)
    {
        if (endOfBatch)
        {
            batchCommit.onEndOfBatch(journal, sequence);
            syncedSequence.lazySet(sequence);
        }
    }

    /**
     * Syncs what is still pending (the {@link FsyncPolicy#INTERVAL} policy's last interval; a graceful stop drained
     * the ring first), then lets go of the file it syncs.
     */
    @Override
    public void onShutdown()
    {
        try
        {
            batchCommit.onShutdown(journal);
        }
        finally
        {
            journal.closeSyncer();
        }
    }
}
