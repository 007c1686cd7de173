package io.ringmq.perf;

import io.ringmq.client.Publisher;
import io.ringmq.client.ReceiptListener;
import io.ringmq.client.RingmqClient;
import io.ringmq.codecs.ErrorCode;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.BitSet;
import java.util.function.Consumer;

/**
 * One of the producers of {@link ManyToManyIpcThroughputHarness}: publishes its messages {@code 1..messages} to one
 * queue as fast as it may, with at most {@code window} not yet receipted, and records publish→receipt of every one,
 * from the {@code System.nanoTime()} just before its publish call to the receipt's arrival.
 * <p>
 * Each payload carries the {@link MessageStamp} (message number, send time) and, after it, the producer's index, so
 * a consumer can tell whose message it has and in which order that producer sent it.
 * <p>
 * Checks, as receipts arrive: they come in publish order (the correlation id of the n-th receipt is the n-th publish's),
 * with increasing queue sequences; the sequences receipted are kept so the harness can check that no two producers'
 * messages got the same one. One instance per pass, run on the producer's {@link ClientThread}.
 */
final class StampedProducer implements Consumer<RingmqClient>, ReceiptListener
{
    static final int PRODUCER_OFFSET = MessageStamp.LENGTH;
    /** The smallest payload that holds the stamp and the producer's index. */
    static final int MIN_PAYLOAD_BYTES = PRODUCER_OFFSET + Integer.BYTES;
    /** Publishes between two polls while the window has room. */
    private static final int BURST = 64;

    private final PassControl control;
    private final IdleStrategy idleStrategy;
    private final String queue;
    private final int index;
    private final long messages;
    private final int window;
    private final UnsafeBuffer payload;
    /** Send time and correlation id of the publishes in the window, at (number - 1) % window. */
    private final long[] sendNs;
    private final long[] correlationIds;
    private final Histogram receiptNs = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
    private final BitSet receiptedSequences = new BitSet();
    private long published;
    private long receipts;
    private long lastSequence;

    StampedProducer(
        final PassControl control,
        final IdleStrategy idleStrategy,
        final String queue,
        final int index,
        final long messages,
        final int window,
        final int payloadBytes)
    {
        if (payloadBytes < MIN_PAYLOAD_BYTES)
        {
            throw new IllegalArgumentException("payloadBytes=" + payloadBytes + " must be >= " + MIN_PAYLOAD_BYTES +
                " (number, send time and producer index)");
        }
        this.control = control;
        this.idleStrategy = idleStrategy;
        this.queue = queue;
        this.index = index;
        this.messages = messages;
        this.window = window;
        this.payload = new UnsafeBuffer(new byte[payloadBytes]);
        this.sendNs = new long[window];
        this.correlationIds = new long[window];
        payload.putInt(PRODUCER_OFFSET, index);
    }

    public void accept(final RingmqClient client)
    {
        try
        {
            final Publisher publisher = client.publisher(queue, this);
            if (!control.awaitConsumerReady())
            {
                return;
            }

            control.startNs(System.nanoTime());
            while (receipts < messages && !control.isAborted())
            {
                int workCount = 0;
                final long limit = Math.min(messages, receipts + window);
                while (published < limit && workCount < BURST)
                {
                    published++;
                    final int slot = (int)((published - 1) % window);
                    final long nowNs = System.nanoTime();
                    MessageStamp.write(payload, 0, published, nowNs);
                    sendNs[slot] = nowNs;
                    correlationIds[slot] = publisher.publish(payload, 0, payload.capacity());
                    workCount++;
                }
                workCount += client.poll();

                if (0 == workCount && control.isPastDeadline(System.nanoTime()))
                {
                    control.fail(new IllegalStateException("producer " + index + " timed out: published " +
                        published + " of " + messages + ", receipts " + receipts));
                }
                idleStrategy.idle(workCount);
            }
            if (receipts == messages)
            {
                control.producerDone();
            }
        }
        catch (final Throwable throwable)
        {
            control.fail(throwable);
        }
    }

    public void onReceipt(final long correlationId, final long sequence)
    {
        final long nowNs = System.nanoTime();
        if (receipts >= published)
        {
            control.fail(new IllegalStateException("producer " + index + ": receipt (correlation " + correlationId +
                ") with nothing in flight, after " + receipts + " receipts"));
            return;
        }
        final int slot = (int)(receipts % window);
        receipts++;
        if (correlationIds[slot] != correlationId)
        {
            control.fail(new IllegalStateException("producer " + index + ": receipt " + receipts + " carries " +
                "correlation " + correlationId + ", publish " + receipts + " had " + correlationIds[slot]));
            return;
        }
        if (sequence <= lastSequence || sequence > Integer.MAX_VALUE)
        {
            control.fail(new IllegalStateException("producer " + index + ": receipt " + receipts + " names " +
                "sequence " + sequence + " after sequence " + lastSequence));
            return;
        }
        lastSequence = sequence;
        receiptedSequences.set((int)sequence);
        LatencyRecorder.record(receiptNs, nowNs - sendNs[slot]);
        if (receipts == messages)
        {
            control.lastReceiptNs(nowNs);
        }
    }

    public void onError(final long correlationId, final ErrorCode code, final String message)
    {
        control.fail(new IllegalStateException("producer " + index + ": publish " + correlationId + " refused: " +
            code + " " + message));
    }

    /** The producer index a payload carries. */
    static int producerIndex(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + PRODUCER_OFFSET);
    }

    long receipts()
    {
        return receipts;
    }

    /** Publish→receipt of every message, ns; read once the producer's task has ended. */
    Histogram receiptNs()
    {
        return receiptNs;
    }

    /** The queue sequences this producer's messages were given. */
    BitSet receiptedSequences()
    {
        return receiptedSequences;
    }
}
