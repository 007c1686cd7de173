package io.ringmq.core.state;

import org.agrona.BitUtil;

import java.util.function.Consumer;

/**
 * A queue's retained messages, indexed by sequence. Sequences are dense (1, 2, 3, ...) and only ever appended, so a
 * power-of-two array covering the span from the oldest retained message to the newest does what a hash map did with
 * no hashing, no boxing and no per-entry garbage: get, append and remove are an index and a mask.
 * <p>
 * Memory follows the span, not the count: one old message that stays (unacked, or a group that never reads) keeps
 * the slots after it until it goes. Iteration is in sequence order, which admin and snapshots want anyway.
 */
final class RetainedMessages
{
    private static final int INITIAL_CAPACITY = 64;

    private StoredMessage[] slots = new StoredMessage[INITIAL_CAPACITY];
    private int mask = INITIAL_CAPACITY - 1;
    /** No message below this sequence is retained. */
    private long first = 1;
    /** One past the highest sequence ever appended. */
    private long end = 1;
    private int size;
    /** Payload bytes of the retained messages. */
    private long bytes;

    StoredMessage get(final long sequence)
    {
        return sequence < first || sequence >= end ? null : slots[(int)sequence & mask];
    }

    boolean contains(final long sequence)
    {
        return null != get(sequence);
    }

    /** Appends a message at a sequence above every one appended before (gaps allowed, e.g. when restoring). */
    void append(final long sequence, final StoredMessage message)
    {
        if (sequence < end)
        {
            throw new IllegalArgumentException("sequence " + sequence + " is not above the last appended " + (end - 1));
        }
        if (0 == size)
        {
            first = sequence;
        }
        if (sequence - first >= slots.length)
        {
            grow(sequence - first + 1);
        }
        slots[(int)sequence & mask] = message;
        end = sequence + 1;
        size++;
        bytes += message.length();
    }

    /** @return the message removed, or null if none was retained at that sequence. */
    StoredMessage remove(final long sequence)
    {
        final StoredMessage message = get(sequence);
        if (null == message)
        {
            return null;
        }
        slots[(int)sequence & mask] = null;
        size--;
        bytes -= message.length();
        if (sequence == first)
        {
            while (first < end && null == slots[(int)first & mask])
            {
                first++;
            }
        }
        return message;
    }

    int size()
    {
        return size;
    }

    long bytes()
    {
        return bytes;
    }

    /** The oldest retained message, or null if none. */
    StoredMessage oldest()
    {
        return 0 == size ? null : slots[(int)first & mask];
    }

    boolean isEmpty()
    {
        return 0 == size;
    }

    /** The oldest retained sequence; meaningful only when not empty. */
    long firstSequence()
    {
        return first;
    }

    /** Every retained message, oldest first. */
    void forEach(final Consumer<StoredMessage> action)
    {
        for (long sequence = first; sequence < end; sequence++)
        {
            final StoredMessage message = slots[(int)sequence & mask];
            if (null != message)
            {
                action.accept(message);
            }
        }
    }

    /**
     * The oldest journal record a payload of these messages is in or may be read back from
     * ({@link StoredMessage#payloadLogSequence}), or {@link Long#MAX_VALUE} if none needs the journal (a scan: for
     * snapshots and recovery only).
     */
    long oldestPayloadLogSequence()
    {
        long oldest = Long.MAX_VALUE;
        for (long sequence = first; sequence < end; sequence++)
        {
            final StoredMessage message = slots[(int)sequence & mask];
            if (null != message && StoredMessage.NOT_IN_JOURNAL != message.payloadLogSequence)
            {
                oldest = Math.min(oldest, message.payloadLogSequence);
            }
        }
        return oldest;
    }

    /** The retained sequences, ascending (allocates: admin and snapshots only). */
    long[] sequences()
    {
        final long[] sequences = new long[size];
        int count = 0;
        for (long sequence = first; sequence < end; sequence++)
        {
            if (null != slots[(int)sequence & mask])
            {
                sequences[count++] = sequence;
            }
        }
        return sequences;
    }

    private void grow(final long span)
    {
        if (span > 1 << 30)
        {
            throw new IllegalStateException("a queue cannot retain a span of more than 2^30 sequences; oldest " +
                first + ", newest " + (first + span - 1));
        }
        final StoredMessage[] bigger = new StoredMessage[BitUtil.findNextPositivePowerOfTwo((int)span)];
        final int biggerMask = bigger.length - 1;
        for (long sequence = first; sequence < end; sequence++)
        {
            bigger[(int)sequence & biggerMask] = slots[(int)sequence & mask];
        }
        slots = bigger;
        mask = biggerMask;
    }
}
