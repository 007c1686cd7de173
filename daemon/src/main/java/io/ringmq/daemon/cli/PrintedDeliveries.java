package io.ringmq.daemon.cli;

import io.ringmq.client.QueueConsumer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;

import java.io.PrintStream;
import java.util.ArrayList;

/**
 * Deliveries printed but not yet known to be written. {@code PrintStream} swallows a write error (a closed pipe, as
 * after {@code consume | head}) and only records it, so a message is settled only after the flush that carries its
 * line succeeded; on a failed flush nothing pending is settled and the caller gives the deliveries back by closing.
 * <p>
 * Not thread-safe: owned by the command's polling thread.
 */
final class PrintedDeliveries
{
    private final LongArrayList sequences = new LongArrayList();
    private final IntArrayList attempts = new IntArrayList();
    /** The consumer each is settled on: one for a queue, one per matching queue for a pattern. */
    private final ArrayList<QueueConsumer> consumers = new ArrayList<>();

    void printed(final QueueConsumer consumer, final long sequence, final int attempt)
    {
        consumers.add(consumer);
        sequences.addLong(sequence);
        attempts.addInt(attempt);
    }

    int pending()
    {
        return sequences.size();
    }

    /**
     * Flushes {@code out}; if every byte got out, settles each pending delivery with {@code settle} and forgets it.
     *
     * @return false when the output failed, with nothing settled.
     */
    boolean flushThenSettle(final PrintStream out, final Settle settle)
    {
        if (out.checkError())
        {
            return false;
        }
        for (int i = 0, size = sequences.size(); i < size; i++)
        {
            settle.settle(consumers.get(i), sequences.getLong(i), attempts.getInt(i));
        }
        consumers.clear();
        sequences.clear();
        attempts.clear();
        return true;
    }

    @FunctionalInterface
    interface Settle
    {
        void settle(QueueConsumer consumer, long sequence, int attempt);
    }
}
