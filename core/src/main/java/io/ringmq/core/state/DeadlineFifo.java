package io.ringmq.core.state;

import org.agrona.BitUtil;

/**
 * Deadlines that arrive in order, first in first out: the common case of visibility timeouts, where every delivery
 * gets now + the same timeout and time only moves on. Scheduling is an append, cancelling marks the entry (an ack
 * costs no search), expiring takes from the head. A deadline earlier than the last one appended does not fit and goes
 * to the timer wheel instead.
 * <p>
 * A timer's id is its position with {@link #ID_BIT} set, stable while it is pending. Cancelled entries stay until the
 * head passes them, so memory follows the deadlines appended within one timeout of the oldest pending one; past
 * {@link #MAX_CAPACITY} entries the FIFO takes no more (the wheel does) until its head moves on.
 */
final class DeadlineFifo
{
    /** Set in the ids of FIFO timers: wheel ids are small and non-negative, current-tick ids negative. */
    static final long ID_BIT = 1L << 62;
    private static final int INITIAL_CAPACITY = 1024;
    private static final int MAX_CAPACITY = 1 << 20;

    private long[] deadlines = new long[INITIAL_CAPACITY];
    private long[] sequences = new long[INITIAL_CAPACITY];
    private ConsumerGroup[] groups = new ConsumerGroup[INITIAL_CAPACITY];
    private int mask = INITIAL_CAPACITY - 1;
    private long head;
    private long tail;
    private long lastDeadlineNs = Long.MIN_VALUE;
    private int live;

    static boolean isFifoId(final long timerId)
    {
        return timerId >= ID_BIT;
    }

    /** Whether a deadline can be appended: not before the last one, and room to spare. */
    boolean accepts(final long deadlineNs)
    {
        return deadlineNs >= lastDeadlineNs && (tail - head < deadlines.length || deadlines.length < MAX_CAPACITY);
    }

    /** @return the timer's id. */
    long append(final ConsumerGroup group, final long sequence, final long deadlineNs)
    {
        if (tail - head == deadlines.length)
        {
            grow();
        }
        final int index = (int)tail & mask;
        deadlines[index] = deadlineNs;
        sequences[index] = sequence;
        groups[index] = group;
        lastDeadlineNs = deadlineNs;
        live++;
        return ID_BIT | tail++;
    }

    void cancel(final long timerId)
    {
        final int index = (int)(timerId & ~ID_BIT) & mask;
        groups[index] = null;
        live--;
        trimHead();
    }

    long deadline(final long timerId)
    {
        return deadlines[(int)(timerId & ~ID_BIT) & mask];
    }

    /** The number of timers pending (cancelled ones not counted). */
    int pending()
    {
        return live;
    }

    /** Whether the oldest pending deadline has come: {@link #expireHead} may be called. */
    boolean headDue(final long nowNs)
    {
        return head < tail && deadlines[(int)head & mask] <= nowNs;
    }

    long headDeadline()
    {
        return deadlines[(int)head & mask];
    }

    /** The oldest pending deadline (the head is pending once trimmed), or {@link Long#MAX_VALUE} if none is. */
    long nextDeadlineNs()
    {
        return head < tail ? deadlines[(int)head & mask] : Long.MAX_VALUE;
    }

    long headSequence()
    {
        return sequences[(int)head & mask];
    }

    ConsumerGroup headGroup()
    {
        return groups[(int)head & mask];
    }

    /** Takes the head, which is pending ({@link #headDue} after a trim leaves only pending entries at the head). */
    void expireHead()
    {
        groups[(int)head & mask] = null;
        head++;
        live--;
        trimHead();
    }

    private void trimHead()
    {
        while (head < tail && null == groups[(int)head & mask])
        {
            head++;
        }
        if (head == tail)
        {
            lastDeadlineNs = Long.MIN_VALUE; // empty: any deadline fits again
        }
    }

    /** Doubles the ring; entries keep their positions, so ids stay valid. */
    private void grow()
    {
        final int capacity = BitUtil.findNextPositivePowerOfTwo(deadlines.length + 1);
        final long[] newDeadlines = new long[capacity];
        final long[] newSequences = new long[capacity];
        final ConsumerGroup[] newGroups = new ConsumerGroup[capacity];
        final int newMask = capacity - 1;
        for (long position = head; position < tail; position++)
        {
            final int from = (int)position & mask;
            final int to = (int)position & newMask;
            newDeadlines[to] = deadlines[from];
            newSequences[to] = sequences[from];
            newGroups[to] = groups[from];
        }
        deadlines = newDeadlines;
        sequences = newSequences;
        groups = newGroups;
        mask = newMask;
    }
}
