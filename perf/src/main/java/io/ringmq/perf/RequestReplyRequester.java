package io.ringmq.perf;

import io.ringmq.client.MessageHeaders;
import io.ringmq.client.ReplyHandler;
import io.ringmq.client.Requester;
import io.ringmq.client.RingmqClient;
import io.ringmq.codecs.ErrorCode;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The requesting side of request/reply through the client's own API: sends request {@code n} with
 * {@link Requester#request} (its reply comes back to this session), polls until the reply is there, records the round
 * trip, sends {@code n + 1}. One in flight, a closed loop, like {@link PingRequester}, but the answer is a reply routed
 * to the session rather than a second queue's message, and nothing is acked by hand (the reply acks the request).
 * <p>
 * The asynchronous form rather than {@code requestAndWait}, so that the loop stops as soon as the pass fails (a
 * replier that died) instead of waiting out the request's timeout; both poll and idle the same way.
 * Between the warm-up and the recorded round trips it waits for the JIT to settle ({@link JitSettle}).
 */
final class RequestReplyRequester implements Consumer<RingmqClient>, ReplyHandler
{
    private final PassControl control;
    private final IdleStrategy idleStrategy;
    private final String queue;
    private final long total;
    private final long warmup;
    private final long timeoutMs;
    private final Histogram rttNs;
    private final Progress progress;
    private final UnsafeBuffer payload;
    private long repliedNumber;

    RequestReplyRequester(
        final PassControl control,
        final IdleStrategy idleStrategy,
        final String queue,
        final LatencyWorkload workload,
        final Histogram rttNs,
        final Progress progress)
    {
        this.control = control;
        this.idleStrategy = idleStrategy;
        this.queue = queue;
        this.total = workload.totalMessages();
        this.warmup = workload.warmupMessages();
        this.timeoutMs = TimeUnit.SECONDS.toMillis(workload.timeoutS());
        this.rttNs = rttNs;
        this.progress = progress;
        this.payload = new UnsafeBuffer(new byte[workload.payloadBytes()]);
    }

    public void accept(final RingmqClient client)
    {
        try
        {
            final Requester requester = client.requester(queue);
            if (!control.awaitConsumerReady())
            {
                return;
            }
            control.startNs(System.nanoTime());
            for (long number = 1; number <= total && !control.isAborted(); number++)
            {
                if (number == warmup + 1 && warmup > 0)
                {
                    progress.note("warm-up: " + JitSettle.await().format());
                }
                final long sentNs = System.nanoTime();
                MessageStamp.write(payload, 0, number, sentNs);
                requester.request(payload, 0, payload.capacity(), timeoutMs, this);
                while (repliedNumber != number && !control.isAborted())
                {
                    final int workCount = client.poll();
                    if (0 == workCount && control.isPastDeadline(System.nanoTime()))
                    {
                        control.fail(new IllegalStateException("request " + number + " got no reply"));
                    }
                    idleStrategy.idle(workCount);
                }
                final long rtt = System.nanoTime() - sentNs;
                if (number > warmup && !control.isAborted())
                {
                    LatencyRecorder.record(rttNs, rtt);
                }
                progress.add(1);
            }
            control.lastDeliveryNs(System.nanoTime());
            control.producerDone();
        }
        catch (final Throwable throwable)
        {
            control.fail(throwable);
        }
    }

    public void onReply(
        final long requestId, final DirectBuffer buffer, final int offset, final int length,
        final MessageHeaders headers)
    {
        if (length != payload.capacity())
        {
            control.fail(new IllegalStateException("a reply of " + length + " B to a request of " +
                payload.capacity() + " B"));
            return;
        }
        repliedNumber = MessageStamp.number(buffer, offset);
    }

    public void onError(final long requestId, final ErrorCode code, final String message)
    {
        control.fail(new IllegalStateException("request " + requestId + " failed: " + code + " " + message));
    }
}
