package io.ringmq.daemon.counters;

import io.ringmq.codecs.ErrorCode;
import io.ringmq.core.state.QueueFigures;
import io.ringmq.core.state.QueueStateMachine;

import java.util.ArrayList;
import java.util.HashMap;
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
 * comparison and a read of the ring's cursor. Nothing is journaled for it: an idle daemon writes nothing. The sampler
 * thread puts the rows in counters ({@link DaemonCounters}).
 * <p>
 * A copy reads only the queues the state machine lists as changed since the last copy
 * ({@link QueueStateMachine#changedQueueFigures}): a few ordered stores per changed queue and group, so a daemon with
 * thousands of queues pays for the few a batch touched, not for all of them after every batch of an idle ring. Every
 * queue is read when the state machine says so (the first copy, more queues changed than it lists) or when the state
 * machine is another (a standby installed a snapshot): rows of queues not found then are gone.
 * <p>
 * Rows are found by queue name: made when a queue first shows, gone when it is deleted (a queue made again with the
 * name gets new rows).
 * <p>
 * Not thread-safe: written by the dispatch thread; the sampler reads what its accessors say it may.
 */
public final class StateCounters
{
    private final long intervalNs;
    private final QueueFigures figures = new QueueFigures();
    private final HashMap<String, QueueFigureRows> rowsByQueue = new HashMap<>();
    /** The same rows, for a walk without an iterator. */
    private final ArrayList<QueueFigureRows> rows = new ArrayList<>();
    private final Queue<FigureRow> added = new ConcurrentLinkedQueue<>();
    private final Consumer<FigureRow> onAdded = added::add;
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLongArray errorsByCode = new AtomicLongArray(ErrorCode.values().length);
    private QueueStateMachine copiedFrom;
    private long lastCopyNs;
    private long copyGeneration;
    /** Queues read by copies so far (every queue on a full copy, the changed ones otherwise): what a copy costs. */
    private long queuesRead;

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
        if (stateMachine == copiedFrom && !ringEmpty && nowNs - lastCopyNs < intervalNs)
        {
            return;
        }
        sessions.lazySet(stateMachine.sessionCount());
        if (stateMachine != copiedFrom || stateMachine.everyQueueChanged())
        {
            copyEveryQueue(stateMachine);
        }
        else
        {
            copyChangedQueues(stateMachine);
        }
        stateMachine.forgetChangedQueues();
        copiedFrom = stateMachine;
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

    /** Queues read by the copies so far (dispatch thread): how much copying costs, for tests and harnesses. */
    long queuesRead()
    {
        return queuesRead;
    }

    /**
     * Reads every queue, as the first copy does (tests compare the changed-only copies with it). Does not take the
     * state machine's list of changes: {@link #afterBatch} does.
     */
    void copyEveryQueue(final QueueStateMachine stateMachine)
    {
        final long generation = ++copyGeneration;
        final int queueCount = stateMachine.queueCount();
        for (int i = 0; i < queueCount; i++)
        {
            copy(stateMachine.queueFigures(i, figures)).copiedIn = generation;
        }
        queuesRead += queueCount;
        for (int i = rows.size() - 1; i >= 0; i--)
        {
            final QueueFigureRows queue = rows.get(i);
            if (queue.copiedIn != generation)
            {
                gone(queue);
            }
        }
    }

    private void copyChangedQueues(final QueueStateMachine stateMachine)
    {
        final int changed = stateMachine.changedQueueCount();
        for (int i = 0; i < changed; i++)
        {
            stateMachine.changedQueueFigures(i, figures);
            if (figures.deleted())
            {
                final QueueFigureRows queue = rowsByQueue.get(figures.name());
                if (null != queue)
                {
                    gone(queue);
                }
            }
            else
            {
                copy(figures);
            }
        }
        queuesRead += changed;
    }

    /** Copies a queue that exists into its rows, made first if it has none. */
    private QueueFigureRows copy(final QueueFigures queue)
    {
        QueueFigureRows queueRows = rowsByQueue.get(queue.name());
        if (null == queueRows)
        {
            queueRows = new QueueFigureRows(queue.name(), onAdded);
            rowsByQueue.put(queue.name(), queueRows);
            rows.add(queueRows);
        }
        queueRows.copy(queue);
        return queueRows;
    }

    private void gone(final QueueFigureRows queue)
    {
        rowsByQueue.remove(queue.name);
        rows.remove(queue);
        queue.markGone();
    }
}
