package io.ringmq.core.state;

import java.util.ArrayList;

/** A connected client. Owns its consumers: when the session goes, so do they. */
final class Session
{
    final long id;
    /** Aeron session of the client's ingress image; when it goes away, so does this session. */
    final int transportSessionId;
    final ArrayList<Consumer> consumers = new ArrayList<>();

    Session(final long id, final int transportSessionId)
    {
        this.id = id;
        this.transportSessionId = transportSessionId;
    }
}
