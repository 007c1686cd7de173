package io.ringmq.core.state;

import io.ringmq.core.protocol.ProducerIds;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;

/**
 * The publishes each producer had applied recently, so that a retry of one (same producer id, same producer
 * sequence) is answered with the original receipt instead of being enqueued again: per producer its most recent
 * {@value #SEQUENCES_PER_PRODUCER} applied sequences with the queue sequence each got.
 * <p>
 * A producer is forgotten {@link DedupLimits#windowMs()} after its last publish, and, when
 * {@link DedupLimits#maxProducers()} are remembered and a new one publishes, the least recently used is forgotten
 * (counted in {@link #evicted()}). Time is the command's, so a replay forgets exactly what the live run did.
 * <p>
 * Producers are kept in a list from least to most recently used (intrusive links, pooled windows), so a warmed-up
 * machine allocates nothing here. Not thread-safe: owned by the thread that applies commands.
 */
final class ProducerWindows
{
    /** How many of a producer's latest applied sequences are remembered; a client leaves no more unanswered. */
    static final int SEQUENCES_PER_PRODUCER = ProducerIds.REMEMBERED_SEQUENCES;
    static final long NOT_FOUND = Long.MIN_VALUE;

    private final Long2ObjectHashMap<Window> byId = new Long2ObjectHashMap<>();
    private final ArrayList<Window> pool = new ArrayList<>();
    /** Least recently used first. */
    private Window oldest;
    private Window newest;
    private long evicted;
    private DedupLimits limits = DedupLimits.NONE;

    /** One producer's recent sequences: a ring, oldest first from {@code start}. */
    static final class Window
    {
        long producerId;
        long lastUsedNs;
        final long[] sequences = new long[SEQUENCES_PER_PRODUCER];
        final long[] queueSequences = new long[SEQUENCES_PER_PRODUCER];
        int start;
        int count;
        Window older;
        Window newer;

        long find(final long sequence)
        {
            for (int i = 0; i < count; i++)
            {
                final int index = (start + i) % SEQUENCES_PER_PRODUCER;
                if (sequences[index] == sequence)
                {
                    return queueSequences[index];
                }
            }
            return NOT_FOUND;
        }

        void add(final long sequence, final long queueSequence)
        {
            final int index = (start + count) % SEQUENCES_PER_PRODUCER;
            sequences[index] = sequence;
            queueSequences[index] = queueSequence;
            if (count < SEQUENCES_PER_PRODUCER)
            {
                count++;
            }
            else
            {
                start = (start + 1) % SEQUENCES_PER_PRODUCER;
            }
        }

        long sequenceAt(final int i)
        {
            return sequences[(start + i) % SEQUENCES_PER_PRODUCER];
        }

        long queueSequenceAt(final int i)
        {
            return queueSequences[(start + i) % SEQUENCES_PER_PRODUCER];
        }
    }

    /** A new run's values; what is remembered stays (a retry after a restart is exactly what this is for). */
    void limits(final DedupLimits limits)
    {
        this.limits = limits;
    }

    /**
     * The queue sequence the producer's publish with this sequence got, if it is remembered; else
     * {@link #NOT_FOUND}. Forgets producers whose window has passed first; a producer found is used now.
     */
    long find(final long producerId, final long sequence, final long nowNs)
    {
        expire(nowNs);
        final Window window = byId.get(producerId);
        if (null == window)
        {
            return NOT_FOUND;
        }
        touch(window, nowNs);
        return window.find(sequence);
    }

    /** Remembers an applied publish of the producer (forgetting its oldest, or the least recently used producer). */
    void record(final long producerId, final long sequence, final long queueSequence, final long nowNs)
    {
        if (!limits.remembersProducers())
        {
            return;
        }
        Window window = byId.get(producerId);
        if (null == window)
        {
            while (byId.size() >= limits.maxProducers())
            {
                forget(oldest);
                evicted++;
            }
            window = pool.isEmpty() ? new Window() : pool.remove(pool.size() - 1);
            window.producerId = producerId;
            window.start = 0;
            window.count = 0;
            byId.put(producerId, window);
            window.lastUsedNs = nowNs;
            linkNewest(window);
        }
        touch(window, nowNs);
        window.add(sequence, queueSequence);
    }

    /** Producers forgotten because {@link DedupLimits#maxProducers()} were remembered, since the state began. */
    long evicted()
    {
        return evicted;
    }

    void restoreEvicted(final long evicted)
    {
        this.evicted = evicted;
    }

    int size()
    {
        return byId.size();
    }

    /** Least recently used first: the order a snapshot writes them and a restore re-adds them. */
    void forEachOldestFirst(final java.util.function.Consumer<Window> action)
    {
        for (Window window = oldest; null != window; window = window.newer)
        {
            action.accept(window);
        }
    }

    /** Re-adds a producer as the most recently used, its sequences oldest first (restoring a snapshot). */
    void restore(final long producerId, final long lastUsedNs, final long[] sequences, final long[] queueSequences)
    {
        final Window window = new Window();
        window.producerId = producerId;
        window.lastUsedNs = lastUsedNs;
        for (int i = 0; i < sequences.length; i++)
        {
            window.add(sequences[i], queueSequences[i]);
        }
        byId.put(producerId, window);
        linkNewest(window);
    }

    private void expire(final long nowNs)
    {
        final long windowNs = limits.windowNs();
        while (null != oldest && (!limits.remembersProducers() || nowNs - oldest.lastUsedNs >= windowNs))
        {
            forget(oldest);
        }
    }

    private void touch(final Window window, final long nowNs)
    {
        window.lastUsedNs = Math.max(window.lastUsedNs, nowNs);
        if (window != newest)
        {
            unlink(window);
            linkNewest(window);
        }
    }

    private void forget(final Window window)
    {
        unlink(window);
        byId.remove(window.producerId);
        pool.add(window);
    }

    private void linkNewest(final Window window)
    {
        window.older = newest;
        window.newer = null;
        if (null != newest)
        {
            newest.newer = window;
        }
        newest = window;
        if (null == oldest)
        {
            oldest = window;
        }
    }

    private void unlink(final Window window)
    {
        if (null != window.older)
        {
            window.older.newer = window.newer;
        }
        else
        {
            oldest = window.newer;
        }
        if (null != window.newer)
        {
            window.newer.older = window.older;
        }
        else
        {
            newest = window.older;
        }
        window.older = null;
        window.newer = null;
    }
}
