package io.ringmq.perf.raw;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.PointerBytesStore;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The least broker that does ringmq's job with ringmq's components and none of its code: one thread polls one Aeron
 * IPC ingress stream (every producer and consumer publishes into it), appends every frame (publishes and acks) to a
 * Chronicle Queue, optionally msyncs once per batch (all it found waiting, like the Disruptor's end of batch), and
 * only then numbers each publish (its sequence), sends its receipt to the producer that sent it and its payload to a
 * consumer, round-robin by sequence, each over an IPC publication of its own. No ring, no state machine, no
 * validation, no sessions, no flow control by credit: the limit ringmq's overhead is measured against.
 * <p>
 * Outputs that meet back-pressure wait in a staging buffer and go out on the next duty cycles, in order, while the
 * broker keeps draining the ingress (so a consumer blocked sending acks never deadlocks with it).
 * <p>
 * Not thread-safe: one agent thread; the Chronicle appender is created on it.
 */
final class RawJournalBroker implements Agent, FragmentHandler
{
    private static final int FRAGMENT_LIMIT = 64;
    /** Most fragments one sync covers: a group commit takes everything waiting, up to this. */
    private static final int BATCH_LIMIT = 16 * 1024;

    private final Subscription ingress;
    private final ExclusivePublication[] receipts;
    private final ExclusivePublication[] deliveries;
    private final SingleChronicleQueue queue;
    private final boolean syncEachBatch;
    private final PointerBytesStore source = BytesStore.nativePointer();
    /** Publishes journalled but not yet sent, back to back as delivery frames (sequence, payload). */
    private final ExpandableDirectByteBuffer staged = new ExpandableDirectByteBuffer(1 << 20);
    private final IntArrayList stagedLengths = new IntArrayList();
    private final IntArrayList stagedProducers = new IntArrayList();
    private final UnsafeBuffer receiptFrame = new UnsafeBuffer(new byte[RawFrames.RECEIPT_LENGTH]);
    private ExcerptAppender appender;
    private long lastSequence;
    private int stagedEnd;
    private int sendIndex;
    private int sendOffset;
    private boolean receiptSentForCurrent;
    private boolean unsynced;

    RawJournalBroker(
        final Subscription ingress,
        final ExclusivePublication[] receipts,
        final ExclusivePublication[] deliveries,
        final SingleChronicleQueue queue,
        final boolean syncEachBatch)
    {
        this.ingress = ingress;
        this.receipts = receipts.clone();
        this.deliveries = deliveries.clone();
        this.queue = queue;
        this.syncEachBatch = syncEachBatch;
    }

    public void onStart()
    {
        appender = queue.createAppender();
    }

    public int doWork()
    {
        int fragments = 0;
        int polled;
        do
        {
            polled = ingress.poll(this, FRAGMENT_LIMIT);
            fragments += polled;
        }
        while (polled > 0 && fragments < BATCH_LIMIT);
        if (unsynced && syncEachBatch)
        {
            appender.sync();
        }
        unsynced = false;
        return fragments + sendStaged();
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        source.set(buffer.addressOffset() + offset, length);
        try (DocumentContext document = appender.writingDocument())
        {
            document.wire().bytes().write(source, 0L, length);
        }
        unsynced = true;
        if (RawFrames.PUBLISH == buffer.getInt(offset + RawFrames.TYPE_OFFSET))
        {
            final int payloadLength = length - RawFrames.BODY_OFFSET;
            staged.putLong(stagedEnd + RawFrames.DELIVERY_SEQUENCE_OFFSET, ++lastSequence);
            staged.putBytes(stagedEnd + RawFrames.DELIVERY_PAYLOAD_OFFSET, buffer, offset + RawFrames.BODY_OFFSET,
                payloadLength);
            final int frameLength = RawFrames.DELIVERY_PAYLOAD_OFFSET + payloadLength;
            stagedEnd += frameLength;
            stagedLengths.addInt(frameLength);
            stagedProducers.addInt(buffer.getInt(offset + RawFrames.SOURCE_OFFSET));
        }
    }

    /** Sends staged receipts and deliveries in order until one meets back-pressure. */
    private int sendStaged()
    {
        int sent = 0;
        while (sendIndex < stagedLengths.size())
        {
            final int length = stagedLengths.getInt(sendIndex);
            final long sequence = staged.getLong(sendOffset + RawFrames.DELIVERY_SEQUENCE_OFFSET);
            if (!receiptSentForCurrent)
            {
                // the payload starts with the producer's message number
                receiptFrame.putLong(RawFrames.RECEIPT_NUMBER_OFFSET,
                    staged.getLong(sendOffset + RawFrames.DELIVERY_PAYLOAD_OFFSET));
                receiptFrame.putLong(RawFrames.RECEIPT_SEQUENCE_OFFSET, sequence);
                final ExclusivePublication receipt = receipts[stagedProducers.getInt(sendIndex)];
                if (receipt.offer(receiptFrame, 0, RawFrames.RECEIPT_LENGTH) < 0 && !isGone(receipt))
                {
                    break;
                }
                receiptSentForCurrent = true;
            }
            final ExclusivePublication delivery = deliveries[(int)((sequence - 1) % deliveries.length)];
            if (delivery.offer(staged, sendOffset, length) < 0 && !isGone(delivery))
            {
                break;
            }
            receiptSentForCurrent = false;
            sendOffset += length;
            sendIndex++;
            sent++;
        }
        if (sendIndex == stagedLengths.size())
        {
            stagedLengths.clear();
            stagedProducers.clear();
            stagedEnd = 0;
            sendIndex = 0;
            sendOffset = 0;
        }
        return sent;
    }

    private static boolean isGone(final Publication publication)
    {
        return publication.isClosed();
    }

    public void onClose()
    {
        if (null != appender)
        {
            appender.close();
        }
    }

    public String roleName()
    {
        return "raw-broker";
    }
}
