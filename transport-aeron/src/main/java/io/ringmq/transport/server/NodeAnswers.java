package io.ringmq.transport.server;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.transport.NodeStatus;
import io.ringmq.transport.OfferOutcome;
import org.agrona.CloseHelper;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Sends the one answer a node request or a refused Connect gets, each on a publication of its own that lives only
 * for it, framed as the egress frames everything ({@link EgressEncoder}).
 * <p>
 * Never waits for a requester: an answer is offered at once and, while its requester is not reachable, kept and offered
 * again by {@link #sendPending()} until it is taken or its timeout passes. A requester that has gone (it gave up
 * waiting, or was a client's connect attempt that moved on to the other node) costs its answer's publication for the
 * timeout, not the answers behind it. Answers used to be sent one after another, each waiting up to the timeout: after
 * a switchover drain the new standby read a backlog of Connects whose clients had moved on, and its status answers
 * queued behind 5 s per gone client for over a minute (issue 14).
 * <p>
 * Not thread-safe: one thread's (the node-admin responder's).
 */
public final class NodeAnswers implements AutoCloseable
{
    /** Answers waiting for their requesters at once: each holds a small publication. */
    public static final int MAX_PENDING = 64;
    private static final Logger LOG = LoggerFactory.getLogger(NodeAnswers.class);

    /** One answer on its own publication, until its requester takes it or {@code deadlineNs} passes. */
    private record Answer(ExclusivePublication publication, UnsafeBuffer frame, long deadlineNs)
    {
        /** @return whether it went out: its requester is there and had room. */
        boolean send()
        {
            return OfferOutcome.SENT == OfferOutcome.offer(publication, frame, 0, frame.capacity());
        }
    }

    private final Aeron aeron;
    private final NanoClock clock;
    private final long timeoutNs;
    private final EgressEncoder encoder = new EgressEncoder();
    private final ArrayList<Answer> pending = new ArrayList<>();
    private long notTaken;

    /** @param timeoutNs how long an answer waits for its requester to be reachable and take it. */
    public NodeAnswers(final Aeron aeron, final NanoClock clock, final long timeoutNs)
    {
        this.aeron = aeron;
        this.clock = clock;
        this.timeoutNs = timeoutNs;
    }

    /** Sends the status now, or keeps it for {@link #sendPending()} while its requester is not reachable. */
    public void status(
        final String answerChannel, final int streamId, final long correlationId, final NodeStatus status)
    {
        start(answerChannel, streamId, encoder.nodeStatus(correlationId, status));
    }

    /** Sends the error now, or keeps it for {@link #sendPending()} while its requester is not reachable. */
    public void error(
        final String answerChannel, final int streamId, final long correlationId, final ErrorCode code,
        final String message)
    {
        start(answerChannel, streamId, encoder.error(correlationId, code, message));
    }

    /** Whether another answer may be started: fewer than {@value #MAX_PENDING} wait. */
    public boolean hasRoom()
    {
        return pending.size() < MAX_PENDING;
    }

    /** Whether answers wait for their requesters. */
    public boolean hasPending()
    {
        return !pending.isEmpty();
    }

    /** Answers whose requester did not take them within the timeout, since the start. */
    public long notTaken()
    {
        return notTaken;
    }

    /**
     * Offers each waiting answer again; lets go of those taken and of those whose timeout passed.
     *
     * @return how many were let go.
     */
    public int sendPending()
    {
        if (pending.isEmpty())
        {
            return 0;
        }
        final long nowNs = clock.nanoTime();
        int done = 0;
        for (int i = pending.size() - 1; i >= 0; i--)
        {
            final Answer answer = pending.get(i);
            if (answer.send() || expired(answer, nowNs))
            {
                CloseHelper.quietClose(answer.publication());
                pending.set(i, pending.get(pending.size() - 1));
                pending.remove(pending.size() - 1);
                done++;
            }
        }
        return done;
    }

    /** Lets go of every waiting answer. */
    public void close()
    {
        pending.forEach((answer) -> CloseHelper.quietClose(answer.publication()));
        pending.clear();
    }

    private boolean expired(final Answer answer, final long nowNs)
    {
        if (nowNs - answer.deadlineNs() < 0)
        {
            return false;
        }
        if (Long.bitCount(++notTaken) == 1)
        {
            LOG.info("an answer on {} was not taken within {} ms: its requester has gone or does not read ({} so " +
                "far)", answer.publication().channel(), TimeUnit.NANOSECONDS.toMillis(timeoutNs), notTaken);
        }
        return true;
    }

    private void start(final String channel, final int streamId, final int length)
    {
        final ExclusivePublication publication;
        try
        {
            publication = aeron.addExclusivePublication(channel, streamId);
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("cannot answer on {} stream {}: {}", channel, streamId, ex.getMessage());
            return;
        }
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[length]);
        frame.putBytes(0, encoder.buffer(), 0, length);
        final Answer answer = new Answer(publication, frame, clock.nanoTime() + timeoutNs);
        if (answer.send())
        {
            CloseHelper.quietClose(publication);
            return;
        }
        pending.add(answer);
    }
}
