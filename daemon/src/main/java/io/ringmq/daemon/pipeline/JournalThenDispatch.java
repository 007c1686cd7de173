package io.ringmq.daemon.pipeline;

import com.lmax.disruptor.DataProvider;
import com.lmax.disruptor.EventHandler;
import io.ringmq.core.ring.CommandEvent;

import java.util.Objects;

/**
 * The journal and the dispatcher as one ring handler on one thread, for a node with no standby to ship to: each batch
 * is appended (and committed as the fsync policy says, at its end), then applied and answered, command by command, from
 * the ring slots it still holds. What the two-stage ring guarantees still holds: nothing is applied, and so nothing
 * receipted, before its batch is journaled and committed.
 * <p>
 * Why: a lone command on the two-stage ring crosses two handler threads, and on a machine with fewer cores than busy
 * threads each crossing is a wake-up (a yield or a park) that costs microseconds; here it crosses none. Under load the
 * two stages overlapped (the dispatcher applied one batch while the journal appended the next); one thread does both
 * in turn, which costs throughput only where a core is free to run the second stage.
 * <p>
 * The ring does not reuse a batch's slots before this handler's sequence passes them, which the Disruptor does after
 * the batch's end, so reading them back at the end is safe. Not thread-safe: the ring's handler thread only.
 */
public final class JournalThenDispatch implements EventHandler<CommandEvent>
{
    private final EventHandler<CommandEvent> journal;
    private final EventHandler<CommandEvent> dispatcher;
    private final DataProvider<CommandEvent> ring;
    private long batchStart = -1;

    /**
     * @param journal    the journal stage: appends each command, commits at the batch's end.
     * @param dispatcher the dispatch stage: applies and answers each command.
     * @param ring       the ring both read, to reach the batch's slots again at its end.
     */
    public JournalThenDispatch(
        final EventHandler<CommandEvent> journal,
        final EventHandler<CommandEvent> dispatcher,
        final DataProvider<CommandEvent> ring)
    {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.ring = Objects.requireNonNull(ring, "ring");
    }

    public void onEvent(final CommandEvent event, final long sequence, final boolean endOfBatch) throws Exception
    {
        if (batchStart < 0)
        {
            batchStart = sequence;
        }
        journal.onEvent(event, sequence, endOfBatch);
        if (endOfBatch)
        {
            final long first = batchStart;
            batchStart = -1;
            for (long s = first; s < sequence; s++)
            {
                dispatcher.onEvent(ring.get(s), s, false);
            }
            dispatcher.onEvent(event, sequence, true);
        }
    }

    public void onStart()
    {
        journal.onStart();
        dispatcher.onStart();
    }

    /** The dispatcher stops first, as on the two-stage ring, where it ends after the journal's last batch. */
    public void onShutdown()
    {
        try
        {
            dispatcher.onShutdown();
        }
        finally
        {
            journal.onShutdown();
        }
    }
}
