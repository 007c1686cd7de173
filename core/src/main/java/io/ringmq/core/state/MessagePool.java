package io.ringmq.core.state;

import java.util.ArrayDeque;

/**
 * Free list of {@link StoredMessage}s so steady-state publish/ack recycles instead of allocating. Grows without a
 * cap: a queue's depth is bounded by configuration elsewhere, never by silently refusing to store.
 */
final class MessagePool
{
    private final ArrayDeque<StoredMessage> free = new ArrayDeque<>(1024);

    StoredMessage acquire()
    {
        final StoredMessage message = free.pollFirst();
        return null != message ? message : new StoredMessage();
    }

    void release(final StoredMessage message)
    {
        free.addFirst(message);
    }
}
