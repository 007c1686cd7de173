package io.ringmq.core.state;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;

/**
 * Free list of {@link StoredMessage}s so steady-state publish/ack recycles instead of allocating. Grows without a
 * cap: a queue's depth is bounded by configuration elsewhere, never by silently refusing to store.
 * <p>
 * Payload buffers of evicted messages ({@link StoredMessage#evictPayload}) wait here, a bounded number of them, for
 * the next messages stored: a queue that keeps what it consumed evicts one payload per message acked and stores one
 * per message published, so the steady state allocates nothing, while a burst of evictions frees its memory.
 */
final class MessagePool
{
    /** Spare payload buffers kept at most: enough for a batch, far below a queue's worth of kept messages. */
    static final int MAX_SPARE_PAYLOADS = 1024;

    private final ArrayDeque<StoredMessage> free = new ArrayDeque<>(1024);
    private final ArrayDeque<UnsafeBuffer> sparePayloads = new ArrayDeque<>(MAX_SPARE_PAYLOADS);

    StoredMessage acquire()
    {
        final StoredMessage message = free.pollFirst();
        if (null == message)
        {
            return new StoredMessage();
        }
        if (message.payloadInJournal() && !sparePayloads.isEmpty())
        {
            message.reusePayloadBuffer(sparePayloads.pollFirst());
        }
        return message;
    }

    void release(final StoredMessage message)
    {
        free.addFirst(message);
    }

    /** Lets a kept message's payload go from memory when the journal holds it; its buffer may serve a later one. */
    void evictPayload(final StoredMessage message)
    {
        final UnsafeBuffer held = message.evictPayload();
        if (null != held && sparePayloads.size() < MAX_SPARE_PAYLOADS)
        {
            sparePayloads.addFirst(held);
        }
    }
}
