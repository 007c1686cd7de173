package io.ringmq.perf.raw;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.ringmq.perf.LatencyRecorder;
import io.ringmq.perf.MessageStamp;
import io.ringmq.perf.PassControl;
import io.ringmq.perf.Progress;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.function.BooleanSupplier;

/**
 * The raw pipeline's consumer: takes deliveries, checks they come in order, records publish→deliver (open-loop mode)
 * and acks each one back through the broker's ingress, where the ack is journalled like ringmq's.
 */
final class RawConsumer implements Runnable, FragmentHandler
{
    private static final int FRAGMENT_LIMIT = 64;

    private final PassControl control;
    private final Subscription deliveries;
    private final ExclusivePublication ingress;
    private final long total;
    private final LatencyRecorder recorder;
    private final Progress progress;
    private final UnsafeBuffer ackFrame = new UnsafeBuffer(new byte[RawFrames.BODY_OFFSET + Long.BYTES]);
    private final IdleStrategy idleStrategy = new YieldingIdleStrategy();
    private long delivered;

    RawConsumer(
        final PassControl control,
        final RawPipeline pipeline,
        final long total,
        final LatencyRecorder recorder,
        final Progress progress)
    {
        this.control = control;
        this.deliveries = pipeline.addDeliverySubscription();
        this.ingress = pipeline.addIngressPublication();
        this.total = total;
        this.recorder = recorder;
        this.progress = progress;
        ackFrame.putInt(RawFrames.TYPE_OFFSET, RawFrames.ACK);
    }

    public void run()
    {
        try
        {
            awaitConnected(control, ingress::isConnected, deliveries::isConnected);
            control.consumerReady();
            while (delivered < total && !control.isAborted())
            {
                final int workCount = deliveries.poll(this, FRAGMENT_LIMIT);
                if (0 == workCount && control.isPastDeadline(System.nanoTime()))
                {
                    control.fail(new IllegalStateException("raw consumer timed out: delivered " + delivered + " of " +
                        total));
                }
                idleStrategy.idle(workCount);
            }
            control.lastDeliveryNs(System.nanoTime());
        }
        catch (final Throwable throwable)
        {
            control.fail(throwable);
        }
        finally
        {
            deliveries.close();
            ingress.close();
        }
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final long nowNs = System.nanoTime();
        final long number = MessageStamp.number(buffer, offset);
        if (number != delivered + 1)
        {
            control.fail(new IllegalStateException("raw delivery: expected message " + (delivered + 1) + ", got " +
                number));
            return;
        }
        if (null != recorder)
        {
            recorder.onDelivered(number, MessageStamp.intendedNs(buffer, offset), nowNs);
        }
        delivered++;
        progress.add(1);
        ackFrame.putLong(RawFrames.BODY_OFFSET, number);
        offer(control, ingress, ackFrame, ackFrame.capacity(), idleStrategy);
    }

    /** Offers until accepted; back-pressure is waited out, a closed publication or an aborted pass fails. */
    static void offer(
        final PassControl control,
        final Publication publication,
        final DirectBuffer buffer,
        final int length,
        final IdleStrategy idleStrategy)
    {
        idleStrategy.reset();
        long result;
        while ((result = publication.offer(buffer, 0, length)) < 0)
        {
            if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
            {
                throw new IllegalStateException("raw publication refused an offer: " + Publication.errorString(result));
            }
            if (control.isAborted() || control.isPastDeadline(System.nanoTime()))
            {
                throw new IllegalStateException("raw offer still back-pressured at the deadline");
            }
            idleStrategy.idle();
        }
    }

    static void awaitConnected(final PassControl control, final BooleanSupplier... connections)
    {
        final IdleStrategy idle = new YieldingIdleStrategy();
        for (final BooleanSupplier connected : connections)
        {
            while (!connected.getAsBoolean())
            {
                if (control.isAborted() || control.isPastDeadline(System.nanoTime()))
                {
                    throw new IllegalStateException("raw pipeline: a publication or subscription never connected");
                }
                idle.idle();
            }
        }
    }
}
