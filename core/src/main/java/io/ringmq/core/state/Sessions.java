package io.ringmq.core.state;

import io.ringmq.codecs.ErrorCode;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The connected sessions and the ids the next session and consumer get, and the check every client command passes:
 * the session it names is connected on the transport the command came on (a client cannot act for another's
 * session). Opening and closing sessions is the {@link QueueStateMachine}'s; this only holds them.
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class Sessions
{
    private final SharedState state;
    final Long2ObjectHashMap<Session> byId = new Long2ObjectHashMap<>();
    /** A snapshot records the next ids so that ids never repeat. */
    long nextSessionId = 1;
    long nextConsumerId = 1;
    /** Transport session the command being applied came on. */
    int transportSessionId;

    Sessions(final SharedState state)
    {
        this.state = state;
    }

    /**
     * The session a client command names, if it is connected and belongs to the transport the command came on.
     *
     * @return the session, or null after reporting why not.
     */
    Session sessionFor(final long sessionId, final long correlationId)
    {
        final Session session = byId.get(sessionId);
        if (null == session || session.transportSessionId != transportSessionId)
        {
            state.sink.onError(sessionId, correlationId, ErrorCode.UNKNOWN_SESSION,
                "session " + sessionId + " is not connected on this transport");
            return null;
        }
        return session;
    }
}
