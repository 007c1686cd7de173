package io.ringmq.core.state;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * The connected sessions and the ids the next session and consumer get, and the check every client command passes:
 * the session it names is connected on the transport the command came on (a client cannot act for another's
 * session). Opening and closing sessions is the {@link QueueStateMachine}'s; this only holds them.
 * <p>
 * A command that fails the check is answered to no one, only counted. Its sender is the one who should hear why, but
 * the state machine reaches clients only through sessions, and the sender has none the command names: the session it
 * names is someone else's (telling that session was how one client closed another's session by flooding it with
 * errors, and failed another's waiting publish with a guessed correlation id) or closed (its egress is gone, so the
 * answer never reached anyone). Nor is it answered on a session of the sender's own: the correlation id is the named
 * session's, and could match an unrelated request the sender is waiting on.
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class Sessions
{
    /** Stands for every transport: a new run of the daemon, whose previous run's clients are all gone. */
    static final long ALL_TRANSPORTS = Long.MIN_VALUE;

    final Long2ObjectHashMap<Session> byId = new Long2ObjectHashMap<>();
    /** Every session's pattern subscriptions, oldest first: the order they attach to a queue created later. */
    final ArrayList<PatternSubscription> patterns = new ArrayList<>();
    /** A snapshot records the next ids so that ids never repeat. */
    long nextSessionId = 1;
    long nextConsumerId = 1;
    /** Transport session the command being applied came on. */
    int transportSessionId;
    /**
     * Commands (each ack of an AckBatch on its own, as the acks one by one would be) and refused frames that named a
     * session not connected on their sender's transport: answered to no one.
     * A diagnostic since this machine was made (replayed commands included), not part of the state: snapshots do not
     * carry it.
     */
    long foreignCommands;

    /**
     * The session a client command names, if it is connected on the transport the command came on; otherwise the
     * command is counted and nobody is told (see the class comment).
     *
     * @return the session, or null if the command must be ignored.
     */
    Session sessionFor(final long sessionId)
    {
        final Session session = byId.get(sessionId);
        if (null == session || session.transportSessionId != transportSessionId)
        {
            foreignCommands++;
            return null;
        }
        return session;
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
