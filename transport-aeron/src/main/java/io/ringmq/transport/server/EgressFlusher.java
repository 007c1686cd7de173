package io.ringmq.transport.server;

/** Sends responses that waited for a client to have room; the dispatcher calls it between commands. */
@FunctionalInterface
public interface EgressFlusher
{
    EgressFlusher NONE = () -> false;

    /** @return true while responses are still waiting (the dispatcher then needs turns even without commands). */
    boolean flushPending();
}
