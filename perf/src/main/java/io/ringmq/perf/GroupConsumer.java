package io.ringmq.perf;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.IdleStrategy;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;

/**
 * One consumer of a {@link ConsumerGroup}, for every system: checks, as each delivery comes, that it is a
 * well-formed part of the stream (from a producer of the pass, that producer's numbers increasing: the queue keeps
 * each producer's order and a competing consumer sees a subsequence of it; queue sequences increasing where the
 * system gives them), keeps which messages it saw for the group's exactly-once check, and records publish→deliver
 * from the time each payload carries. Once the group has acked every message and every producer is done, it keeps
 * polling a little to catch anything delivered twice.
 * <p>
 * How to poll and how to ack is the system's part. Not thread-safe: {@link #delivered} on one thread at a time
 * (the consumer's own, or the system's callback thread); read the results once the consumer's task has ended.
 */
public abstract class GroupConsumer
{
    /** How long to keep polling after the last delivery, looking for duplicates. */
    private static final long DRAIN_NS = TimeUnit.MILLISECONDS.toNanos(100);

    protected final PassControl control;
    protected final int index;
    private final ConsumerGroup group;
    private final LatencyRecorder recorder;
    private final Histogram deliverNs = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
    /** Per producer: the message numbers seen, and the last one. */
    private final BitSet[] seen;
    private final long[] lastNumber;
    private long lastSequence;
    private long delivered;

    /**
     * @param recorder the open-loop recorder (publish→deliver from the intended time), or null to record into
     *                 {@link #deliverNs()} from the send time.
     */
    protected GroupConsumer(final ConsumerGroup group, final int index, final LatencyRecorder recorder)
    {
        this.group = group;
        this.control = group.control();
        this.index = index;
        this.recorder = recorder;
        this.seen = new BitSet[group.producers()];
        for (int i = 0; i < seen.length; i++)
        {
            seen[i] = new BitSet();
        }
        this.lastNumber = new long[group.producers()];
        group.join(this);
    }

    /** Polls for deliveries (calling {@link #delivered} for each) and sends acks; returns the work done. */
    protected abstract int doWork();

    /**
     * Polls until the group is complete and a little after, or the pass fails or runs out of time. Returns at once
     * where the pass has already failed.
     */
    protected final void consume(final IdleStrategy idleStrategy)
    {
        long drainUntilNs = 0;
        while (!control.isAborted())
        {
            final int workCount = doWork();
            if (group.isComplete())
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
                control.fail(new IllegalStateException("consumer " + index + " timed out: delivered " + delivered +
                    ", all consumers acked " + group.ackedByAll() + " of " + group.totalMessages()));
            }
            idleStrategy.idle(workCount);
        }
    }

    /**
     * A delivery arrived: checks it and, if it keeps every rule, records it.
     *
     * @param producer the producer index its payload carries.
     * @param number   its number in that producer's order.
     * @param sequence its queue sequence; ignored unless the group is sequenced.
     * @param stampNs  the time its payload carries (send time, or intended time in the open-loop mode).
     * @return false, after failing the pass, if it breaks a rule.
     */
    protected final boolean delivered(
        final int producer, final long number, final long sequence, final long stampNs, final long nowNs)
    {
        final String problem = check(producer, number, sequence);
        if (null != problem)
        {
            return fail(problem);
        }
        if (null == recorder)
        {
            LatencyRecorder.record(deliverNs, nowNs - stampNs);
        }
        else
        {
            recorder.onDelivered(number, stampNs, nowNs);
        }
        seen[producer].set((int)number);
        lastNumber[producer] = number;
        lastSequence = sequence;
        delivered++;
        return true;
    }

    /** The consumer acked {@code count} more messages (call it per poll, not per message). */
    protected final void acked(final int count)
    {
        if (count > 0)
        {
            group.acked(count);
        }
    }

    /** Fails the pass with a problem of this consumer; returns false. */
    protected final boolean fail(final String problem)
    {
        control.fail(new IllegalStateException("consumer " + index + ": " + problem + " (after " + delivered +
            " good deliveries)"));
        return false;
    }

    private String check(final int producer, final long number, final long sequence)
    {
        if (group.isSequenced() && sequence <= lastSequence)
        {
            return "sequence " + sequence + " after sequence " + lastSequence;
        }
        if (producer < 0 || producer >= seen.length)
        {
            return "message " + number + " names producer " + producer + " of " + seen.length;
        }
        if (number < 1 || number > group.messagesOf(producer) || number > Integer.MAX_VALUE)
        {
            return "producer " + producer + "'s message " + number + " is outside 1.." + group.messagesOf(producer);
        }
        if (number <= lastNumber[producer])
        {
            return "producer " + producer + "'s message " + number + " after its message " + lastNumber[producer];
        }
        return null;
    }

    /** Deliveries that kept every rule. */
    public long delivered()
    {
        return delivered;
    }

    /** Publish→deliver of every message this consumer got (throughput mode), ns. */
    public Histogram deliverNs()
    {
        return deliverNs;
    }

    BitSet seen(final int producer)
    {
        return seen[producer];
    }
}
