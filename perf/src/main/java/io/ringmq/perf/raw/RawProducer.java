package io.ringmq.perf.raw;

import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.ringmq.perf.LatencyRecorder;
import io.ringmq.perf.MessageStamp;
import io.ringmq.perf.OpenLoopSchedule;
import io.ringmq.perf.PassControl;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * The raw pipeline's producer: publishes messages {@code 1..total} and counts receipts. Either windowed (at most
 * {@code window} without a receipt, as fast as that allows: the throughput workload) or open loop on a schedule (the
 * latency workload, recording publish→receipt from the intended send time). In the windowed mode it can record
 * publish→receipt from each publish's send time: the receipt latency at saturation.
 */
final class RawProducer implements Runnable, FragmentHandler
{
    private static final int BURST = 64;

    private final PassControl control;
    private final ExclusivePublication ingress;
    private final Subscription receiptSubscription;
    private final long total;
    private final int window;
    private final OpenLoopSchedule schedule;
    private final LatencyRecorder recorder;
    private final UnsafeBuffer frame;
    /** Windowed mode with receipt latency: send time of the publishes in the window, at (number - 1) % window. */
    private final long[] sendNs;
    private final Histogram receiptNs;
    private final IdleStrategy idleStrategy = new YieldingIdleStrategy();
    private long sent;
    private long receipts;

    /**
     * @param window   most publishes without a receipt, for the windowed mode; ignored when a schedule is given.
     * @param schedule the open-loop schedule, or null for the windowed mode.
     * @param recorder where receipt latencies go in the open-loop mode, else null.
     * @param receiptNs where receipt latencies from each publish's send time go in the windowed mode, or null.
     */
    RawProducer(
        final PassControl control,
        final RawPipeline pipeline,
        final long total,
        final int payloadBytes,
        final int window,
        final OpenLoopSchedule schedule,
        final LatencyRecorder recorder,
        final Histogram receiptNs)
    {
        this.control = control;
        this.ingress = pipeline.addIngressPublication();
        this.receiptSubscription = pipeline.addReceiptSubscription();
        this.total = total;
        this.window = window;
        this.schedule = schedule;
        this.recorder = recorder;
        this.receiptNs = null == schedule ? receiptNs : null;
        this.sendNs = null == this.receiptNs ? null : new long[window];
        this.frame = new UnsafeBuffer(new byte[RawFrames.BODY_OFFSET + payloadBytes]);
        frame.putInt(RawFrames.TYPE_OFFSET, RawFrames.PUBLISH);
    }

    public void run()
    {
        try
        {
            RawConsumer.awaitConnected(control, ingress::isConnected, receiptSubscription::isConnected);
            if (!control.awaitConsumerReady())
            {
                return;
            }
            final long startNs = System.nanoTime();
            if (null != schedule)
            {
                schedule.start(startNs);
            }
            control.startNs(startNs);
            while (receipts < total && !control.isAborted())
            {
                int workCount = 0;
                final long nowNs = System.nanoTime();
                while (sent < total && workCount < BURST && isDue(nowNs))
                {
                    sent++;
                    final long stampNs;
                    if (null != sendNs)
                    {
                        stampNs = System.nanoTime();
                        sendNs[(int)((sent - 1) % window)] = stampNs;
                    }
                    else
                    {
                        stampNs = null == schedule ? nowNs : schedule.intendedNs(sent);
                    }
                    MessageStamp.write(frame, RawFrames.BODY_OFFSET, sent, stampNs);
                    RawConsumer.offer(control, ingress, frame, frame.capacity(), idleStrategy);
                    workCount++;
                }
                workCount += receiptSubscription.poll(this, BURST);
                if (0 == workCount && control.isPastDeadline(nowNs))
                {
                    control.fail(new IllegalStateException("raw producer timed out: sent " + sent + " of " + total +
                        ", receipts " + receipts));
                }
                idleStrategy.idle(workCount);
            }
            control.producerDone();
        }
        catch (final Throwable throwable)
        {
            control.fail(throwable);
        }
        finally
        {
            ingress.close();
            receiptSubscription.close();
        }
    }

    private boolean isDue(final long nowNs)
    {
        return null == schedule ? sent - receipts < window : schedule.intendedNs(sent + 1) - nowNs <= 0;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final long number = buffer.getLong(offset);
        receipts++;
        if (number != receipts)
        {
            control.fail(new IllegalStateException("raw receipt " + receipts + " names message " + number));
        }
        if (null != recorder)
        {
            recorder.onReceipted(number, schedule.intendedNs(number), System.nanoTime());
        }
        else if (null != receiptNs)
        {
            LatencyRecorder.record(receiptNs, System.nanoTime() - sendNs[(int)((number - 1) % window)]);
        }
        if (receipts == total)
        {
            control.lastReceiptNs(System.nanoTime());
        }
    }
}
