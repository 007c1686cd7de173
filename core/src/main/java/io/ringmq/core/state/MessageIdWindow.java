package io.ringmq.core.state;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;

/**
 * The message ids published to each queue recently, so that a second publish of the same id to the same queue (a
 * retry, SQS's MessageDeduplicationId, NATS's Nats-Msg-Id) is answered with the first one's receipt instead of being
 * enqueued again. An id is forgotten {@link DedupLimits#idWindowMs()} after the publish that set it, and, when
 * {@link DedupLimits#maxIds()} are remembered, the oldest is forgotten to make room (counted in {@link #evicted()}).
 * Time is the command's, so a replay forgets exactly what the live run did.
 * <p>
 * Entries sit in publish order (a ring of pooled entries) and in a hash index chained by collisions; ids are compared
 * byte for byte, never by hash alone. Allocation-free once warmed up. Not thread-safe: owned by the thread that
 * applies commands.
 */
final class MessageIdWindow
{
    static final long NOT_FOUND = Long.MIN_VALUE;

    private final Long2ObjectHashMap<Entry> byHash = new Long2ObjectHashMap<>();
    private final ArrayList<Entry> pool = new ArrayList<>();
    /** Oldest first. */
    private Entry oldest;
    private Entry newest;
    private int size;
    private long evicted;
    private DedupLimits limits = DedupLimits.NONE;

    /** One remembered id. */
    static final class Entry
    {
        String queue;
        final UnsafeBuffer id = new UnsafeBuffer(new byte[0]);
        int idLength;
        long hash;
        long queueSequence;
        long publishedNs;
        Entry newer;
        Entry sameHash;

        boolean matches(final String queue, final DirectBuffer id, final int idLength)
        {
            if (!this.queue.equals(queue) || this.idLength != idLength)
            {
                return false;
            }
            for (int i = 0; i < idLength; i++)
            {
                if (this.id.getByte(i) != id.getByte(i))
                {
                    return false;
                }
            }
            return true;
        }
    }

    void limits(final DedupLimits limits)
    {
        this.limits = limits;
    }

    /**
     * The queue sequence the first publish of this id to this queue got, if it is remembered; else
     * {@link #NOT_FOUND} (always for a null queue: one that does not exist). Forgets ids whose window has passed
     * first.
     */
    long find(final String queue, final DirectBuffer id, final int idLength, final long nowNs)
    {
        expire(nowNs);
        if (null == queue)
        {
            return NOT_FOUND;
        }
        for (Entry entry = byHash.get(hash(queue, id, idLength)); null != entry; entry = entry.sameHash)
        {
            if (entry.matches(queue, id, idLength))
            {
                return entry.queueSequence;
            }
        }
        return NOT_FOUND;
    }

    /**
     * Remembers the id of a publish just applied (the caller found it was not remembered), forgetting ids whose window
     * has passed first, then the oldest while the most are remembered.
     */
    void record(
        final String queue, final DirectBuffer id, final int idLength, final long queueSequence, final long nowNs)
    {
        expire(nowNs);
        if (!limits.remembersIds())
        {
            return;
        }
        while (size >= limits.maxIds())
        {
            forgetOldest();
            evicted++;
        }
        append(queue, id, idLength, queueSequence, nowNs);
    }

    /** Re-adds a remembered id as the newest, whatever the limits (restoring a snapshot). */
    void restore(
        final String queue, final DirectBuffer id, final int idLength, final long queueSequence, final long publishedNs)
    {
        append(queue, id, idLength, queueSequence, publishedNs);
    }

    private void append(
        final String queue, final DirectBuffer id, final int idLength, final long queueSequence, final long nowNs)
    {
        final Entry entry = pool.isEmpty() ? new Entry() : pool.remove(pool.size() - 1);
        entry.queue = queue;
        if (idLength > entry.id.capacity())
        {
            entry.id.wrap(new byte[BitUtil.findNextPositivePowerOfTwo(idLength)]);
        }
        entry.id.putBytes(0, id, 0, idLength);
        entry.idLength = idLength;
        entry.hash = hash(queue, id, idLength);
        entry.queueSequence = queueSequence;
        entry.publishedNs = nowNs;
        entry.newer = null;
        entry.sameHash = byHash.put(entry.hash, entry);
        if (null == newest)
        {
            oldest = entry;
        }
        else
        {
            newest.newer = entry;
        }
        newest = entry;
        size++;
    }

    /**
     * Forgets every id published to the queue (it was deleted: a queue made again under its name is a new one),
     * keeping the others in publish order. Admin only.
     */
    void forgetQueue(final String queue)
    {
        Entry entry = oldest;
        oldest = null;
        newest = null;
        size = 0;
        byHash.clear();
        while (null != entry)
        {
            final Entry next = entry.newer;
            entry.newer = null;
            if (queue.equals(entry.queue))
            {
                entry.queue = null;
                entry.sameHash = null;
                pool.add(entry);
            }
            else
            {
                entry.sameHash = byHash.put(entry.hash, entry);
                if (null == newest)
                {
                    oldest = entry;
                }
                else
                {
                    newest.newer = entry;
                }
                newest = entry;
                size++;
            }
            entry = next;
        }
    }

    /** Ids forgotten because {@link DedupLimits#maxIds()} were remembered, since the state began. */
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
        return size;
    }

    /** Oldest first: the order a snapshot writes them and a restore re-adds them. */
    void forEachOldestFirst(final java.util.function.Consumer<Entry> action)
    {
        for (Entry entry = oldest; null != entry; entry = entry.newer)
        {
            action.accept(entry);
        }
    }

    private void expire(final long nowNs)
    {
        final long windowNs = limits.idWindowNs();
        while (null != oldest && (!limits.remembersIds() || nowNs - oldest.publishedNs >= windowNs))
        {
            forgetOldest();
        }
    }

    private void forgetOldest()
    {
        final Entry entry = oldest;
        oldest = entry.newer;
        if (null == oldest)
        {
            newest = null;
        }
        // Unchain it from its hash: newer entries of the same hash sit in front of it.
        Entry head = byHash.get(entry.hash);
        if (head == entry)
        {
            if (null == entry.sameHash)
            {
                byHash.remove(entry.hash);
            }
            else
            {
                byHash.put(entry.hash, entry.sameHash);
            }
        }
        else
        {
            while (head.sameHash != entry)
            {
                head = head.sameHash;
            }
            head.sameHash = entry.sameHash;
        }
        entry.queue = null;
        entry.newer = null;
        entry.sameHash = null;
        size--;
        pool.add(entry);
    }

    private static long hash(final String queue, final DirectBuffer id, final int idLength)
    {
        long hash = queue.hashCode();
        for (int i = 0; i < idLength; i++)
        {
            hash = hash * 31 + id.getByte(i);
        }
        return hash;
    }
}
