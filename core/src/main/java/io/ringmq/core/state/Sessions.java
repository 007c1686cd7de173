package io.ringmq.core.state;

import io.ringmq.codecs.ErrorCode;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;

/**
 * The connected sessions and the ids the next session and consumer get, and the check every client command passes:
 * the session it names is connected on the transport the command came on (a client cannot act for another's
 * session). Opening and closing sessions is the {@link QueueStateMachine}'s; this only holds them.
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class Sessions
{
    /** Stands for every transport: a new run of the daemon, whose previous run's clients are all gone. */
    static final long ALL_TRANSPORTS = Long.MIN_VALUE;

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
        final Session session = onThisTransport(sessionId);
        if (null == session)
        {
            state.sink.onError(sessionId, correlationId, ErrorCode.UNKNOWN_SESSION,
                "session " + sessionId + " is not connected on this transport");
            return null;
        }
        return session;
    }

    /** @return the session if it is connected on the transport the command came on, else null (nothing reported). */
    Session onThisTransport(final long sessionId)
    {
        final Session session = byId.get(sessionId);
        return null != session && session.transportSessionId == transportSessionId ? session : null;
    }

    /** Ids of the sessions bound to a transport session, or of all for {@link #ALL_TRANSPORTS}, ascending. */
    long[] idsOn(final long transport)
    {
        final long[] sessionIds = new long[byId.size()];
        int count = 0;
        for (final Session session : byId.values())
        {
            if (ALL_TRANSPORTS == transport || session.transportSessionId == transport)
            {
                sessionIds[count++] = session.id;
            }
        }
        Arrays.sort(sessionIds, 0, count); // hash order is deterministic, but id order is easier to reason about
        return Arrays.copyOf(sessionIds, count);
    }
}
