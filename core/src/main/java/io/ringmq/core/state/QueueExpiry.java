package io.ringmq.core.state;

import java.util.ArrayList;
import java.util.List;

/**
 * Optional expiry of idle queues (issue 17): a queue idle for the configured time is deleted as {@code delete queue}
 * deletes it, so a mistyped name ({@code publish ordres ...}) does not live for ever.
 * <p>
 * Idle ({@link #isIdle}) means: no consumer attached to any of its groups; nothing held for a group it has (it has no
 * group, or holds no message: a message published to a queue that never had a group waits for one that nobody
 * declared); no dead letter (letters wait for an operator to read, redrive or purge them); and no declared retention
 * (a queue declared to keep its history was made on purpose). Its clock ({@link Queue#idleSinceNs}) starts at the
 * command that last changed what it holds, its groups or their consumers, or made it: the change that left it idle,
 * or a later one (a publish to a queue without groups restarts it). Read-only queries change nothing and restart
 * nothing.
 * <p>
 * Moves only with command time, as {@link GroupExpiry} does: the queue goes on the first command whose time reaches
 * its deadline (a tick {@link QueueStateMachine#nextDeadlineNs} asks for), so a replay and the standby delete it at
 * the same point. Clocks are kept whether expiry is on or not, so turning it on (a run's NodeStarted) counts from
 * when each queue really became idle. The next deadline is exact: it is the earliest queue's, and when that queue
 * is used again or deleted the next is found again (a walk over every queue, only then). Checking walks every queue,
 * only when it is due.
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class QueueExpiry
{
    /** {@link Queue#idleSinceNs} of a queue that is not idle. */
    static final long BUSY = Long.MAX_VALUE;

    private final SharedState state;
    private final Removals removals;
    private long expiryNs;
    /** The queue whose deadline is next: if it was used again or went, the next is found again. */
    private final EarliestExpiry<Queue> earliest = new EarliestExpiry<>();
    private long expired;

    QueueExpiry(final SharedState state, final Removals removals)
    {
        this.state = state;
        this.removals = removals;
    }

    /** Sets how long a queue may be idle; 0 turns expiry off. */
    void expiryNs(final long expiryNs)
    {
        this.expiryNs = expiryNs;
        recompute();
    }

    /**
     * After a command (and after the timers of its time): each queue it touched is idle from now, or busy.
     * Allocation-free; touches nothing when the command changed no queue.
     */
    void settleTouched()
    {
        final ArrayList<Queue> touched = state.queues.touched();
        for (int i = 0, count = touched.size(); i < count; i++)
        {
            final Queue queue = touched.get(i);
            if (!queue.removed)
            {
                queue.idleSinceNs = isIdle(queue) ? state.nowNs : BUSY;
                nextCheckNs(); // the earliest is valid before a new one is offered
                earliest.offer(queue, queue.idleSinceNs, deadlineOf(queue));
            }
        }
        state.queues.clearTouched();
    }

    static boolean isIdle(final Queue queue)
    {
        if (0 != queue.deadLetters || queue.retention.retainMs() > 0 || queue.retention.retainBytes() > 0 ||
            !(queue.groups.isEmpty() || queue.messages.isEmpty()))
        {
            return false;
        }
        final List<ConsumerGroup> groups = queue.groups;
        for (int i = 0, size = groups.size(); i < size; i++)
        {
            if (!groups.get(i).consumers.isEmpty())
            {
                return false;
            }
        }
        return true;
    }

    boolean isDue(final long nowNs)
    {
        return nowNs >= nextCheckNs();
    }

    /** When the earliest idle queue expires; {@link Long#MAX_VALUE} with expiry off or no idle queue. */
    long nextCheckNs()
    {
        final Queue queue = earliest.item();
        if (null != queue && (queue.removed || queue.idleSinceNs != earliest.sinceNs()))
        {
            recompute(); // used again, or deleted: the next one is found again
        }
        return earliest.deadlineNs();
    }

    /** Queues expired since this machine was made: for metrics, not part of the state. */
    long expired()
    {
        return expired;
    }

    /** Deletes every queue whose deadline has come, then finds the next deadline. Rare; allowed to allocate. */
    void expireDue()
    {
        final long nowNs = state.nowNs;
        for (final Queue queue : new ArrayList<>(state.queues.queues()))
        {
            if (deadlineOf(queue) <= nowNs)
            {
                removals.deleteQueue(0, 0, queue, false);
                expired++;
            }
        }
        recompute();
    }

    /** Finds the earliest deadline again (expiry set, or a snapshot read). */
    void recompute()
    {
        earliest.clear();
        for (final Queue queue : state.queues.queues())
        {
            earliest.offer(queue, queue.idleSinceNs, deadlineOf(queue));
        }
    }

    /** Each idle queue and its clock, for {@link QueueStateMachine#describeState}. Allocates. */
    String describeIdle()
    {
        final StringBuilder out = new StringBuilder();
        for (final Queue queue : state.queues.queues())
        {
            if (BUSY != queue.idleSinceNs)
            {
                out.append(" idle ").append(queue.name).append(" since=").append(queue.idleSinceNs);
            }
        }
        return out.toString();
    }

    private long deadlineOf(final Queue queue)
    {
        return BUSY == queue.idleSinceNs ? EarliestExpiry.NEVER : EarliestExpiry.deadline(queue.idleSinceNs, expiryNs);
    }
}
