package io.ringmq.daemon.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventHandlerGroup;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.journal.BatchCommit;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.FsyncPolicy;
import io.ringmq.journal.JournalHandler;
import io.ringmq.journal.JournalRetention;
import io.ringmq.journal.SyncHandler;
import org.agrona.concurrent.NanoClock;

import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The journal's stages on a node's ring. The {@link JournalHandler} appends; when the fsync policy syncs, a
 * {@link SyncHandler} after it syncs on a thread of its own, so appends (and a standby's {@code journaled} acks) go on
 * while an msync runs; the dispatcher, which sends receipts, comes after the sync stage, so no receipt passes its
 * command's sync. With fsync {@code none} there is no sync stage and the ring is what it was:
 * <pre>
 *   fsync none:          journal ----------> dispatch        (replicator beside the journal, if any)
 *   fsync batch/interval: journal -> sync -> dispatch
 *                         replicator -------/
 * </pre>
 * Not thread-safe: built and wired by the thread that starts the pipeline.
 */
public final class JournalStages
{
    private final JournalHandler journal;
    /** Null when the policy never syncs. */
    private final SyncHandler sync;
    private final BatchCommit batchCommit;

    private JournalStages(final JournalHandler journal, final SyncHandler sync, final BatchCommit batchCommit)
    {
        this.journal = journal;
        this.sync = sync;
        this.batchCommit = batchCommit;
    }

    /**
     * @param syncer         how the sync stage syncs: {@link BatchCommit.Syncer#APPENDED}, or a wrapper of it (the
     *                       daemon's counting one).
     * @param syncOnOwnStage whether a syncing policy syncs in a stage of its own; false when one thread runs the
     *                       whole pipeline ({@code ringmq.ring.threads=ONE}), where the journal handler syncs at the end
     *                       of each batch itself, before the same thread dispatches it (the syncer works there too: it
     *                       forces what the writer published at that end of batch).
     */
    public static JournalStages of(
        final ChronicleJournal journal,
        final JournalRetention retention,
        final FsyncPolicy fsync,
        final long fsyncIntervalNs,
        final NanoClock clock,
        final BatchCommit.Syncer syncer,
        final boolean syncOnOwnStage)
    {
        final BatchCommit batchCommit = fsync.batchCommit(fsyncIntervalNs, clock, syncer);
        if (!fsync.syncs() || !syncOnOwnStage)
        {
            return new JournalStages(new JournalHandler(journal, batchCommit, retention), null, batchCommit);
        }
        return new JournalStages(
            new JournalHandler(journal, BatchCommit.NONE, retention), new SyncHandler(journal, batchCommit), batchCommit);
    }

    /** The appending stage: what the counters and a standby's {@code journaled} ack read. */
    public JournalHandler journalHandler()
    {
        return journal;
    }

    /** The fsync policy's commit, whichever stage runs it: the ingress reads when an unsynced batch is due. */
    public BatchCommit batchCommit()
    {
        return batchCommit;
    }

    /**
     * Puts the stages on {@code disruptor}: {@code journalStage} (the journal handler as the caller wraps it) beside
     * {@code besideJournal} (the replicator's stage; null if none), the sync stage (if any) after the journal, and
     * {@code dispatchStage} after all of them.
     *
     * @param gate what each ring handler is wrapped in (the ring's failure gate); applied to the sync stage here.
     */
    public void wire(
        final Disruptor<CommandEvent> disruptor,
        final EventHandler<CommandEvent> journalStage,
        final EventHandler<CommandEvent> besideJournal,
        final EventHandler<CommandEvent> dispatchStage,
        final UnaryOperator<EventHandler<CommandEvent>> gate)
    {
        final EventHandlerGroup<CommandEvent> first = null == besideJournal ?
            disruptor.handleEventsWith(journalStage) : disruptor.handleEventsWith(journalStage, besideJournal);
        EventHandlerGroup<CommandEvent> beforeDispatch = first;
        if (null != sync)
        {
            beforeDispatch = disruptor.after(journalStage).then(gate.apply(sync));
            if (null != besideJournal)
            {
                beforeDispatch = beforeDispatch.and(disruptor.after(besideJournal));
            }
        }
        beforeDispatch.then(dispatchStage);
    }

    /**
     * The ring sequence synced as the policy says: what a standby acks in mode {@code synced}. The sync stage's when
     * there is one; else the journal stage's position in the ring ({@code journalStage} as given to {@link #wire}).
     */
    public LongSupplier syncedSequence(
        final Disruptor<CommandEvent> disruptor, final EventHandler<CommandEvent> journalStage)
    {
        final SyncHandler syncing = sync;
        return null == syncing ? () -> disruptor.getSequenceValueFor(journalStage) : syncing::syncedSequence;
    }
}
