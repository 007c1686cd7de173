package io.ringmq.daemon.counters;

import io.ringmq.codecs.ErrorCode;
import io.ringmq.core.state.MessageView;
import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.QueueCounters;
import io.ringmq.core.state.QueueFigures;
import org.agrona.DirectBuffer;

/**
 * Passes every output on to the egress and counts the errors it carries by code ({@link StateCounters}, where the
 * sampler finds them): a plain increment per error, no allocation.
 * <p>
 * Not thread-safe: the dispatch thread, as the state machine's sink.
 */
public final class ErrorCountingSink implements OutputSink
{
    private final OutputSink egress;
    private final StateCounters counts;

    ErrorCountingSink(final OutputSink egress, final StateCounters counts)
    {
        this.egress = egress;
        this.counts = counts;
    }

    public void onError(final long sessionId, final long correlationId, final ErrorCode code, final String message)
    {
        counts.errorAnswered(code);
        egress.onError(sessionId, correlationId, code, message);
    }

    public void onConnectRefused(
        final long correlationId,
        final String responseChannel,
        final int responseStreamId,
        final ErrorCode code,
        final String message)
    {
        counts.errorAnswered(code);
        egress.onConnectRefused(correlationId, responseChannel, responseStreamId, code, message);
    }

    public void onSessionOpened(
        final long sessionId, final long correlationId, final String responseChannel, final int responseStreamId)
    {
        egress.onSessionOpened(sessionId, correlationId, responseChannel, responseStreamId);
    }

    public void onSessionClosed(final long sessionId)
    {
        egress.onSessionClosed(sessionId);
    }

    public void onReceipt(final long sessionId, final long correlationId, final long sequence)
    {
        egress.onReceipt(sessionId, correlationId, sequence);
    }

    public void onSubscribed(final long sessionId, final long correlationId, final long consumerId)
    {
        egress.onSubscribed(sessionId, correlationId, consumerId);
    }

    public void onDeliver(final long sessionId, final long consumerId, final int attempt, final MessageView message)
    {
        egress.onDeliver(sessionId, consumerId, attempt, message);
    }

    public void onReplied(
        final long sessionId,
        final long requestId,
        final DirectBuffer payload,
        final int payloadLength,
        final DirectBuffer headers,
        final int headersLength)
    {
        egress.onReplied(sessionId, requestId, payload, payloadLength, headers, headersLength);
    }

    public void onBrowsed(final long sessionId, final long correlationId, final MessageView message)
    {
        egress.onBrowsed(sessionId, correlationId, message);
    }

    public void onAdminDone(final long sessionId, final long correlationId, final long count)
    {
        egress.onAdminDone(sessionId, correlationId, count);
    }

    public void onQueueStats(
        final long sessionId,
        final long correlationId,
        final QueueCounters counters,
        final long inFlight,
        final int groups,
        final int consumers)
    {
        egress.onQueueStats(sessionId, correlationId, counters, inFlight, groups, consumers);
    }

    public void onQueueListed(
        final long sessionId, final long correlationId, final QueueFigures queue, final long dlqDepth)
    {
        egress.onQueueListed(sessionId, correlationId, queue, dlqDepth);
    }

    public void onGroupListed(
        final long sessionId, final long correlationId, final QueueFigures queue, final int groupIndex)
    {
        egress.onGroupListed(sessionId, correlationId, queue, groupIndex);
    }
}
