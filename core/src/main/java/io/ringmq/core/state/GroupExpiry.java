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
 * default. Checking walks every group, but only when the earliest deadline has come; that deadline may be early (a
 * consumer attached since), never late.
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class GroupExpiry
{
    private final SharedState state;
    private final Removals removals;
    private long expiryNs;
    private long nextCheckNs = Long.MAX_VALUE;
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
        if (0 != expiryNs)
        {
            nextCheckNs = Math.min(nextCheckNs, deadlineOf(group));
        }
    }

    boolean isDue(final long nowNs)
    {
        return nowNs >= nextCheckNs;
    }

    /** When the earliest idle group expires; {@link Long#MAX_VALUE} with expiry off or no idle group. */
    long nextCheckNs()
    {
        return nextCheckNs;
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

    /** Finds the earliest deadline again (expiry set, or a snapshot read). */
    void recompute()
    {
        long next = Long.MAX_VALUE;
        if (0 != expiryNs)
        {
            for (final Queue queue : state.queues.queues())
            {
                for (final ConsumerGroup group : queue.groups)
                {
                    if (group.consumers.isEmpty())
                    {
                        next = Math.min(next, deadlineOf(group));
                    }
                }
            }
        }
        nextCheckNs = next;
    }

    private long deadlineOf(final ConsumerGroup group)
    {
        final long deadline = group.idleSinceNs + expiryNs;
        return deadline < group.idleSinceNs ? Long.MAX_VALUE : deadline;
    }
}
