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
 * ({@code ringmq stat}, Aeron's AeronStat) reads them there without a word to the daemon. Each add waits for the
 * driver (a millisecond or more): the daemon's own counters at start, the rest on the sampler thread, never on the
 * ring's threads.
 * <p>
 * Not thread-safe: one thread allocates at a time (the starting thread, then the sampler).
 */
final class CounterAllocator
{
    private static final Logger LOG = LoggerFactory.getLogger(CounterAllocator.class);
    /** Aeron's limit (CountersReader.MAX_LABEL_LENGTH). */
    private static final int MAX_LABEL_LENGTH = 380;

    private final Aeron aeron;
    private final UnsafeBuffer key = new UnsafeBuffer(new byte[CounterKey.MAX_KEY_LENGTH]);
    private final UnsafeBuffer label = new UnsafeBuffer(new byte[MAX_LABEL_LENGTH]);
    private int nextOwnerId = 1;
    private boolean refused;

    CounterAllocator(final Aeron aeron)
    {
        this.aeron = aeron;
    }

    /** One counter of the daemon as a whole, added at start: a refusal fails the start. */
    Counter daemonCounter(final RingmqCounter counter)
    {
        return addOrThrow(counter, 0, "", "");
    }

    /** A counter of a row that exists from the start (a stage's): the driver refusing it is an error. */
    Counter fixedCounter(final RingmqCounter counter, final int ownerId, final String first)
    {
        return addOrThrow(counter, ownerId, first, "");
    }

    /** A new owner id: the counters of one queue, of one group or of one error code share it. */
    int nextOwnerId()
    {
        return nextOwnerId++;
    }

    /**
     * @param first  the queue's name (or the error code's).
     * @param second the group's name, or empty.
     * @return the counter, or null once the media driver has refused one (its counters buffer is full: logged once;
     *         asking again would cost a round trip each time, for nothing while the buffer stays full).
     */
    Counter add(final RingmqCounter counter, final int ownerId, final String first, final String second)
    {
        if (refused)
        {
            return null;
        }
        try
        {
            return addOrThrow(counter, ownerId, first, second);
        }
        catch (final AeronException ex)
        {
            refused = true;
            LOG.warn("the media driver refused a counter: the counters of queues, groups and error codes that appear " +
                "from now on are not kept (the driver's counters buffer holds about 8000 counters by default; " +
                "-Daeron.counters.buffer.length raises it): {}", ex.getMessage());
            return null;
        }
    }

    private Counter addOrThrow(final RingmqCounter counter, final int ownerId, final String first, final String second)
    {
        final int keyLength = CounterKey.write(key, ownerId, first, second);
        final byte[] text = (counter.labelPrefix() + (first.isEmpty() ? "" : ": " + first) +
            (second.isEmpty() ? "" : " " + second)).getBytes(StandardCharsets.US_ASCII);
        final int labelLength = Math.min(text.length, MAX_LABEL_LENGTH);
        label.putBytes(0, text, 0, labelLength);
        return aeron.addCounter(counter.typeId(), key, 0, keyLength, label, 0, labelLength);
    }
}
