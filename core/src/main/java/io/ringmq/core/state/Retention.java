package io.ringmq.core.state;

import java.util.List;

/**
 * Keeps messages every group has acked in queues that retain them ({@link QueueRetention}), and lets them go once
 * kept long enough or once the newer kept ones fill the queue's retained bytes, oldest consumed first. A kept message
 * stays in its queue's index and lanes, held by no group, so a seek back finds it where it was.
 * <p>
 * Time-bounded keeping is checked when time arrives, like a queue's maximum age: {@link #nextCheckNs()} is a lower
 * bound (a kept message taken back by a seek leaves it early), made exact again by the check.
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class Retention
{
    private final SharedState state;
    private final MessageStore store;
    /** Every queue, in creation order (the index's own list): a check visits them in this order. */
    private final List<Queue> allQueues;
    private long nextCheckNs = Long.MAX_VALUE;

    Retention(final SharedState state, final MessageStore store)
    {
        this.state = state;
        this.store = store;
        this.allQueues = state.queues.queues();
    }

    /** Every group of the queue is done with the message: kept if the queue retains, else it leaves now. */
    void consumed(final Queue queue, final StoredMessage message)
    {
        final QueueRetention retention = queue.retention;
        if (!retention.keepsAny())
        {
            state.messagePool.release(store.takeOut(queue, message.sequence));
            return;
        }
        // Kept for a seek back: its time to live no longer matters (it was consumed in time).
        state.expiringMessages.remove(message);
        message.expiresAtNs = StoredMessage.NEVER;
        queue.consumed.keep(message, state.nowNs);
        // Kept, it is read again only if a group seeks back: its payload leaves memory when the journal holds it.
        state.messagePool.evictPayload(message);
        if (retention.retainMs() > 0)
        {
            nextCheckNs = Math.min(nextCheckNs, message.keptAtNs + retention.retainMs() * 1_000_000L);
        }
        releaseOverBytes(queue);
    }

    /**
     * A message just entered a queue (published, replied, dead-lettered or redriven): groups whose filter refuses it
     * settle it at once, counted as filtered; refused by every group, it is consumed there and then, so a queue that
     * retains keeps it for a seek back or a group declared later, like any message every group is done with.
     */
    void enteredQueue(final Queue queue, final StoredMessage message)
    {
        if (!store.settleFiltered(queue, message))
        {
            consumed(queue, message);
        }
    }

    /** A group needs a kept message again (it sought back to it). */
    void takeBack(final Queue queue, final StoredMessage message)
    {
        queue.consumed.forget(message);
    }

    boolean isDue(final long nowNs)
    {
        return nowNs >= nextCheckNs;
    }

    /**
     * The earliest time a kept message may be due to leave (a lower bound), or {@link Long#MAX_VALUE} when no queue
     * keeps a message for a time.
     */
    long nextCheckNs()
    {
        return 0 == state.queues.keptTotal.count ? Long.MAX_VALUE : nextCheckNs;
    }

    /** Kept messages kept long enough leave, queue by queue in creation order, oldest consumed first. */
    void releaseDue()
    {
        final long nowNs = state.nowNs;
        long earliest = Long.MAX_VALUE;
        for (int i = 0, size = allQueues.size(); i < size; i++)
        {
            final Queue queue = allQueues.get(i);
            if (0 == queue.consumed.count())
            {
                continue;
            }
            final QueueRetention retention = queue.retention;
            StoredMessage oldest;
            while (null != (oldest = queue.consumed.oldest(queue.messages)) && retention.isDue(oldest.keptAtNs, nowNs))
            {
                release(queue, oldest);
            }
            if (null != oldest && retention.retainMs() > 0)
            {
                earliest = Math.min(earliest, oldest.keptAtNs + retention.retainMs() * 1_000_000L);
            }
        }
        nextCheckNs = earliest;
    }

    /** Restoring a snapshot: the next check becomes exact. */
    void recompute()
    {
        long earliest = Long.MAX_VALUE;
        for (int i = 0, size = allQueues.size(); i < size; i++)
        {
            final Queue queue = allQueues.get(i);
            final StoredMessage oldest = queue.consumed.oldest(queue.messages);
            if (null != oldest && queue.retention.retainMs() > 0)
            {
                earliest = Math.min(earliest, oldest.keptAtNs + queue.retention.retainMs() * 1_000_000L);
            }
        }
        nextCheckNs = earliest;
    }

    private void releaseOverBytes(final Queue queue)
    {
        final long retainBytes = queue.retention.retainBytes();
        final ConsumedMessages consumed = queue.consumed;
        while (retainBytes > 0 && consumed.bytes() > retainBytes)
        {
            release(queue, consumed.oldest(queue.messages));
        }
    }

    private void release(final Queue queue, final StoredMessage message)
    {
        state.messagePool.release(store.takeOut(queue, message.sequence));
    }
}
