package io.ringmq.core.state;

import java.util.ArrayList;

/** A connected client. Owns its consumers: when the session goes, so do they. */
final class Session
{
    final long id;
    final ArrayList<Consumer> consumers = new ArrayList<>();

    Session(final long id)
    {
        this.id = id;
    }
}
