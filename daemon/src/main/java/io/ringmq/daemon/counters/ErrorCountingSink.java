package io.ringmq.daemon.counters;

import io.ringmq.codecs.ErrorCode;
import io.ringmq.core.state.ForwardingSink;
import io.ringmq.core.state.OutputSink;

/**
 * Passes every output on to the egress and counts the errors it carries by code ({@link StateCounters}, where the
 * sampler finds them): a plain increment per error, no allocation.
 * <p>
 * Not thread-safe: the dispatch thread, as the state machine's sink.
 */
public final class ErrorCountingSink extends ForwardingSink
{
    private final StateCounters counts;

    ErrorCountingSink(final OutputSink egress, final StateCounters counts)
    {
        super(egress);
        this.counts = counts;
    }

    public void onError(final long sessionId, final long correlationId, final ErrorCode code, final String message)
    {
        counts.errorAnswered(code);
        super.onError(sessionId, correlationId, code, message);
    }

    public void onConnectRefused(
        final long correlationId,
        final String responseChannel,
        final int responseStreamId,
        final ErrorCode code,
        final String message)
    {
        counts.errorAnswered(code);
        super.onConnectRefused(correlationId, responseChannel, responseStreamId, code, message);
    }
}
