package io.ringmq.core.state;

import io.ringmq.codecs.ErrorCode;
import org.agrona.DirectBuffer;

/**
 * Where the {@link QueueStateMachine} sends what it decides: the egress in a live daemon, nothing during journal
 * replay ({@link #NONE}), a recorder in tests. Called on the thread that applies commands; buffers passed in are
 * only valid for the duration of the call.
 */
public interface OutputSink
{
    /** A client connected: open its egress on the channel and stream it named, then confirm with a Connected. */
    void onSessionOpened(long sessionId, long correlationId, String responseChannel, int responseStreamId);

    /**
     * A Connect was refused (a bound passed, or the ingress found its response channel wanting): no session; tell the
     * client why on the response channel it named, which the ingress has checked is one the daemon may answer on.
     */
    void onConnectRefused(
        long correlationId, String responseChannel, int responseStreamId, ErrorCode code, String message);

    /** A session ended (disconnect or daemon restart): close its egress. */
    void onSessionClosed(long sessionId);

    void onReceipt(long sessionId, long correlationId, long sequence);

    void onSubscribed(long sessionId, long correlationId, long consumerId);

    /**
     * A pattern subscription attached a consumer to a queue it matches (schema version 10): deliveries to
     * {@code consumerId} are that queue's messages. Follows the subscription's Subscribed.
     */
    default void onAttached(
        long sessionId, long correlationId, long subscriptionId, long consumerId, String queue)
    {
    }

    /** One delivery of a message to a consumer: (message sequence, attempt) names it. */
    void onDeliver(long sessionId, long consumerId, int attempt, MessageView message);

    void onError(long sessionId, long correlationId, ErrorCode code, String message);

    /** The reply to a request the session sent: its payload and headers. */
    void onReplied(
        long sessionId,
        long requestId,
        DirectBuffer payload,
        int payloadLength,
        DirectBuffer headers,
        int headersLength);

    /** One message a queue holds, for a browse (a dead letter says why, from where, in its view). */
    void onBrowsed(long sessionId, long correlationId, MessageView message);

    /** An admin command finished, having acted on {@code count} messages. */
    void onAdminDone(long sessionId, long correlationId, long count);

    /** Answer to an admin STATS: what a queue holds and what its limits did (followed by an admin done). */
    void onQueueStats(
        long sessionId, long correlationId, QueueCounters counters, long inFlight, int groups, int consumers);

    /** Answer to a Query QUEUES: one queue (followed, after the last, by an admin done). */
    void onQueueListed(long sessionId, long correlationId, QueueFigures queue, long dlqDepth);

    /** Answer to a Query GROUPS: the group at {@code groupIndex} of {@code queue} (then, after the last, an admin done). */
    void onGroupListed(long sessionId, long correlationId, QueueFigures queue, int groupIndex);

    /**
     * A consumer settled a delivery: acked it, or answered the request it carried with a reply. Nothing to send; for
     * latency figures, so a sink may ignore it.
     *
     * @param publishTimestampNs when the message was published, in command time.
     * @param replied            true when a reply settled it (the request is answered).
     */
    default void onSettled(long sessionId, long consumerId, long sequence, long publishTimestampNs, boolean replied)
    {
    }

    /** Discards every output: recovery replays the journal through the state machine with this sink. */
    OutputSink NONE = new DiscardingOutputSink();
}
