package io.ringmq.perf;

import io.ringmq.client.Delivery;
import io.ringmq.client.MessageHandler;
import io.ringmq.client.QueueConsumer;
import io.ringmq.client.RingmqClient;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochNanoClock;

import java.util.function.Consumer;

/**
 * One of the consumers of {@link IpcThroughputHarness}: a {@link GroupConsumer} over a {@link RingmqClient},
 * competing with the others in one group. Besides the group's rules it checks that every delivery is a first attempt
 * with the payload size sent, and records ingress→consumer latency from the timestamp the daemon's ingress put on
 * the publish.
 * <p>
 * By default each delivery is acked inside the handler, as an application would; the client collects the acks of
 * one poll and sends them as one AckBatch when the poll returns. With {@code ackInHandler} false the acks are sent
 * after each poll returns instead, one Ack frame each, in delivery order (the cost of unbatched acks).
 * <p>
 * One instance per pass, run on the consumer's {@link ClientThread}.
 */
final class CompetingConsumer extends GroupConsumer implements Consumer<RingmqClient>, MessageHandler
{
    static final String GROUP = "perf";

    private final IdleStrategy idleStrategy;
    private final String queue;
    private final int prefetch;
    private final int payloadBytes;
    private final boolean ackInHandler;
    private final LongArrayList unackedSequences = new LongArrayList();
    private final IntArrayList unackedAttempts = new IntArrayList();
    /** The daemon stamps publishes with this clock's kind: epoch ns, comparable in one process. */
    private final EpochNanoClock epochClock = new SystemEpochNanoClock();
    private final Histogram ingressToConsumerNs = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
    private RingmqClient client;
    private QueueConsumer queueConsumer;

    CompetingConsumer(
        final ConsumerGroup group,
        final IdleStrategy idleStrategy,
        final String queue,
        final int index,
        final int prefetch,
        final int payloadBytes,
        final boolean ackInHandler)
    {
        super(group, index, null);
        this.idleStrategy = idleStrategy;
        this.queue = queue;
        this.prefetch = prefetch;
        this.payloadBytes = payloadBytes;
        this.ackInHandler = ackInHandler;
    }

    public void accept(final RingmqClient client)
    {
        try
        {
            this.client = client;
            queueConsumer = client.consumer(queue, GROUP, prefetch, this);
            control.consumerReady();
            consume(idleStrategy);
        }
        catch (final Throwable throwable)
        {
            control.fail(throwable);
        }
    }

    protected int doWork()
    {
        return client.poll() + ackDelivered();
    }

    public void onMessage(final Delivery delivery)
    {
        if (control.isAborted())
        {
            return; // the first failure is the one to report
        }
        final long nowNs = System.nanoTime();
        // publishTimestampNs is the epoch ns at which the daemon's ingress agent took the publish from Aeron (its
        // clock is read once per duty cycle): from there to this handler is ring, journal, dispatch, queueing behind
        // the prefetch window, egress and the consumer's poll.
        LatencyRecorder.record(ingressToConsumerNs, epochClock.nanoTime() - delivery.publishTimestampNs());
        final long sequence = delivery.sequence();
        if (1 != delivery.attempt())
        {
            fail("sequence " + sequence + " delivered with attempt " + delivery.attempt());
            return;
        }
        if (delivery.payloadLength() != payloadBytes)
        {
            fail("sequence " + sequence + " has " + delivery.payloadLength() + " payload bytes, sent " + payloadBytes);
            return;
        }
        final DirectBuffer buffer = delivery.buffer();
        final int offset = delivery.payloadOffset();
        if (!delivered(MessageStamp.producer(buffer, offset), MessageStamp.number(buffer, offset), sequence,
            MessageStamp.intendedNs(buffer, offset), nowNs))
        {
            return;
        }
        if (ackInHandler)
        {
            delivery.ack();
            acked(1);
        }
        else
        {
            unackedSequences.addLong(sequence);
            unackedAttempts.addInt(delivery.attempt());
        }
    }

    /** Acks what the last poll delivered; an ack may itself poll and deliver more, which is acked in this call too. */
    private int ackDelivered()
    {
        int count = 0;
        for (; count < unackedSequences.size(); count++)
        {
            queueConsumer.ack(unackedSequences.getLong(count), unackedAttempts.getInt(count));
        }
        unackedSequences.clear();
        unackedAttempts.clear();
        acked(count);
        return count;
    }

    /** From the daemon's ingress to this consumer's handler, ns. */
    Histogram ingressToConsumerNs()
    {
        return ingressToConsumerNs;
    }
}
