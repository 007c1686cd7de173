package io.ringmq.core.state;

import java.util.ArrayList;

/**
 * The queues whose figures ({@link QueueFigures}: what they hold, what their groups and consumers did) may have changed
 * since an observer last took them, so that an observer (the daemon's counters) reads only those after a batch instead
 * of every queue: at a thousand queues the full read costs tens of microseconds of the dispatch thread each time.
 * <p>
 * Not state: nothing here is journaled, snapshotted or compared, and nothing the state machine does depends on it; it
 * only remembers what it was told. It starts, and falls back to, "every queue": before an observer has taken the
 * first list (replay at start marks nothing), and when more queues were marked than {@link #limit} allows (queues
 * made and deleted faster than anyone reads: the list holds deleted ones too, and must not grow without bound).
 * Allocation-free once the list has grown to the most queues marked between two reads.
 * <p>
 * Not thread-safe: owned by the thread that applies commands; the observer reads on that thread.
 */
final class ChangedQueues
{
    /** Entries the list may hold past the queues that exist (deleted queues) before it gives up to "every queue". */
    private static final int SLACK = 64;

    private final ArrayList<Queue> changed = new ArrayList<>();
    private final QueueIndex queues;
    private boolean everyQueue = true;

    ChangedQueues(final QueueIndex queues)
    {
        this.queues = queues;
    }

    /** The queue's figures may have changed (a deleted queue too: the observer drops it). */
    void mark(final Queue queue)
    {
        if (everyQueue || queue.figuresChanged)
        {
            return;
        }
        if (changed.size() >= limit())
        {
            forget();
            everyQueue = true;
            return;
        }
        queue.figuresChanged = true;
        changed.add(queue);
    }

    /** Whether the observer must read every queue (and drop what it holds for queues that no longer exist). */
    boolean everyQueue()
    {
        return everyQueue;
    }

    /** Marked since the last {@link #forget}, in the order first marked (a deleted queue before its name's next one). */
    int count()
    {
        return changed.size();
    }

    Queue get(final int index)
    {
        return changed.get(index);
    }

    /** The observer took them: from here on, only what changes next. */
    void forget()
    {
        for (int i = 0, size = changed.size(); i < size; i++)
        {
            changed.get(i).figuresChanged = false;
        }
        changed.clear();
        everyQueue = false;
    }

    private int limit()
    {
        return queues.size() * 2 + SLACK;
    }
}
