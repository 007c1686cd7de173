package io.ringmq.daemon.counters;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.aeron.exceptions.AeronException;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(CounterAllocator.class);
    /** Aeron's limit (CountersReader.MAX_LABEL_LENGTH). */
    private static final int MAX_LABEL_LENGTH = 380;

    private final Aeron aeron;
    private final UnsafeBuffer key = new UnsafeBuffer(new byte[CounterKey.MAX_KEY_LENGTH]);
    private int nextOwnerId = 1;
    private boolean refused;

    public CounterAllocator(final Aeron aeron)
    {
        this.aeron = aeron;
    }

    /** One counter of the daemon as a whole, allocated at start: a refusal then fails the start. */
    Counter daemonCounter(final RingmqCounter counter)
    {
        return addOrThrow(counter, 0, "", "");
    }

    /** A new owner id: the counters of one queue, or of one group, share it. */
    int nextOwnerId()
    {
        return nextOwnerId++;
    }

    /**
     * @param first  the queue's name (or the error code's), empty for the daemon's own counters.
     * @param second the group's name, or empty.
     * @return the counter, or null if the media driver refused it (its counters buffer is full: logged once); the
     *         daemon goes on without it.
     */
    Counter add(final RingmqCounter counter, final int ownerId, final String first, final String second)
    {
        if (refused)
        {
            return null; // asking again would cost a round trip to the driver each time
        }
        try
        {
            return addOrThrow(counter, ownerId, first, second);
        }
        catch (final AeronException ex)
        {
            if (!refused)
            {
                refused = true;
                LOG.warn("the media driver refused a counter ({} {} {}): counters of queues, groups and error codes " +
                    "that appear from now on are not kept (the driver's counters buffer holds about 8000 by " +
                    "default): {}", counter.fieldName(), first, second, ex.getMessage());
            }
            return null;
        }
    }

    private Counter addOrThrow(final RingmqCounter counter, final int ownerId, final String first, final String second)
    {
        final int keyLength = CounterKey.write(key, ownerId, first, second);
        final String label = counter.labelPrefix() + (first.isEmpty() ? "" : ": " + first) +
            (second.isEmpty() ? "" : " " + second);
        final byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        return aeron.addCounter(counter.typeId(), key, 0, keyLength, new UnsafeBuffer(labelBytes), 0,
            Math.min(labelBytes.length, MAX_LABEL_LENGTH));
    }
}
