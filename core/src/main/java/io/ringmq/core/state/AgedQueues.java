package io.ringmq.core.state;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The queues with a maximum age, and the earliest time one of their messages can be due to leave.
 * <p>
 * A queue appends in command order and command time does not go back, so its oldest message is always the first to
 * come of age: no timer per message is needed, only the head of each aged queue. The next check time is a lower
 * bound (a head that was settled leaves it early, which costs a scan that finds nothing, and a tick for it if the
 * daemon is idle), made exact again by that scan, so ticks are asked for only when a message may be due.
 */
final class AgedQueues
{
    /** Every queue, in creation order (the index's own list). */
    private final List<Queue> allQueues;
    /** The aged ones, in creation order: expiry visits them in this order, so it is part of the outputs' order. */
    private final ArrayList<Queue> queues = new ArrayList<>();
    private long nextCheckNs = Long.MAX_VALUE;
    private boolean stale;

    AgedQueues(final List<Queue> allQueues)
    {
        this.allQueues = allQueues;
    }

    /** After settings changed: which queues are aged is decided again, and the next check is recomputed. */
    void rebuild()
    {
        for (int i = 0, size = queues.size(); i < size; i++)
        {
            queues.get(i).aged = false;
        }
        queues.clear();
        for (int i = 0, size = allQueues.size(); i < size; i++)
        {
            final Queue queue = allQueues.get(i);
            if (queue.policy.limits().hasMaxAge())
            {
                queue.aged = true;
                queues.add(queue);
            }
        }
        stale = true;
    }

    /** A message entered a queue at {@code enqueuedNs}; a queue created aged since the last rebuild joins here. */
    void onAppend(final Queue queue, final long enqueuedNs)
    {
        if (!queue.aged)
        {
            if (!queue.policy.limits().hasMaxAge())
            {
                return;
            }
            rebuild(); // rare: keeps the list in creation order; a queue created since is last in it
        }
        nextCheckNs = Math.min(nextCheckNs, deadlineNs(queue, enqueuedNs));
    }

    /** A queue let go of its last message: if it is aged, the next check may be later than thought. */
    void onEmptied(final Queue queue)
    {
        if (queue.aged)
        {
            stale = true;
        }
    }

    boolean isDue(final long nowNs)
    {
        return nowNs >= nextCheckNs;
    }

    /** The earliest time a message can be due to leave (a lower bound), or {@link Long#MAX_VALUE} if none can. */
    long nextCheckNs()
    {
        return nextCheckNs;
    }

    /** Whether some aged queue holds a message, so time must keep arriving for it to leave when due. */
    boolean isPending()
    {
        return Long.MAX_VALUE != nextCheckNs;
    }

    /** Index-based access: the list may grow while expiry runs (a dead-letter queue created on the way). */
    int count()
    {
        return queues.size();
    }

    Queue get(final int index)
    {
        return queues.get(index);
    }

    /** Recomputes the next check if something made it stale; call at the end of each command. */
    void refreshIfStale()
    {
        if (stale)
        {
            recompute();
        }
    }

    /** The next check becomes the earliest deadline of the aged queues' oldest messages. */
    void recompute()
    {
        long earliest = Long.MAX_VALUE;
        for (int i = 0, size = queues.size(); i < size; i++)
        {
            final Queue queue = queues.get(i);
            final StoredMessage oldest = queue.messages.oldest();
            if (null != oldest)
            {
                earliest = Math.min(earliest, deadlineNs(queue, oldest.enqueuedNs));
            }
        }
        nextCheckNs = earliest;
        stale = false;
    }

    static long deadlineNs(final Queue queue, final long enqueuedNs)
    {
        return enqueuedNs + TimeUnit.MILLISECONDS.toNanos(queue.policy.limits().maxAgeMs());
    }
}
