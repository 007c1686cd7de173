package io.ringmq.core.state;

/**
 * The earliest of many expiry clocks that each run from an idle-since time for the same expiry ({@link GroupExpiry},
 * {@link QueueExpiry}): which item it is, the since-time it had when taken (if that changed, the item was used
 * again and the earliest must be found again), and when it is due.
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class EarliestExpiry<T>
{
    /** No deadline: nothing idle, or expiry off. */
    static final long NEVER = Long.MAX_VALUE;

    private T item;
    private long sinceNs;
    private long deadlineNs = NEVER;

    /** When a clock started at {@code sinceNs} runs out; {@link #NEVER} with expiry off or past the end of time. */
    static long deadline(final long sinceNs, final long expiryNs)
    {
        final long deadline = sinceNs + expiryNs;
        return 0 == expiryNs || deadline < sinceNs ? NEVER : deadline;
    }

    void clear()
    {
        item = null;
        sinceNs = 0;
        deadlineNs = NEVER;
    }

    /** Takes the item if its deadline is earlier than the one held. */
    void offer(final T item, final long sinceNs, final long deadlineNs)
    {
        if (deadlineNs < this.deadlineNs)
        {
            this.item = item;
            this.sinceNs = sinceNs;
            this.deadlineNs = deadlineNs;
        }
    }

    /** The item whose deadline is {@link #deadlineNs()}; null if none. */
    T item()
    {
        return item;
    }

    /** The item's since-time when it was taken. */
    long sinceNs()
    {
        return sinceNs;
    }

    long deadlineNs()
    {
        return deadlineNs;
    }
}
