package io.ringmq.perf;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.IdleStrategy;

import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One producer of a pass, for every system: sends its messages {@code 1..messages}, each stamped
 * ({@link MessageStamp}: number, time, producer index), and takes their receipts. Two modes:
 * <ul>
 *   <li>windowed (throughput): as fast as it may with at most {@code window} sends not yet receipted; the stamp is
 *   the send time, and publish→receipt of every message from it goes into {@link #receiptNs()}: the receipt latency
 *   at saturation;</li>
 *   <li>open loop (latency): each message when the schedule says; the stamp is the intended time, and the
 *   {@link LatencyRecorder} gets publish→receipt from it.</li>
 * </ul>
 * Checks every receipt as it comes: receipts name the messages in send order and, where the system gives each
 * message a queue sequence, with increasing sequences, kept so that {@link #checkDistinctSequences} can check no two
 * producers' messages got the same one. How to send, how to poll for receipts and how to tell which send a receipt
 * is for is the system's part.
 * <p>
 * Threading: {@link #produce()} on the producer's own thread; {@link #receipted} on that thread or on one other
 * (Artemis' callback thread), one call at a time. Read the results once the producer's task has ended.
 */
public abstract class StampingProducer
{
    /** Sends between two polls for receipts while the window has room. */
    private static final int BURST = 64;

    protected final PassControl control;
    protected final int index;
    protected final long messages;
    private final int window;
    private final boolean sequenced;
    private final OpenLoopSchedule schedule;
    private final LatencyRecorder recorder;
    private final IdleStrategy idleStrategy;
    /** Windowed mode: send time of the sends in the window, at {@link #slot}; read by the receipt thread. */
    private final AtomicLongArray sendNs;
    private final Histogram receiptNs = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
    private final BitSet receiptedSequences = new BitSet();
    /** Written by the receipt thread only; read by the producer's for the window. */
    private final AtomicLong receipts = new AtomicLong();
    private long sent;
    private long lastSequence;

    /**
     * @param index     the producer's index in the pass, written into every payload.
     * @param window    most sends without a receipt (windowed mode); ignored when a schedule is given.
     * @param sequenced whether the system's receipts carry a queue sequence to check.
     * @param schedule  the open-loop schedule, or null for the windowed mode.
     * @param recorder  where publish→receipt goes in the open-loop mode, else null.
     */
    protected StampingProducer(
        final PassControl control,
        final int index,
        final long messages,
        final int window,
        final boolean sequenced,
        final OpenLoopSchedule schedule,
        final LatencyRecorder recorder,
        final IdleStrategy idleStrategy)
    {
        if (null == schedule && window <= 0)
        {
            throw new IllegalArgumentException("window=" + window + " must be > 0 without an open-loop schedule");
        }
        this.control = control;
        this.index = index;
        this.messages = messages;
        this.window = window;
        this.sequenced = sequenced;
        this.schedule = schedule;
        this.recorder = recorder;
        this.idleStrategy = idleStrategy;
        this.sendNs = null == schedule ? new AtomicLongArray(window) : null;
    }

    /** Sends message {@code number} stamped with {@code stampNs}; waits out back-pressure. */
    protected abstract void send(long number, long stampNs) throws Exception;

    /** Polls for receipts, calling {@link #receipted} for each; returns the work done (0 where a callback does). */
    protected abstract int pollReceipts();

    /** Sends every message and waits for every receipt, or until the pass fails or runs out of time. */
    protected final void produce() throws Exception
    {
        if (!control.awaitConsumerReady())
        {
            return;
        }
        final long startNs = System.nanoTime();
        if (null != schedule)
        {
            schedule.start(startNs);
        }
        control.startNs(startNs);
        while (receipts.get() < messages && !control.isAborted())
        {
            int workCount = 0;
            final long nowNs = System.nanoTime();
            while (sent < messages && workCount < BURST && isDue(nowNs))
            {
                final long number = ++sent;
                final long stampNs;
                if (null == schedule)
                {
                    stampNs = System.nanoTime();
                    sendNs.lazySet(slot(number), stampNs);
                }
                else
                {
                    stampNs = schedule.intendedNs(number);
                }
                send(number, stampNs);
                workCount++;
            }
            workCount += pollReceipts();
            if (0 == workCount && control.isPastDeadline(nowNs))
            {
                control.fail(new IllegalStateException("producer " + index + " timed out: sent " + sent + " of " +
                    messages + ", receipts " + receipts.get()));
            }
            idleStrategy.idle(workCount);
        }
        if (receipts.get() == messages)
        {
            control.producerDone();
        }
    }

    private boolean isDue(final long nowNs)
    {
        return null == schedule ? sent - receipts.get() < window : schedule.intendedNs(sent + 1) - nowNs <= 0;
    }

    /** Where a windowed send's details are kept while it waits for its receipt: {@code (number - 1) % window}. */
    protected final int slot(final long number)
    {
        return (int)((number - 1) % window);
    }

    /** The number the next receipt must name: receipts come in send order. */
    protected final long nextReceipt()
    {
        return receipts.get() + 1;
    }

    /** Whether the sends are windowed (throughput) rather than on a schedule. */
    protected final boolean isWindowed()
    {
        return null == schedule;
    }

    /**
     * A receipt arrived.
     *
     * @param number   the message the receipt names (the system's own way of saying which).
     * @param sequence the queue sequence it gives the message; ignored unless the producer is sequenced.
     * @return false, after failing the pass, if the receipt breaks a rule.
     */
    protected final boolean receipted(final long number, final long sequence, final long nowNs)
    {
        final long expected = receipts.get() + 1;
        if (number != expected)
        {
            return fail("receipt " + expected + " names message " + number);
        }
        if (sequenced)
        {
            if (sequence <= lastSequence || sequence > Integer.MAX_VALUE)
            {
                return fail("receipt " + number + " names sequence " + sequence + " after sequence " + lastSequence);
            }
            lastSequence = sequence;
            receiptedSequences.set((int)sequence);
        }
        if (null == schedule)
        {
            LatencyRecorder.record(receiptNs, nowNs - sendNs.get(slot(number)));
        }
        else if (null != recorder)
        {
            recorder.onReceipted(number, schedule.intendedNs(number), nowNs);
        }
        receipts.lazySet(number);
        if (number == messages)
        {
            control.lastReceiptNs(nowNs);
        }
        return true;
    }

    /** Fails the pass with a problem of this producer; returns false. */
    protected final boolean fail(final String problem)
    {
        control.fail(new IllegalStateException("producer " + index + ": " + problem));
        return false;
    }

    /** Publish→receipt of every message from its send time (windowed mode), ns. */
    public Histogram receiptNs()
    {
        return receiptNs;
    }

    /** All the producers' publish→receipt together. */
    public static Histogram receiptNs(final List<? extends StampingProducer> producers)
    {
        final Histogram all = new Histogram(LatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
        producers.forEach((producer) -> all.add(producer.receiptNs()));
        return all;
    }

    /** No two messages of a sequenced pass were given the same sequence. */
    public static void checkDistinctSequences(
        final String pass, final long messages, final List<? extends StampingProducer> producers)
    {
        final BitSet union = new BitSet();
        long sum = 0;
        for (final StampingProducer producer : producers)
        {
            sum += producer.receiptedSequences.cardinality();
            union.or(producer.receiptedSequences);
        }
        if (union.cardinality() != messages || sum != messages)
        {
            throw new IllegalStateException(pass + ": " + messages + " receipts named " + union.cardinality() +
                " distinct sequences");
        }
    }
}
