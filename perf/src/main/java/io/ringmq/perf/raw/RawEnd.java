package io.ringmq.perf.raw;

import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.ringmq.perf.MessageStamp;
import io.ringmq.perf.PassControl;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * One client end of the raw pipeline for the round-trip workloads ({@link RawPingPong}, {@link RawOneAtATime}): its
 * publication into the broker's ingress, its receipt stream (it remembers the last receipted message number) and its
 * delivery stream (it remembers the last delivery and copies its payload into the next publish, as a pong does). It
 * yields when idle, like ringmq's clients. Owned by one thread.
 */
final class RawEnd implements FragmentHandler
{
    private static final int FRAGMENT_LIMIT = 16;

    final ExclusivePublication ingress;
    final Subscription receipts;
    final Subscription deliveries;
    final UnsafeBuffer publishFrame;
    final UnsafeBuffer ackFrame = new UnsafeBuffer(new byte[RawFrames.BODY_OFFSET + Long.BYTES]);
    final IdleStrategy idle = new YieldingIdleStrategy();
    final IdleStrategy offerIdle = new YieldingIdleStrategy();
    private final FragmentHandler onReceipt = this::onReceipt;
    long deliveredNumber;
    long deliveredSequence;
    boolean delivered;
    long receiptedNumber;

    RawEnd(final RawPipeline pipeline, final int producer, final int consumer, final int payloadBytes)
    {
        ingress = pipeline.addIngressPublication();
        receipts = pipeline.addReceiptSubscription(producer);
        deliveries = pipeline.addDeliverySubscription(consumer);
        publishFrame = new UnsafeBuffer(new byte[RawFrames.BODY_OFFSET + payloadBytes]);
        publishFrame.putInt(RawFrames.TYPE_OFFSET, RawFrames.PUBLISH);
        publishFrame.putInt(RawFrames.SOURCE_OFFSET, producer);
        ackFrame.putInt(RawFrames.TYPE_OFFSET, RawFrames.ACK);
        ackFrame.putInt(RawFrames.SOURCE_OFFSET, consumer);
    }

    void awaitConnected(final PassControl control)
    {
        RawPipeline.awaitConnected(control, ingress::isConnected, receipts::isConnected, deliveries::isConnected);
    }

    /** Polls deliveries and receipts once; fails the pass past its deadline with nothing to do. */
    int poll(final PassControl control, final String waitingFor)
    {
        final int workCount = deliveries.poll(this, FRAGMENT_LIMIT) + receipts.poll(onReceipt, FRAGMENT_LIMIT);
        if (0 == workCount && control.isPastDeadline(System.nanoTime()))
        {
            control.fail(new IllegalStateException("raw pipeline: " + waitingFor + " never came"));
        }
        return workCount;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        deliveredSequence = buffer.getLong(offset + RawFrames.DELIVERY_SEQUENCE_OFFSET);
        deliveredNumber = MessageStamp.number(buffer, offset + RawFrames.DELIVERY_PAYLOAD_OFFSET);
        publishFrame.putBytes(RawFrames.BODY_OFFSET, buffer, offset + RawFrames.DELIVERY_PAYLOAD_OFFSET,
            publishFrame.capacity() - RawFrames.BODY_OFFSET);
        delivered = true;
    }

    private void onReceipt(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        receiptedNumber = buffer.getLong(offset + RawFrames.RECEIPT_NUMBER_OFFSET);
    }

    void publish(final PassControl control)
    {
        RawPipeline.offer(control, ingress, publishFrame, publishFrame.capacity(), offerIdle);
    }

    void ackDelivered(final PassControl control)
    {
        ackFrame.putLong(RawFrames.BODY_OFFSET, deliveredSequence);
        RawPipeline.offer(control, ingress, ackFrame, ackFrame.capacity(), offerIdle);
        delivered = false;
    }

    void close()
    {
        receipts.close();
        deliveries.close();
        ingress.close();
    }
}
