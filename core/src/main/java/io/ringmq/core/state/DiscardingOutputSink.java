package io.ringmq.core.state;

import io.ringmq.codecs.ErrorCode;
import org.agrona.DirectBuffer;

/**
 * An {@link OutputSink} that discards everything: {@link OutputSink#NONE} during recovery, and a base for sinks that
 * care about a few outputs only.
 */
public class DiscardingOutputSink implements OutputSink
{
    public void onSessionOpened(
        final long sessionId, final long correlationId, final String responseChannel, final int responseStreamId)
    {
    }

    public void onConnectRefused(
        final long correlationId,
        final String responseChannel,
        final int responseStreamId,
        final ErrorCode code,
        final String message)
    {
    }

    public void onSessionClosed(final long sessionId)
    {
    }

    public void onReceipt(final long sessionId, final long correlationId, final long sequence)
    {
    }

    public void onSubscribed(final long sessionId, final long correlationId, final long consumerId)
    {
    }

    public void onDeliver(final long sessionId, final long consumerId, final int attempt, final MessageView message)
    {
    }

    public void onReplied(
        final long sessionId,
        final long requestId,
        final DirectBuffer payload,
        final int payloadLength,
        final DirectBuffer headers,
        final int headersLength)
    {
    }

    public void onError(final long sessionId, final long correlationId, final ErrorCode code, final String message)
    {
    }

    public void onBrowsed(final long sessionId, final long correlationId, final MessageView message)
    {
    }

    public void onAdminDone(final long sessionId, final long correlationId, final long count)
    {
    }

    public void onQueueStats(
        final long sessionId,
        final long correlationId,
        final QueueCounters counters,
        final long inFlight,
        final int groups,
        final int consumers)
    {
    }

    public void onQueueListed(
        final long sessionId, final long correlationId, final QueueFigures queue, final long dlqDepth)
    {
    }

    public void onGroupListed(
        final long sessionId, final long correlationId, final QueueFigures queue, final int groupIndex)
    {
    }
}
