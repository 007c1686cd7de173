package io.ringmq.core.state;

import java.util.ArrayList;
import java.util.List;

/**
 * Optional expiry of idle groups (issue 17): a group that has had no consumer for the configured time is deleted as
 * {@code delete group} deletes it, so a one-off {@code consume --group x} does not pin every later message of its
 * queue for ever. A group's clock starts when its last consumer leaves, or when it is made if none ever attached
 * ({@link ConsumerGroup#idleSinceNs}); a consumer attaching stops it, and leaving starts it again from then.
 * <p>
 * Moves only with command time: the group goes on the first command (a tick, as {@link QueueStateMachine#nextDeadlineNs}
 * asks for one) whose time reaches its deadline, so a replay and the standby delete it at the same point. Off (0) by
 * default. The next deadline is exact: it is the earliest group's, and when that group gets a consumer or is deleted
 * the next is found again (a walk over every group, only then). Checking walks every group, only when it is due.
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class GroupExpiry
{
    private final SharedState state;
    private final Removals removals;
    private long expiryNs;
    /** The group whose deadline is next: if it got a consumer or went, the next is found again. */
    private final EarliestExpiry<ConsumerGroup> earliest = new EarliestExpiry<>();
    private long expired;

    GroupExpiry(final SharedState state, final Removals removals)
    {
        this.state = state;
        this.removals = removals;
    }

    /** Sets how long a group may be without a consumer; 0 turns expiry off. */
    void expiryNs(final long expiryNs)
    {
        if (expiryNs < 0)
        {
            throw new IllegalArgumentException("group expiry must be 0 (off) or more: " + expiryNs);
        }
        this.expiryNs = expiryNs;
        recompute();
    }

    long expiryNs()
    {
        return expiryNs;
    }

    /** The group has no consumer from now (made without one, or its last one left): its clock starts. */
    void idleFromNow(final ConsumerGroup group)
    {
        group.idleSinceNs = state.nowNs;
        nextCheckNs(); // the earliest is valid before a new one is offered
        earliest.offer(group, group.idleSinceNs, deadlineOf(group));
    }

    boolean isDue(final long nowNs)
    {
        return nowNs >= nextCheckNs();
    }

    /** When the earliest idle group expires; {@link Long#MAX_VALUE} with expiry off or no idle group. */
    long nextCheckNs()
    {
        final ConsumerGroup group = earliest.item();
        if (null != group && (group.deleted || !group.consumers.isEmpty() || group.idleSinceNs != earliest.sinceNs()))
        {
            recompute(); // it got a consumer, or went: the next one is found again
        }
        return earliest.deadlineNs();
    }

    /** Groups expired since this machine was made: for metrics, not part of the state. */
    long expired()
    {
        return expired;
    }

    /** Deletes every group whose deadline has come, then finds the next deadline. Rare; allowed to allocate. */
    void expireDue()
    {
        final long nowNs = state.nowNs;
        for (final Queue queue : new ArrayList<>(state.queues.queues()))
        {
            final List<ConsumerGroup> groups = queue.groups;
            for (int i = groups.size() - 1; i >= 0; i--)
            {
                final ConsumerGroup group = groups.get(i);
                if (group.consumers.isEmpty() && deadlineOf(group) <= nowNs)
                {
                    removals.deleteGroup(0, 0, queue, group.name, false);
                    expired++;
                }
            }
        }
        recompute();
    }

    /** Finds the earliest deadline again (expiry set, a snapshot read, or the earliest group changed). */
    void recompute()
    {
        earliest.clear();
        if (0 != expiryNs)
        {
            for (final Queue queue : state.queues.queues())
            {
                for (final ConsumerGroup group : queue.groups)
                {
                    if (group.consumers.isEmpty())
                    {
                        earliest.offer(group, group.idleSinceNs, deadlineOf(group));
                    }
                }
            }
        }
    }

    private long deadlineOf(final ConsumerGroup group)
    {
        return EarliestExpiry.deadline(group.idleSinceNs, expiryNs);
    }
}
