package io.ringmq.core.state;

import io.ringmq.codecs.ErrorCode;
import org.agrona.DirectBuffer;

/**
 * A sink that passes every output on to the next one: a decorator overrides only what it watches (errors to count,
 * deliveries to time) and calls {@code super} to pass the output on.
 * <p>
 * Not thread-safe: the thread that applies commands, as the state machine's sink.
 */
public abstract class ForwardingSink implements OutputSink
{
    private final OutputSink next;

    protected ForwardingSink(final OutputSink next)
    {
        this.next = next;
    }

    public void onError(final long sessionId, final long correlationId, final ErrorCode code, final String message)
    {
        next.onError(sessionId, correlationId, code, message);
    }

    public void onConnectRefused(
        final long correlationId,
        final String responseChannel,
        final int responseStreamId,
        final ErrorCode code,
        final String message)
    {
        next.onConnectRefused(correlationId, responseChannel, responseStreamId, code, message);
    }

    public void onSessionOpened(
        final long sessionId, final long correlationId, final String responseChannel, final int responseStreamId)
    {
        next.onSessionOpened(sessionId, correlationId, responseChannel, responseStreamId);
    }

    public void onSessionClosed(final long sessionId)
    {
        next.onSessionClosed(sessionId);
    }

    public void onReceipt(final long sessionId, final long correlationId, final long sequence)
    {
        next.onReceipt(sessionId, correlationId, sequence);
    }

    public void onSubscribed(final long sessionId, final long correlationId, final long consumerId)
    {
        next.onSubscribed(sessionId, correlationId, consumerId);
    }

    @Override
    public void onAttached(
        final long sessionId,
        final long correlationId,
        final long subscriptionId,
        final long consumerId,
        final String queue)
    {
        next.onAttached(sessionId, correlationId, subscriptionId, consumerId, queue);
    }

    public void onDeliver(final long sessionId, final long consumerId, final int attempt, final MessageView message)
    {
        next.onDeliver(sessionId, consumerId, attempt, message);
    }

    public void onReplied(
        final long sessionId,
        final long requestId,
        final DirectBuffer payload,
        final int payloadLength,
        final DirectBuffer headers,
        final int headersLength)
    {
        next.onReplied(sessionId, requestId, payload, payloadLength, headers, headersLength);
    }

    public void onBrowsed(final long sessionId, final long correlationId, final MessageView message)
    {
        next.onBrowsed(sessionId, correlationId, message);
    }

    public void onAdminDone(final long sessionId, final long correlationId, final long count)
    {
        next.onAdminDone(sessionId, correlationId, count);
    }

    public void onQueueStats(
        final long sessionId,
        final long correlationId,
        final QueueCounters counters,
        final long inFlight,
        final int groups,
        final int consumers)
    {
        next.onQueueStats(sessionId, correlationId, counters, inFlight, groups, consumers);
    }

    public void onQueueListed(
        final long sessionId, final long correlationId, final QueueFigures queue, final long dlqDepth)
    {
        next.onQueueListed(sessionId, correlationId, queue, dlqDepth);
    }

    public void onGroupListed(
        final long sessionId, final long correlationId, final QueueFigures queue, final int groupIndex)
    {
        next.onGroupListed(sessionId, correlationId, queue, groupIndex);
    }

    public void onSettled(
        final long sessionId, final long consumerId, final long sequence, final long publishTimestampNs,
        final boolean replied)
    {
        next.onSettled(sessionId, consumerId, sequence, publishTimestampNs, replied);
    }
}
