package io.ringmq.client;

/**
 * The acks one consumer made during the current {@link RingmqClient#poll()}, in the order it made them, waiting to
 * go to the daemon together as one AckBatch. Arrays sized once to the batch limit: adding allocates nothing.
 * <p>
 * Not thread-safe: owned by the client's thread.
 */
final class PendingAcks
{
    private final long[] sequences;
    private final int[] attempts;
    private int count;

    PendingAcks(final int capacity)
    {
        sequences = new long[capacity];
        attempts = new int[capacity];
    }

    /** @return true when the batch is full and must be sent before another ack is added. */
    boolean add(final long sequence, final int attempt)
    {
        sequences[count] = sequence;
        attempts[count] = attempt;
        return ++count == sequences.length;
    }

    int count()
    {
        return count;
    }

    long sequence(final int index)
    {
        return sequences[index];
    }

    int attempt(final int index)
    {
        return attempts[index];
    }

    void clear()
    {
        count = 0;
    }
}
