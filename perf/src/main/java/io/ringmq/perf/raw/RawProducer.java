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
 * A producer of the raw pipeline: publishes its stamped messages into the broker's one ingress stream through an
 * IPC publication of its own and takes its receipts (message number and sequence) from its own receipt stream.
 * Yielding when idle, like ringmq's clients.
 */
final class RawProducer extends PeerContender.Producer implements FragmentHandler
{
    private static final int RECEIPT_LIMIT = 64;

    private final ExclusivePublication ingress;
    private final Subscription receiptSubscription;
    private final UnsafeBuffer frame;
    private final IdleStrategy offerIdleStrategy = new YieldingIdleStrategy();

    RawProducer(final PeerContender.ProducerPlan plan, final RawPipeline pipeline)
    {
        super(plan, true, new YieldingIdleStrategy());
        this.ingress = pipeline.addIngressPublication();
        this.receiptSubscription = pipeline.addReceiptSubscription(index);
        this.frame = new UnsafeBuffer(new byte[RawFrames.BODY_OFFSET + MessageStamp.requireRoom(plan.payloadBytes())]);
        frame.putInt(RawFrames.TYPE_OFFSET, RawFrames.PUBLISH);
        frame.putInt(RawFrames.SOURCE_OFFSET, index);
        MessageStamp.writeProducer(frame, RawFrames.BODY_OFFSET, index);
    }

    public void run()
    {
        try
        {
            RawPipeline.awaitConnected(control, ingress::isConnected, receiptSubscription::isConnected);
            produce();
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

    protected void send(final long number, final long stampNs)
    {
        MessageStamp.write(frame, RawFrames.BODY_OFFSET, number, stampNs);
        RawPipeline.offer(control, ingress, frame, frame.capacity(), offerIdleStrategy);
    }

    protected int pollReceipts()
    {
        return receiptSubscription.poll(this, RECEIPT_LIMIT);
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        receipted(buffer.getLong(offset + RawFrames.RECEIPT_NUMBER_OFFSET),
            buffer.getLong(offset + RawFrames.RECEIPT_SEQUENCE_OFFSET), System.nanoTime());
    }
}
