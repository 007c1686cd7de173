package io.ringmq.transport.server;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.transport.NodeStatus;
import io.ringmq.transport.OfferOutcome;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

/**
 * Sends the one answer a node request or a refused Connect gets, each on a publication of its own that lives only
 * for it, framed as the egress frames everything ({@link EgressEncoder}). Blocks up to its timeout for the requester's
 * subscription: run it on a thread that may wait (never the ingress or the ring).
 * <p>
 * Not thread-safe: one thread's.
 */
public final class NodeAnswers
{
    private final Aeron aeron;
    private final NanoClock clock;
    private final long timeoutNs;
    private final EgressEncoder encoder = new EgressEncoder();
    private final IdleStrategy idle = new SleepingMillisIdleStrategy(1);

    /** @param timeoutNs how long an answer waits for its requester to be reachable, then to take it. */
    public NodeAnswers(final Aeron aeron, final NanoClock clock, final long timeoutNs)
    {
        this.aeron = aeron;
        this.clock = clock;
        this.timeoutNs = timeoutNs;
    }

    /** @return whether the requester got it. */
    public boolean status(
        final String answerChannel, final int streamId, final long correlationId, final NodeStatus status)
    {
        return send(answerChannel, streamId, encoder.nodeStatus(correlationId, status));
    }

    /** @return whether the requester got it. */
    public boolean error(
        final String answerChannel, final int streamId, final long correlationId, final ErrorCode code,
        final String message)
    {
        return send(answerChannel, streamId, encoder.error(correlationId, code, message));
    }

    private boolean send(final String channel, final int streamId, final int length)
    {
        try (ExclusivePublication publication = aeron.addExclusivePublication(channel, streamId))
        {
            final long deadlineNs = clock.nanoTime() + timeoutNs;
            idle.reset();
            while (clock.nanoTime() - deadlineNs < 0)
            {
                if (OfferOutcome.SENT == OfferOutcome.offer(publication, encoder.buffer(), 0, length))
                {
                    return true;
                }
                idle.idle();
            }
            return false;
        }
    }
}
