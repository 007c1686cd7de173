package io.ringmq.core.state;

/**
 * The messages a queue keeps after every group acked them ({@link QueueRetention}), in the order they were consumed:
 * the oldest consumed is the first to go. A kept message carries the ticket of its entry here; an entry whose message
 * was taken back (a seek made a group need it again) or left by other means is stale and skipped when it reaches the
 * head, so taking one back costs nothing here.
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class ConsumedMessages
{
    /**
     * Kept messages of every queue whose retention has a time bound: while there is none, no check of retention time
     * is pending (so the next deadline the daemon ticks for is exact when nothing is due).
     */
    static final class TimeBoundedTotal
    {
        long count;
    }

    private final TimeBoundedTotal total;
    /** Whether this queue's retention has a time bound: its kept messages count in {@link #total}. */
    private boolean timeBounded;
    /** Entries as (sequence, ticket) pairs in a ring that doubles when full. */
    private long[] ring = new long[32];
    private int head;
    private int entries;
    private long nextTicket = 1;
    private int count;
    private long bytes;

    ConsumedMessages(final TimeBoundedTotal total)
    {
        this.total = total;
    }

    /** The queue's retention was set (before anything is kept: once, when the queue is declared or restored). */
    void timeBounded(final boolean timeBounded)
    {
        this.timeBounded = timeBounded;
    }

    /** The queue is deleted: its kept messages are no longer anybody's. */
    void deleted()
    {
        if (timeBounded)
        {
            total.count -= count;
        }
        count = 0;
    }

    /** The message is consumed and kept from {@code nowNs}. */
    void keep(final StoredMessage message, final long nowNs)
    {
        message.keptTicket = nextTicket++;
        message.keptAtNs = nowNs;
        push(message.sequence, message.keptTicket);
        counted(message, 1);
    }

    /** The message is no longer kept as consumed (a group needs it again, or it leaves the queue). */
    void forget(final StoredMessage message)
    {
        message.keptTicket = StoredMessage.NOT_KEPT;
        counted(message, -1);
    }

    /** The oldest kept message, or null; stale entries at the head are dropped on the way. */
    StoredMessage oldest(final RetainedMessages messages)
    {
        while (entries > 0)
        {
            final StoredMessage message = messages.get(ring[head]);
            if (null != message && message.keptTicket == ring[head + 1])
            {
                return message;
            }
            head = (head + 2) & (ring.length - 1);
            entries--;
        }
        return null;
    }

    int count()
    {
        return count;
    }

    long bytes()
    {
        return bytes;
    }

    /** The next ticket (state: a snapshot carries it so tickets never repeat after a restore). */
    long nextTicket()
    {
        return nextTicket;
    }

    /** Restoring a snapshot: the kept messages are restored with {@link #restore}, oldest consumed first. */
    void restoreNextTicket(final long ticket)
    {
        nextTicket = ticket;
    }

    void restore(final StoredMessage message, final long ticket, final long keptAtNs)
    {
        message.keptTicket = ticket;
        message.keptAtNs = keptAtNs;
        push(message.sequence, ticket);
        counted(message, 1);
    }

    private void counted(final StoredMessage message, final int change)
    {
        count += change;
        bytes += (long)change * message.length();
        if (timeBounded)
        {
            total.count += change;
        }
    }

    /** The kept messages, oldest consumed first (allocates: snapshots and describing only). */
    StoredMessage[] inOrder(final RetainedMessages messages)
    {
        final StoredMessage[] kept = new StoredMessage[count];
        int found = 0;
        for (int i = 0; i < entries && found < count; i++)
        {
            final int index = (head + 2 * i) & (ring.length - 1);
            final StoredMessage message = messages.get(ring[index]);
            if (null != message && message.keptTicket == ring[index + 1])
            {
                kept[found++] = message;
            }
        }
        return kept;
    }

    private void push(final long sequence, final long ticket)
    {
        if (2 * entries == ring.length)
        {
            final long[] bigger = new long[ring.length * 2];
            for (int i = 0; i < entries; i++)
            {
                final int from = (head + 2 * i) & (ring.length - 1);
                bigger[2 * i] = ring[from];
                bigger[2 * i + 1] = ring[from + 1];
            }
            ring = bigger;
            head = 0;
        }
        final int tail = (head + 2 * entries) & (ring.length - 1);
        ring[tail] = sequence;
        ring[tail + 1] = ticket;
        entries++;
    }
}
