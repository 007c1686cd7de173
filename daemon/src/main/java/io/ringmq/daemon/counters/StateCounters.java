package io.ringmq.daemon.counters;

import io.aeron.Counter;
import io.ringmq.core.state.QueueFigures;
import io.ringmq.core.state.QueueStateMachine;
import org.agrona.CloseHelper;

import java.util.ArrayList;

/**
 * Copies the state machine's figures (each queue's and group's, the sessions open) into counters, on the dispatch
 * thread after a batch, at most once per interval of command time: under load a batch's end costs a clock
 * comparison, and a copy costs a few stores per queue and group. A batch that comes before the interval is over
 * leaves a copy owed, and {@link #copyDueNs()} tells when: the dispatcher asks the ingress for a tick then, so the
 * counters catch up once traffic stops instead of showing the state of the last copy for ever.
 * <p>
 * Queues are matched by position (creation order) and name: counters appear with a queue, and one that goes (or a
 * change of order) frees the counters from there on and allocates them again.
 * <p>
 * Not thread-safe: owned by the dispatch thread.
 */
public final class StateCounters implements AutoCloseable
{
    private final CounterAllocator allocator;
    private final long intervalNs;
    private final Counter sessions;
    private final QueueFigures figures = new QueueFigures();
    private final ArrayList<QueueCounterSet> queues = new ArrayList<>();
    private boolean copied;
    private boolean owed;
    private long lastCopyNs;

    StateCounters(final CounterAllocator allocator, final long intervalNs, final Counter sessions)
    {
        this.allocator = allocator;
        this.intervalNs = intervalNs;
        this.sessions = sessions;
    }

    /** At the end of a ring batch: copies if the interval has passed since the last copy, else owes one. */
    public void afterBatch(final QueueStateMachine stateMachine)
    {
        final long nowNs = stateMachine.nowNs();
        if (copied && nowNs - lastCopyNs < intervalNs)
        {
            owed = true;
            return;
        }
        copy(stateMachine);
        copied = true;
        owed = false;
        lastCopyNs = nowNs;
    }

    /** The command time at which a copy is owed, or {@link Long#MAX_VALUE} if none is. */
    public long copyDueNs()
    {
        return owed ? lastCopyNs + intervalNs : Long.MAX_VALUE;
    }

    private void copy(final QueueStateMachine stateMachine)
    {
        sessions.setRelease(stateMachine.sessionCount());
        final int queueCount = stateMachine.queueCount();
        for (int i = 0; i < queueCount; i++)
        {
            stateMachine.queueFigures(i, figures);
            if (i < queues.size() && !queues.get(i).name.equals(figures.name()))
            {
                closeQueuesFrom(i);
            }
            if (i == queues.size())
            {
                final QueueCounterSet queue = QueueCounterSet.allocate(allocator, figures.name());
                if (null == queue)
                {
                    return; // the driver is out of counters: the queues from here on go without
                }
                queues.add(queue);
            }
            queues.get(i).copy(figures);
        }
        closeQueuesFrom(queueCount);
    }

    private void closeQueuesFrom(final int index)
    {
        while (queues.size() > index)
        {
            queues.remove(queues.size() - 1).close();
        }
    }

    public void close()
    {
        closeQueuesFrom(0);
        CloseHelper.close(sessions);
    }
}
