package io.ringmq.daemon.counters;

import io.aeron.Aeron;
import io.aeron.Counter;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Allocates ringmq's counters through the daemon's Aeron client, in the media driver's CnC file: another process
 * ({@code ringmq stat}, Aeron's AeronStat) reads them there without a word to the daemon. Each call is a round trip
 * to the driver: for a queue or group that appears, never per message.
 * <p>
 * Not thread-safe: one thread allocates (the dispatch thread, once the daemon is running).
 */
public final class CounterAllocator
{
    /** Aeron's limit (CountersReader.MAX_LABEL_LENGTH). */
    private static final int MAX_LABEL_LENGTH = 380;

    private final Aeron aeron;
    private final UnsafeBuffer key = new UnsafeBuffer(new byte[CounterKey.MAX_KEY_LENGTH]);
    private int nextOwnerId = 1;

    public CounterAllocator(final Aeron aeron)
    {
        this.aeron = aeron;
    }

    /** One counter of the daemon as a whole. */
    Counter daemonCounter(final RingmqCounter counter)
    {
        return add(counter, 0, "", "");
    }

    /** A new owner id: the counters of one queue, or of one group, share it. */
    int nextOwnerId()
    {
        return nextOwnerId++;
    }

    /**
     * @param first  the queue's name (or the error code's), empty for the daemon's own counters.
     * @param second the group's name, or empty.
     */
    Counter add(final RingmqCounter counter, final int ownerId, final String first, final String second)
    {
        final int keyLength = CounterKey.write(key, ownerId, first, second);
        final String label = counter.labelPrefix() + (first.isEmpty() ? "" : ": " + first) +
            (second.isEmpty() ? "" : " " + second);
        final byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        return aeron.addCounter(counter.typeId(), key, 0, keyLength, new UnsafeBuffer(labelBytes), 0,
            Math.min(labelBytes.length, MAX_LABEL_LENGTH));
    }
}
