package io.ringmq.perf;

import io.ringmq.client.Delivery;
import io.ringmq.client.MessageHandler;
import io.ringmq.client.QueueConsumer;
import io.ringmq.client.RingmqClient;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.IdleStrategy;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One of the consumers of {@link ManyToManyIpcThroughputHarness}, competing with the others in one group: acks every
 * delivery (after each poll, in delivery order; or with {@code ackInHandler} inside the handler, which the client
 * sends as one AckBatch per poll) and checks, as it goes, that what it gets is a well-formed part of the
 * stream: first attempts only, queue sequences increasing, and from each producer message numbers increasing (the
 * queue keeps each producer's order, and a competing consumer sees a subsequence of it). It keeps which messages it
 * saw, so the harness can check after the pass that the consumers together saw every message exactly once.
 * <p>
 * Records publish→deliver from the send time each payload carries. The consumers share one count of messages
 * acked; once it reaches the total and every producer is done, each keeps polling a little to catch anything
 * delivered twice. One instance per pass, run on the consumer's {@link ClientThread}.
 */
final class CompetingConsumer implements Consumer<RingmqClient>, MessageHandler
{
    static final String GROUP = "perf";
    /** How long to keep polling after the last delivery, looking for duplicates. */
    private static final long DRAIN_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final PassControl control;
    private final IdleStrategy idleStrategy;
    private final String queue;
    private final int index;
    private final long[] messagesPerProducer;
    private final long totalMessages;
    private final AtomicLong ackedByAll;
    private final int prefetch;
    private final int payloadBytes;
    private final boolean ackInHandler;
    private final Progress progress;
    private final LongArrayList unackedSequences = new LongArrayList();
    private final IntArrayList unackedAttempts = new IntArrayList();
    private final Histogram deliverNs = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
    /** Per producer: the message numbers seen, and the last one. */
    private final BitSet[] seen;
    private final long[] lastNumber;
    private QueueConsumer queueConsumer;
    private long lastSequence;
    private long delivered;
    private int ackedInHandler;

    CompetingConsumer(
        final PassControl control,
        final IdleStrategy idleStrategy,
        final String queue,
        final int index,
        final long[] messagesPerProducer,
        final AtomicLong ackedByAll,
        final int prefetch,
        final int payloadBytes,
        final boolean ackInHandler,
        final Progress progress)
    {
        this.control = control;
        this.idleStrategy = idleStrategy;
        this.queue = queue;
        this.index = index;
        this.messagesPerProducer = messagesPerProducer.clone();
        this.ackedByAll = ackedByAll;
        this.prefetch = prefetch;
        this.payloadBytes = payloadBytes;
        this.ackInHandler = ackInHandler;
        this.progress = progress;
        long total = 0;
        seen = new BitSet[messagesPerProducer.length];
        for (int i = 0; i < messagesPerProducer.length; i++)
        {
            seen[i] = new BitSet();
            total += messagesPerProducer[i];
        }
        this.totalMessages = total;
        this.lastNumber = new long[messagesPerProducer.length];
    }

    public void accept(final RingmqClient client)
    {
        try
        {
            queueConsumer = client.consumer(queue, GROUP, prefetch, this);
            control.consumerReady();

            long drainUntilNs = 0;
            while (!control.isAborted())
            {
                final int workCount = client.poll() + ackDelivered();
                if (ackedByAll.get() >= totalMessages && control.isProducerDone())
                {
                    final long nowNs = System.nanoTime();
                    if (0 == drainUntilNs)
                    {
                        drainUntilNs = nowNs + DRAIN_NS;
                    }
                    else if (nowNs - drainUntilNs > 0)
                    {
                        break;
                    }
                }
                else if (0 == workCount && control.isPastDeadline(System.nanoTime()))
                {
                    control.fail(new IllegalStateException("consumer " + index + " timed out: delivered " +
                        delivered + ", all consumers acked " + ackedByAll.get() + " of " + totalMessages));
                }
                idleStrategy.idle(workCount);
            }
        }
        catch (final Throwable throwable)
        {
            control.fail(throwable);
        }
    }

    public void onMessage(final Delivery delivery)
    {
        if (control.isAborted())
        {
            return; // the first failure is the one to report
        }
        final long nowNs = System.nanoTime();
        final DirectBuffer buffer = delivery.buffer();
        final int offset = delivery.payloadOffset();
        final String problem = check(delivery, buffer, offset);
        if (null != problem)
        {
            control.fail(new IllegalStateException("consumer " + index + ": " + problem + " (after " + delivered +
                " good deliveries)"));
            return;
        }
        final int producer = StampedProducer.producerIndex(buffer, offset);
        final long number = MessageStamp.number(buffer, offset);
        LatencyRecorder.record(deliverNs, nowNs - MessageStamp.intendedNs(buffer, offset));
        seen[producer].set((int)number);
        lastNumber[producer] = number;
        lastSequence = delivery.sequence();
        delivered++;
        if (ackInHandler)
        {
            delivery.ack();
            ackedInHandler++;
        }
        else
        {
            unackedSequences.addLong(delivery.sequence());
            unackedAttempts.addInt(delivery.attempt());
        }
    }

    /**
     * Acks what the last poll delivered (or counts what its handler acked); an ack may itself poll and deliver more,
     * which is acked in this call too.
     */
    private int ackDelivered()
    {
        int acked = ackedInHandler;
        ackedInHandler = 0;
        for (int i = 0; i < unackedSequences.size(); i++, acked++)
        {
            queueConsumer.ack(unackedSequences.getLong(i), unackedAttempts.getInt(i));
        }
        unackedSequences.clear();
        unackedAttempts.clear();
        if (acked > 0)
        {
            progress.addConcurrently(acked);
            if (ackedByAll.addAndGet(acked) == totalMessages)
            {
                control.lastDeliveryNs(System.nanoTime());
            }
        }
        return acked;
    }

    private String check(final Delivery delivery, final DirectBuffer buffer, final int offset)
    {
        final long sequence = delivery.sequence();
        if (1 != delivery.attempt())
        {
            return "sequence " + sequence + " delivered with attempt " + delivery.attempt();
        }
        if (sequence <= lastSequence)
        {
            return "sequence " + sequence + " after sequence " + lastSequence;
        }
        if (delivery.payloadLength() != payloadBytes)
        {
            return "sequence " + sequence + " has " + delivery.payloadLength() + " payload bytes, sent " +
                payloadBytes;
        }
        final int producer = StampedProducer.producerIndex(buffer, offset);
        if (producer < 0 || producer >= messagesPerProducer.length)
        {
            return "sequence " + sequence + " names producer " + producer + " of " + messagesPerProducer.length;
        }
        final long number = MessageStamp.number(buffer, offset);
        if (number < 1 || number > messagesPerProducer[producer])
        {
            return "sequence " + sequence + " is producer " + producer + "'s message " + number + ", outside 1.." +
                messagesPerProducer[producer];
        }
        if (number <= lastNumber[producer])
        {
            return "producer " + producer + "'s message " + number + " (sequence " + sequence + ") after its " +
                "message " + lastNumber[producer];
        }
        return null;
    }

    long delivered()
    {
        return delivered;
    }

    /** Publish→deliver of every message this consumer got, ns; read once its task has ended. */
    Histogram deliverNs()
    {
        return deliverNs;
    }

    /** The message numbers this consumer got from a producer. */
    BitSet seen(final int producer)
    {
        return seen[producer];
    }
}
