package io.ringmq.daemon.counters;

import io.aeron.Counter;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.core.state.MessageView;
import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.QueueCounters;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

/**
 * Passes every output on to the egress and counts the errors it carries, one counter per error code: the first error
 * of a code allocates its counter (a round trip to the media driver, once per code), every later one is an ordered
 * increment.
 * <p>
 * Not thread-safe: the dispatch thread, as the state machine's sink.
 */
public final class ErrorCountingSink implements OutputSink, AutoCloseable
{
    private final OutputSink egress;
    private final CounterAllocator allocator;
    private final Counter[] byCode = new Counter[ErrorCode.values().length];

    ErrorCountingSink(final OutputSink egress, final CounterAllocator allocator)
    {
        this.egress = egress;
        this.allocator = allocator;
    }

    private void count(final ErrorCode code)
    {
        Counter counter = byCode[code.ordinal()];
        if (null == counter)
        {
            counter = allocator.add(RingmqCounter.ERRORS, allocator.nextOwnerId(), code.name(), "");
            if (null == counter)
            {
                return; // the driver is out of counters (logged): this code goes uncounted
            }
            byCode[code.ordinal()] = counter;
        }
        counter.incrementRelease();
    }

    public void onError(final long sessionId, final long correlationId, final ErrorCode code, final String message)
    {
        count(code);
        egress.onError(sessionId, correlationId, code, message);
    }

    public void onConnectRefused(
        final long correlationId,
        final String responseChannel,
        final int responseStreamId,
        final ErrorCode code,
        final String message)
    {
        count(code);
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

    public void close()
    {
        CloseHelper.closeAll(byCode);
    }
}
