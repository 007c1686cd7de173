package io.ringmq.core.state;

import org.agrona.BitUtil;

import java.util.Arrays;

/**
 * A map from a queue's sequences to longs, for one group's bookkeeping (in flight to which consumer, attempts, timer
 * ids). The keys of one group lie in a window of its queue's sequences (from the oldest it has not settled to the
 * newest it was given), so a power-of-two array over that window does what a hash map did with an index and a mask:
 * no hashing, no probing, no chains to compact on removal.
 * <p>
 * Memory follows the window, not the count, as for {@link RetainedMessages}: a message a group never settles keeps the
 * slots after it until it goes. Iteration is in ascending key order.
 */
final class SequenceMap
{
    private static final int INITIAL_CAPACITY = 16;
    private static final long MAX_SPAN = 1L << 30;

    private final long missingValue;
    private long[] values;
    private int mask;
    /** No key below this is present. */
    private long first = 1;
    /** No key at or above this is present. */
    private long end = 1;
    private int size;

    /** @param missingValue what {@link #get} answers for a key not present; never a value stored. */
    SequenceMap(final long missingValue)
    {
        this.missingValue = missingValue;
        values = new long[INITIAL_CAPACITY];
        Arrays.fill(values, missingValue);
        mask = INITIAL_CAPACITY - 1;
    }

    long get(final long key)
    {
        return key < first || key >= end ? missingValue : values[(int)key & mask];
    }

    boolean containsKey(final long key)
    {
        return get(key) != missingValue;
    }

    int size()
    {
        return size;
    }

    boolean isEmpty()
    {
        return 0 == size;
    }

    /** The lowest key present, or {@link Long#MAX_VALUE} if none is. */
    long firstKey()
    {
        return 0 == size ? Long.MAX_VALUE : first;
    }

    /** @return the value the key had, or the missing value. */
    long put(final long key, final long value)
    {
        if (value == missingValue)
        {
            throw new IllegalArgumentException("cannot store the missing value " + missingValue);
        }
        if (0 == size)
        {
            first = key;
            end = key + 1;
        }
        else if (key < first)
        {
            ensureSpan(key, end);
            first = key;
        }
        else if (key >= end)
        {
            ensureSpan(first, key + 1);
            end = key + 1;
        }
        final int index = (int)key & mask;
        final long previous = values[index];
        values[index] = value;
        if (previous == missingValue)
        {
            size++;
        }
        return previous;
    }

    /** @return the value removed, or the missing value if the key was not present. */
    long remove(final long key)
    {
        if (key < first || key >= end)
        {
            return missingValue;
        }
        final int index = (int)key & mask;
        final long previous = values[index];
        if (previous == missingValue)
        {
            return missingValue;
        }
        values[index] = missingValue;
        if (--size == 0)
        {
            first = end;
            return previous;
        }
        if (key == first)
        {
            while (values[(int)first & mask] == missingValue)
            {
                first++;
            }
        }
        else if (key == end - 1)
        {
            while (values[(int)(end - 1) & mask] == missingValue)
            {
                end--;
            }
        }
        return previous;
    }

    /** The keys present, ascending (allocates: snapshots and descriptions only). */
    long[] keys()
    {
        final long[] keys = new long[size];
        int count = 0;
        for (long key = first; key < end; key++)
        {
            if (values[(int)key & mask] != missingValue)
            {
                keys[count++] = key;
            }
        }
        return keys;
    }

    /** Every entry, ascending by key. */
    void forEach(final EntryConsumer consumer)
    {
        for (long key = first; key < end; key++)
        {
            final long value = values[(int)key & mask];
            if (value != missingValue)
            {
                consumer.accept(key, value);
            }
        }
    }

    @FunctionalInterface
    interface EntryConsumer
    {
        void accept(long key, long value);
    }

    private void ensureSpan(final long newFirst, final long newEnd)
    {
        final long span = newEnd - newFirst;
        if (span <= values.length)
        {
            return;
        }
        if (span > MAX_SPAN)
        {
            throw new IllegalStateException("a group cannot track a span of more than 2^30 sequences: " + newFirst +
                " to " + (newEnd - 1));
        }
        final long[] bigger = new long[BitUtil.findNextPositivePowerOfTwo((int)span)];
        Arrays.fill(bigger, missingValue);
        final int biggerMask = bigger.length - 1;
        for (long key = first; key < end; key++)
        {
            bigger[(int)key & biggerMask] = values[(int)key & mask];
        }
        values = bigger;
        mask = biggerMask;
    }
}
