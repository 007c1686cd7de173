package io.ringmq.perf;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The consumers of one pass, competing for one queue's messages (each message to one of them), for every system:
 * what they share (how many messages each producer sends, the count of messages acked by any of them) and the
 * check, after the pass, that together they got every message of every producer exactly once.
 * <p>
 * Thread-safe for {@link #acked} and {@link #isComplete}; members join before the pass starts, and the results are
 * read after it ended.
 */
public final class ConsumerGroup
{
    private final PassControl control;
    private final long[] messagesPerProducer;
    private final long totalMessages;
    private final boolean sequenced;
    private final Progress progress;
    private final AtomicLong ackedByAll = new AtomicLong();
    private final List<GroupConsumer> members = new ArrayList<>();

    /**
     * @param messagesPerProducer how many messages each producer sends (see {@link ThroughputWorkload#split}).
     * @param sequenced           whether deliveries carry a queue sequence, checked to increase at each consumer.
     * @param progress            told of every message acked.
     */
    public ConsumerGroup(
        final PassControl control, final long[] messagesPerProducer, final boolean sequenced, final Progress progress)
    {
        this.control = control;
        this.messagesPerProducer = messagesPerProducer.clone();
        this.sequenced = sequenced;
        this.progress = progress;
        long total = 0;
        for (final long messages : messagesPerProducer)
        {
            total += messages;
        }
        this.totalMessages = total;
    }

    void join(final GroupConsumer member)
    {
        members.add(member);
    }

    PassControl control()
    {
        return control;
    }

    int producers()
    {
        return messagesPerProducer.length;
    }

    long messagesOf(final int producer)
    {
        return messagesPerProducer[producer];
    }

    boolean isSequenced()
    {
        return sequenced;
    }

    public long totalMessages()
    {
        return totalMessages;
    }

    /** A member acked {@code count} more messages; the last of all ends the measured time. */
    void acked(final int count)
    {
        progress.addConcurrently(count);
        if (ackedByAll.addAndGet(count) == totalMessages)
        {
            control.lastDeliveryNs(System.nanoTime());
        }
    }

    long ackedByAll()
    {
        return ackedByAll.get();
    }

    /** Every message acked and every producer done with its receipts. */
    boolean isComplete()
    {
        return ackedByAll.get() >= totalMessages && control.isProducerDone();
    }

    /**
     * The members, each checked for order as it went, together saw every producer's every message once.
     *
     * @throws IllegalStateException naming the producer whose messages were lost or duplicated.
     */
    public void checkExactlyOnce(final String pass)
    {
        for (int producer = 0; producer < messagesPerProducer.length; producer++)
        {
            final BitSet union = new BitSet();
            long sum = 0;
            for (final GroupConsumer member : members)
            {
                final BitSet seen = member.seen(producer);
                sum += seen.cardinality();
                union.or(seen);
            }
            if (union.cardinality() != messagesPerProducer[producer] || sum != messagesPerProducer[producer])
            {
                throw new IllegalStateException(pass + ": producer " + producer + " sent " +
                    messagesPerProducer[producer] + " messages, the group got " + union.cardinality() +
                    " distinct ones in " + sum + " deliveries");
            }
        }
    }

    /** Publish→deliver of every message, all members together (throughput mode), ns. */
    public Histogram deliverNs()
    {
        final Histogram all = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
        members.forEach((member) -> all.add(member.deliverNs()));
        return all;
    }

    public long[] deliveredPerConsumer()
    {
        return members.stream().mapToLong(GroupConsumer::delivered).toArray();
    }
}
