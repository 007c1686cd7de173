package io.ringmq.perf.raw;

import io.ringmq.perf.LatencyRecorder;
import io.ringmq.perf.LatencyResult;
import io.ringmq.perf.LatencyWorkload;
import io.ringmq.perf.MessageStamp;
import io.ringmq.perf.PassControl;
import io.ringmq.perf.PerfPinning;
import io.ringmq.perf.Progress;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * ringmq's ping-pong ({@link io.ringmq.perf.RingmqLatencyHarness#runPingPong}) through the raw pipeline, so that a
 * round trip is a ratio measured in one run: the requester publishes ping {@code n}, the broker journals it and hands
 * it to the responder, which publishes it back as the pong, journalled and handed to the requester; each side acks
 * what it got, through the broker's ingress, as ringmq's clients do. Two journalled publishes per round trip, one in
 * flight.
 * <p>
 * The raw broker has no queues: it hands sequence {@code s} to consumer {@code (s - 1) % 2}. With one message in
 * flight pings get the odd sequences (consumer 0, the responder) and pongs the even ones (consumer 1, the requester),
 * and the requester checks that each pong is the ping it sent. Both sides drain their receipt streams (a receipt
 * nobody reads would stop the broker) and yield when idle, like ringmq's clients.
 */
public final class RawPingPong
{
    /** Producer indexes (their receipt streams) and consumer indexes (their delivery streams, their acks). */
    private static final int REQUESTER_PRODUCER = 0;
    private static final int RESPONDER_PRODUCER = 1;
    private static final int RESPONDER_CONSUMER = 0;
    private static final int REQUESTER_CONSUMER = 1;

    private RawPingPong()
    {
    }

    /**
     * @param brokerIdle BACKOFF or YIELDING, matched to ringmq's ingress.
     */
    public static LatencyResult run(
        final LatencyWorkload workload, final int ipcTermLength, final String brokerIdle, final Progress progress)
    {
        final PassControl control = new PassControl(TimeUnit.SECONDS.toNanos(workload.timeoutS()));
        final Histogram rttNs = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
        try (RawPipeline pipeline = new RawPipeline(workload.fsync(), ipcTermLength, brokerIdle, 2, 2))
        {
            final RawEnd requester = new RawEnd(pipeline, REQUESTER_PRODUCER, REQUESTER_CONSUMER, workload.payloadBytes());
            final RawEnd responder = new RawEnd(pipeline, RESPONDER_PRODUCER, RESPONDER_CONSUMER, workload.payloadBytes());
            final long startMs = System.currentTimeMillis();
            final Thread responding = PerfPinning.clientThread(
                () -> respond(control, responder, workload.totalMessages()), "raw-responder");
            final Thread requesting = PerfPinning.clientThread(
                () -> request(control, requester, workload, rttNs, progress), "raw-requester");
            responding.start();
            requesting.start();
            final long joinMs = TimeUnit.SECONDS.toMillis(workload.timeoutS() + 30L);
            join(requesting, joinMs, control);
            join(responding, joinMs, control);
            if (requesting.isAlive() || responding.isAlive())
            {
                control.fail(new IllegalStateException("raw ping-pong did not end in time"));
            }
            final Throwable failure = control.failure();
            if (null != failure)
            {
                throw new IllegalStateException("raw ping-pong run failed: " + failure.getMessage(), failure);
            }
            return new LatencyResult("raw", workload.describePingPong(), workload.fsync(), true, rttNs, null,
                startMs, System.currentTimeMillis(), null);
        }
    }

    private static void join(final Thread thread, final long timeoutMs, final PassControl control)
    {
        try
        {
            thread.join(timeoutMs);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            control.fail(ex);
        }
    }

    private static void request(
        final PassControl control, final RawEnd side, final LatencyWorkload workload, final Histogram rttNs,
        final Progress progress)
    {
        try
        {
            side.awaitConnected(control);
            if (!control.awaitConsumerReady())
            {
                return;
            }
            control.startNs(System.nanoTime());
            for (long number = 1; number <= workload.totalMessages() && !control.isAborted(); number++)
            {
                final long sentNs = System.nanoTime();
                MessageStamp.write(side.publishFrame, RawFrames.BODY_OFFSET, number, sentNs);
                side.publish(control);
                while (!side.delivered && !control.isAborted())
                {
                    side.idle.idle(side.poll(control, "pong " + number));
                }
                final long rtt = System.nanoTime() - sentNs;
                if (control.isAborted())
                {
                    return;
                }
                if (side.deliveredNumber != number)
                {
                    control.fail(new IllegalStateException("raw ping-pong: sent ping " + number + ", got back " +
                        side.deliveredNumber));
                    return;
                }
                if (number > workload.warmupMessages())
                {
                    LatencyRecorder.record(rttNs, rtt);
                }
                progress.add(1);
                side.ackDelivered(control);
            }
            control.producerDone();
        }
        catch (final Throwable throwable)
        {
            control.fail(throwable);
        }
        finally
        {
            side.close();
        }
    }

    private static void respond(final PassControl control, final RawEnd side, final long total)
    {
        try
        {
            side.awaitConnected(control);
            control.consumerReady();
            long replied = 0;
            while (replied < total && !control.isAborted())
            {
                int workCount = side.poll(control, "ping " + (replied + 1));
                if (side.delivered)
                {
                    side.publish(control); // the ping's payload, copied into the pong frame as it came
                    side.ackDelivered(control);
                    replied++;
                    workCount++;
                }
                side.idle.idle(workCount);
            }
            // Closing the publication at once could take the last pong away before the broker has read it.
            while (!control.isProducerDone() && !control.isAborted())
            {
                side.idle.idle(side.poll(control, "the requester's last pong"));
            }
        }
        catch (final Throwable throwable)
        {
            control.fail(throwable);
        }
        finally
        {
            side.close();
        }
    }
}
