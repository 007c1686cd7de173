package io.ringmq.perf;

import io.ringmq.client.Delivery;
import io.ringmq.client.MessageHandler;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.QueueConsumer;
import org.HdrHistogram.Histogram;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochNanoClock;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Consumes one queue, acks every delivery and checks, as it goes, that sequences {@code 1..messages} each arrive
 * exactly once, in order, at the first attempt, with the payload the producer sent. Records the latency of each
 * delivery. After the last message (and the producer's last receipt) it keeps polling a little to catch anything
 * delivered twice.
 * <p>
 * By default the acks are sent after each poll returns, in delivery order, not from inside the handler: an ack that
 * meets back-pressure, or an Aeron term rotation ({@code ADMIN_ACTION}), makes the client poll for responses while it
 * retries, and from inside a handler that poll re-enters the Aeron image being polled and hands the same fragments
 * over again. {@code ackInHandler} acks inside the handler to show that.
 * <p>
 * One instance per pass, run on the consumer's {@link ClientThread}; read its results only after its task has
 * ended.
 */
final class VerifyingConsumer implements Consumer<RingmqClient>, MessageHandler
{
    static final String GROUP = "perf";
    /** Latencies above this are clamped (and counted by the histogram as this value). */
    static final long HIGHEST_TRACKABLE_NS = TimeUnit.MINUTES.toNanos(1);
    /** How long to keep polling after the last delivery, looking for duplicates. */
    private static final long DRAIN_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final PassControl control;
    private final IdleStrategy idleStrategy;
    private final String queue;
    private final long messages;
    private final int prefetch;
    private final int payloadBytes;
    private final boolean ackInHandler;
    private final Progress progress;
    private final LongArrayList unackedSequences = new LongArrayList();
    private final IntArrayList unackedAttempts = new IntArrayList();
    /** The daemon stamps publishes with this clock's kind: epoch ns, comparable in one process. */
    private final EpochNanoClock epochClock = new SystemEpochNanoClock();
    private final Histogram latencyNs = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private final BitSet seen;
    private QueueConsumer queueConsumer;
    private long delivered;
    private long acked;
    private long expectedSequence = 1;

    VerifyingConsumer(
        final PassControl control,
        final IdleStrategy idleStrategy,
        final String queue,
        final long messages,
        final int prefetch,
        final int payloadBytes,
        final boolean ackInHandler,
        final Progress progress)
    {
        this.progress = progress;
        this.control = control;
        this.idleStrategy = idleStrategy;
        this.queue = queue;
        this.messages = messages;
        this.prefetch = prefetch;
        this.payloadBytes = payloadBytes;
        this.ackInHandler = ackInHandler;
        this.seen = new BitSet(Math.toIntExact(messages + 1));
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
                if (acked == messages && control.isProducerDone())
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
                    control.fail(new IllegalStateException("consumer timed out: delivered " + delivered +
                        ", acked " + acked +
                        ", of " + messages + ", next expected sequence " + expectedSequence));
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
        // Ingress->consumer latency: publishTimestampNs is the epoch ns at which the daemon's ingress agent took the
        // publish from Aeron (its clock is read once per duty cycle). It leaves out the client's send and the wait
        // in the ingress log, and includes ring, journal, dispatch, queueing behind the prefetch window, egress and
        // the consumer's poll. Both ends use SystemEpochNanoClock in this one process.
        final long latency = epochClock.nanoTime() - delivery.publishTimestampNs();
        latencyNs.recordValue(Math.max(0, Math.min(latency, HIGHEST_TRACKABLE_NS)));

        final long sequence = delivery.sequence();
        final String problem = check(delivery, sequence);
        if (null != problem)
        {
            control.fail(new IllegalStateException(problem + " (after " + delivered + " good deliveries)"));
            return;
        }
        seen.set((int)sequence);
        expectedSequence = sequence + 1;
        delivered++;
        if (ackInHandler)
        {
            delivery.ack();
            onAcked();
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
        for (int i = 0; i < unackedSequences.size(); i++)
        {
            queueConsumer.ack(unackedSequences.getLong(i), unackedAttempts.getInt(i));
            onAcked();
            count++;
        }
        unackedSequences.clear();
        unackedAttempts.clear();
        return count;
    }

    private void onAcked()
    {
        progress.add(1);
        if (++acked == messages)
        {
            control.lastDeliveryNs(System.nanoTime());
        }
    }

    private String check(final Delivery delivery, final long sequence)
    {
        if (sequence < 1 || sequence > messages)
        {
            return "sequence " + sequence + " is outside 1.." + messages;
        }
        if (seen.get((int)sequence))
        {
            return "sequence " + sequence + " delivered twice (attempt " + delivery.attempt() + ")";
        }
        if (sequence != expectedSequence)
        {
            return "out of order: expected sequence " + expectedSequence + ", got " + sequence;
        }
        if (1 != delivery.attempt())
        {
            return "sequence " + sequence + " delivered with attempt " + delivery.attempt();
        }
        if (delivery.payloadLength() != payloadBytes)
        {
            return "sequence " + sequence + " has " + delivery.payloadLength() + " payload bytes, sent " +
                payloadBytes;
        }
        if (payloadBytes >= Long.BYTES && delivery.buffer().getLong(delivery.payloadOffset()) != sequence)
        {
            return "sequence " + sequence + " carries the payload of message " +
                delivery.buffer().getLong(delivery.payloadOffset());
        }
        return null;
    }

    /** Deliveries that passed every check; equal to the messages when the pass succeeded. */
    long delivered()
    {
        return delivered;
    }

    /** Distinct sequences seen. */
    long distinctSequences()
    {
        return seen.cardinality();
    }

    Histogram latencyNs()
    {
        return latencyNs;
    }
}
