package io.ringmq.daemon.pipeline;

import java.util.Arrays;

/**
 * When each of one session's deliveries went out, for the deliver→ack stage ({@link StageRecordingSink}): a
 * direct-mapped table indexed by the delivery's sequence (offset by its consumer), rather than a hash map. A consumer
 * gets and acks its deliveries in about sequence order, so consecutive puts and removes touch consecutive slots; the
 * hash map's scattered probes and the compaction of its chains on every remove were 8% of the one ring thread's
 * samples in the out-of-process 1P/1C throughput profile (8,192 deliveries in flight).
 * <p>
 * A slot holds the consumer and the sequence it times, so a remove finds only its own delivery. A put whose slot
 * holds another delivery doubles the table, up to {@code maxSlots}; at that size the newer delivery takes the slot
 * and the older one's ack goes untimed: a figure lost, never a wrong one. Deliveries that end without an ack (timed
 * out, nacked) stay until their slot is wanted again or the session closes.
 * <p>
 * Not thread-safe: the dispatch thread.
 */
final class DeliveryTimes
{
    /** What {@link #remove} returns for a delivery it does not time. */
    static final long NONE = Long.MIN_VALUE;
    private static final long CONSUMER_SPREAD = 0x9E3779B97F4A7C15L;

    private final int maxSlots;
    private long[] consumerIds;
    private long[] sequences;
    private long[] timesNs;
    private int mask;

    /**
     * @param initialSlots a power of two.
     * @param maxSlots     a power of two, at least {@code initialSlots}: the most it grows to.
     */
    DeliveryTimes(final int initialSlots, final int maxSlots)
    {
        if (Integer.bitCount(initialSlots) != 1 || Integer.bitCount(maxSlots) != 1 || maxSlots < initialSlots)
        {
            throw new IllegalArgumentException("slots must be powers of two, initial <= max: " + initialSlots +
                ", " + maxSlots);
        }
        this.maxSlots = maxSlots;
        allocate(initialSlots);
    }

    /** The delivery of {@code sequence} to {@code consumerId} went out at {@code nowNs}; replaces an earlier one's. */
    void put(final long consumerId, final long sequence, final long nowNs)
    {
        int slot = slot(consumerId, sequence);
        while (isOther(slot, consumerId, sequence) && timesNs.length < maxSlots)
        {
            grow();
            slot = slot(consumerId, sequence);
        }
        consumerIds[slot] = consumerId;
        sequences[slot] = sequence;
        timesNs[slot] = nowNs;
    }

    /** When the delivery went out, forgetting it; {@link #NONE} if it is not timed here. */
    long remove(final long consumerId, final long sequence)
    {
        final int slot = slot(consumerId, sequence);
        if (NONE == timesNs[slot] || consumerIds[slot] != consumerId || sequences[slot] != sequence)
        {
            return NONE;
        }
        final long timeNs = timesNs[slot];
        timesNs[slot] = NONE;
        return timeNs;
    }

    /** The table's size now, in deliveries (for tests). */
    int slots()
    {
        return timesNs.length;
    }

    private boolean isOther(final int slot, final long consumerId, final long sequence)
    {
        return NONE != timesNs[slot] && (consumerIds[slot] != consumerId || sequences[slot] != sequence);
    }

    private int slot(final long consumerId, final long sequence)
    {
        return (int)(sequence + consumerId * CONSUMER_SPREAD) & mask;
    }

    /** Twice the slots, every timed delivery moved over (two that meet in the new table: the later one stays). */
    private void grow()
    {
        final long[] oldConsumers = consumerIds;
        final long[] oldSequences = sequences;
        final long[] oldTimes = timesNs;
        allocate(oldTimes.length * 2);
        for (int i = 0; i < oldTimes.length; i++)
        {
            if (NONE != oldTimes[i])
            {
                final int slot = slot(oldConsumers[i], oldSequences[i]);
                consumerIds[slot] = oldConsumers[i];
                sequences[slot] = oldSequences[i];
                timesNs[slot] = oldTimes[i];
            }
        }
    }

    private void allocate(final int slots)
    {
        consumerIds = new long[slots];
        sequences = new long[slots];
        timesNs = new long[slots];
        Arrays.fill(timesNs, NONE);
        mask = slots - 1;
    }
}
