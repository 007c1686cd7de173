package io.ringmq.perf.raw;

import io.ringmq.perf.LatencyWorkload;
import io.ringmq.perf.MessageStamp;
import io.ringmq.perf.OneAtATimeRecorder;
import io.ringmq.perf.OneAtATimeResult;
import io.ringmq.perf.PassControl;
import io.ringmq.perf.Progress;

import java.util.concurrent.TimeUnit;

/**
 * One-at-a-time publishing through the raw pipeline, the floor under ringmq's {@code publishAndWait} in a loop: one
 * client publishes message {@code n}, waits for its receipt (journalled, and msynced when fsync is per batch: with one
 * message in flight every batch is that one message), then sends {@code n + 1}. The broker hands every message to the
 * one consumer stream, which the same client drains without acking (ringmq's one-at-a-time queue has no consumer).
 */
public final class RawOneAtATime
{
    private RawOneAtATime()
    {
    }

    /** @param brokerIdle BACKOFF or YIELDING, matched to ringmq's ingress. */
    public static OneAtATimeResult run(
        final LatencyWorkload workload, final int ipcTermLength, final String brokerIdle, final Progress progress)
    {
        final PassControl control = new PassControl(TimeUnit.SECONDS.toNanos(workload.timeoutS()));
        final OneAtATimeRecorder recorder = new OneAtATimeRecorder(workload);
        try (RawPipeline pipeline = new RawPipeline(workload.fsync(), ipcTermLength, brokerIdle, 1, 1))
        {
            final RawEnd end = new RawEnd(pipeline, 0, 0, workload.payloadBytes());
            try
            {
                end.awaitConnected(control);
                for (long number = 1; number <= workload.totalMessages() && !control.isAborted(); number++)
                {
                    final long sentNs = System.nanoTime();
                    MessageStamp.write(end.publishFrame, RawFrames.BODY_OFFSET, number, sentNs);
                    end.publish(control);
                    while (end.receiptedNumber != number && !control.isAborted())
                    {
                        end.idle.idle(end.poll(control, "the receipt of " + number));
                    }
                    recorder.onReceipt(number, sentNs, System.nanoTime());
                    progress.add(1);
                }
            }
            catch (final RuntimeException ex)
            {
                control.fail(ex);
            }
            finally
            {
                end.close();
            }
        }
        final Throwable failure = control.failure();
        if (null != failure)
        {
            throw new IllegalStateException("raw one-at-a-time run failed: " + failure.getMessage(), failure);
        }
        return recorder.result("raw", OneAtATimeResult.describe(workload, "publish, then its receipt"),
            workload.fsync());
    }
}
