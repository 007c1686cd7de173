package io.ringmq.daemon.counters;

import io.ringmq.codecs.ErrorCode;
import io.ringmq.core.state.QueueFigures;
import io.ringmq.core.state.QueueStateMachine;

import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * Copies the state machine's figures (each queue's and group's, the sessions open) into {@link FigureRow}s, on the
 * dispatch thread after a batch: when the interval (of command time) has passed since the last copy, or when the
 * ring holds nothing more (the dispatcher is about to wait, so the copy delays no command, and the figures catch up
 * as traffic stops instead of staying those of the last copy for ever). Under load a batch's end costs a clock
 * comparison and a read of the ring's cursor; a copy costs a few ordered stores per queue and group. Nothing is
 * journaled for it: an idle daemon writes nothing. The sampler thread puts the rows in counters
 * ({@link DaemonCounters}).
 * <p>
 * Queues are matched by position (creation order) and name: rows appear with a queue, and one that goes (or a change
 * of order) marks the rows from there on gone and makes new ones.
 * <p>
 * Not thread-safe: written by the dispatch thread; the sampler reads what its accessors say it may.
 */
public final class StateCounters
{
    private final long intervalNs;
    private final QueueFigures figures = new QueueFigures();
    private final ArrayList<QueueFigureRows> queues = new ArrayList<>();
    private final Queue<FigureRow> added = new ConcurrentLinkedQueue<>();
    private final Consumer<FigureRow> onAdded = added::add;
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLongArray errorsByCode = new AtomicLongArray(ErrorCode.values().length);
    private boolean copied;
    private long lastCopyNs;

    StateCounters(final long intervalNs)
    {
        this.intervalNs = intervalNs;
    }

    /**
     * At the end of a ring batch.
     *
     * @param ringEmpty whether no command waits on the ring behind this batch.
     */
    public void afterBatch(final QueueStateMachine stateMachine, final boolean ringEmpty)
    {
        final long nowNs = stateMachine.nowNs();
        if (copied && !ringEmpty && nowNs - lastCopyNs < intervalNs)
        {
            return;
        }
        copy(stateMachine);
        copied = true;
        lastCopyNs = nowNs;
    }

    /** An error answered with this code (dispatch thread: the state machine's sink). */
    void errorAnswered(final ErrorCode code)
    {
        final int index = code.ordinal();
        errorsByCode.lazySet(index, errorsByCode.get(index) + 1);
    }

    /** For the sampler: rows made since it last asked (their counters are its to add). */
    Queue<FigureRow> addedRows()
    {
        return added;
    }

    /** For the sampler: sessions open as of the last copy. */
    long sessions()
    {
        return sessions.get();
    }

    /** For the sampler: errors answered with each code (by {@link ErrorCode#ordinal()}). */
    AtomicLongArray errorsByCode()
    {
        return errorsByCode;
    }

    private void copy(final QueueStateMachine stateMachine)
    {
        sessions.lazySet(stateMachine.sessionCount());
        final int queueCount = stateMachine.queueCount();
        for (int i = 0; i < queueCount; i++)
        {
            stateMachine.queueFigures(i, figures);
            if (i < queues.size() && !queues.get(i).name.equals(figures.name()))
            {
                goneFrom(i);
            }
            if (i == queues.size())
            {
                queues.add(new QueueFigureRows(figures.name(), onAdded));
            }
            queues.get(i).copy(figures);
        }
        goneFrom(queueCount);
    }

    private void goneFrom(final int index)
    {
        while (queues.size() > index)
        {
            queues.remove(queues.size() - 1).markGone();
        }
    }
}
