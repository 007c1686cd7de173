package io.ringmq.perf.raw;

import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.ringmq.perf.MessageStamp;
import io.ringmq.perf.PeerContender;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * A consumer of the raw pipeline: takes the deliveries of its own delivery stream (every {@code consumers}-th
 * sequence), checks them by the group's rules and the size sent, and acks each one back through the broker's
 * ingress, where the ack is journalled like ringmq's. Yielding when idle, like ringmq's clients.
 */
final class RawConsumer extends PeerContender.Consumer implements FragmentHandler
{
    private static final int FRAGMENT_LIMIT = 64;

    private final Subscription deliveries;
    private final ExclusivePublication ingress;
    private final int payloadBytes;
    private final UnsafeBuffer ackFrame = new UnsafeBuffer(new byte[RawFrames.BODY_OFFSET + Long.BYTES]);
    private final IdleStrategy idleStrategy = new YieldingIdleStrategy();
    private final IdleStrategy offerIdleStrategy = new YieldingIdleStrategy();
    private int ackedInPoll;

    RawConsumer(final PeerContender.ConsumerPlan plan, final RawPipeline pipeline)
    {
        super(plan);
        this.deliveries = pipeline.addDeliverySubscription(index);
        this.ingress = pipeline.addIngressPublication();
        this.payloadBytes = plan.payloadBytes();
        ackFrame.putInt(RawFrames.TYPE_OFFSET, RawFrames.ACK);
        ackFrame.putInt(RawFrames.SOURCE_OFFSET, index);
    }

    public void run()
    {
        try
        {
            RawPipeline.awaitConnected(control, ingress::isConnected, deliveries::isConnected);
            control.consumerReady();
            consume(idleStrategy);
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

    protected int doWork()
    {
        ackedInPoll = 0;
        final int workCount = deliveries.poll(this, FRAGMENT_LIMIT);
        acked(ackedInPoll);
        return workCount;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final long nowNs = System.nanoTime();
        if (control.isAborted())
        {
            return; // the first failure is the one to report
        }
        final long sequence = buffer.getLong(offset + RawFrames.DELIVERY_SEQUENCE_OFFSET);
        final int payloadOffset = offset + RawFrames.DELIVERY_PAYLOAD_OFFSET;
        if (length - RawFrames.DELIVERY_PAYLOAD_OFFSET != payloadBytes)
        {
            fail("sequence " + sequence + " has " + (length - RawFrames.DELIVERY_PAYLOAD_OFFSET) +
                " payload bytes, sent " + payloadBytes);
            return;
        }
        if (delivered(MessageStamp.producer(buffer, payloadOffset), MessageStamp.number(buffer, payloadOffset),
            sequence, MessageStamp.intendedNs(buffer, payloadOffset), nowNs))
        {
            ackFrame.putLong(RawFrames.BODY_OFFSET, sequence);
            RawPipeline.offer(control, ingress, ackFrame, ackFrame.capacity(), offerIdleStrategy);
            ackedInPoll++;
        }
    }
}
