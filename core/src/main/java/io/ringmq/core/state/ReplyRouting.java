package io.ringmq.core.state;

import io.ringmq.codecs.ErrorCode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Where a reply goes: to the requester's session (a reply for a session that is gone is dropped and counted), or, for
 * a request with a reply queue, onto that queue as a message carrying the request's id (the queue is made if need be,
 * like a dead-letter queue, and its limits apply: a full queue that refuses more refuses the reply).
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class ReplyRouting
{
    private static final UnsafeBuffer NONE = new UnsafeBuffer(new byte[0]);

    private final SharedState state;
    private final Sessions sessions;
    private final MessageStore store;
    private final LimitEnforcer limits;
    private final Dispatcher dispatcher;
    private final Retention retention;

    ReplyRouting(
        final SharedState state,
        final Sessions sessions,
        final MessageStore store,
        final LimitEnforcer limits,
        final Dispatcher dispatcher,
        final Retention retention)
    {
        this.retention = retention;
        this.state = state;
        this.sessions = sessions;
        this.store = store;
        this.limits = limits;
        this.dispatcher = dispatcher;
    }

    /**
     * Routes the reply to a request; the caller then settles the request's delivery.
     *
     * @return false if the reply queue refused it (the replier was told; the request stays in flight).
     */
    boolean route(
        final long replierSessionId,
        final StoredMessage request,
        final DirectBuffer payload,
        final int payloadLength,
        final DirectBuffer headers,
        final int headersLength)
    {
        final long requestId = request.requestId;
        if (0 == request.replyToLength())
        {
            if (null != sessions.byId.get(request.replySessionId))
            {
                state.sink.onReplied(request.replySessionId, requestId, payload, payloadLength, headers, headersLength);
            }
            else
            {
                state.repliesDropped++;
            }
            return true;
        }
        Queue queue = state.queues.get(request.replyTo(), 0, request.replyToLength());
        if (null == queue)
        {
            queue = state.queues.getOrCreate(request.replyTo().getStringWithoutLengthAscii(0, request.replyToLength()));
        }
        if (!limits.makeRoom(queue, payloadLength))
        {
            state.sink.onError(replierSessionId, 0, ErrorCode.QUEUE_FULL, "reply queue '" + queue.name +
                "' is full and refuses the reply; the request stays in flight");
            return false;
        }
        final StoredMessage reply = store.append(queue, PriorityLanes.DEFAULT_PRIORITY, payload, 0, payloadLength, state.nowNs);
        reply.setMetadata(0, 0, headers, headersLength, NONE, 0);
        reply.setRequest(requestId, 0, NONE, 0);
        retention.enteredQueue(queue, reply);
        dispatcher.deliverToAllGroups(queue);
        return true;
    }
}
