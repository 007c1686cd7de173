package io.ringmq.journal;

import com.lmax.disruptor.EventHandler;
import io.ringmq.core.ring.CommandEvent;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Disruptor stage that appends each {@link CommandEvent}'s bytes to the journal, in ring order, and hands each batch's
 * end to a {@link BatchCommit} (the fsync policy, see {@link FsyncPolicy}), then to {@link JournalRetention}, which
 * deletes old roll cycles here, on the thread that owns the appender. The daemon gives it {@link BatchCommit#NONE}
 * and syncs in a {@link SyncHandler} after it instead, so that appends go on while a sync runs; the commit here
 * remains for a pipeline without that stage.
 * <p>
 * Threading: runs on its own Disruptor thread, which becomes the journal's only writer. The Chronicle appender is
 * bound to that thread: created in {@link #onStart()} and closed in {@link #onShutdown()} there.
 */
public final class JournalHandler implements EventHandler<CommandEvent>
{
    private final ChronicleJournal journal;
    private final BatchCommit batchCommit;
    private final JournalRetention retention;
    private final AtomicLong journaledLogSequence = new AtomicLong();
    /** Ring sequence of the last event appended, as of its batch's end, before the batch's commit (the fsync). */
    private final AtomicLong appendedSequence = new AtomicLong(-1);

    /** A handler that appends without forcing anything to disk. */
    public JournalHandler(final ChronicleJournal journal)
    {
        this(journal, BatchCommit.NONE);
    }

    /** A handler that never deletes old roll cycles. */
    public JournalHandler(final ChronicleJournal journal, final BatchCommit batchCommit)
    {
        this(journal, batchCommit, new JournalRetention(journal, false));
    }

    public JournalHandler(final ChronicleJournal journal, final BatchCommit batchCommit, final JournalRetention retention)
    {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.batchCommit = Objects.requireNonNull(batchCommit, "batchCommit");
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    /**
     * Log sequence of the last command appended, as of the end of its batch (committed as the fsync policy says); 0
     * before the first batch. Safe to read from any thread.
     */
    public long journaledLogSequence()
    {
        return journaledLogSequence.get();
    }

    /**
     * Ring sequence of the last event appended (in the queue's mapped file, the page cache), as of the end of its
     * batch but before the {@link BatchCommit} ran: what a standby acks in mode {@code journaled}, which its own fsync
     * must not hold up (the Disruptor's sequence of this handler passes only after the commit). -1 before the first
     * batch. Safe to read from any thread.
     */
    public long appendedSequence()
    {
        return appendedSequence.get();
    }

    @Override
    public void onStart()
    {
        journal.openAppender();
    }

    @Override
    public void onEvent(final CommandEvent event, final long sequence, final boolean endOfBatch)
    {
        if (!event.isQuery()) // a query changes nothing: replay never needs it (see CommandEvent.isQuery)
        {
            journal.append(event.buffer(), 0, event.length());
        }
        if (endOfBatch)
        {
            journal.publishAppended(); // for a SyncHandler: before this batch's ring sequence is published
            appendedSequence.lazySet(sequence);
            batchCommit.onEndOfBatch(journal, sequence);
            retention.onEndOfBatch(event.logSequence());
            journaledLogSequence.lazySet(event.logSequence());
        }
    }

    /**
     * Lets the {@link BatchCommit} sync what is still pending (the {@link FsyncPolicy#INTERVAL} policy's last
     * interval), then closes the appender. A graceful stop drains the ring before this runs, so it loses nothing.
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
            journal.closeAppender();
        }
    }
}
