package io.ringmq.daemon.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every receipt the fault suite's producers got, with the epoch it carries (schema version 10), and the check that no
 * two primaries receipted in overlapping epochs (issue 14).
 * <p>
 * What "overlapping" means here, as a client can see it. A primary of epoch E receipts only while it may (its lease,
 * or its in-sync standby's acks); the standby it loses to promotes to E + 1 only through the witness, after E's lease
 * has run out and after it stopped acking E. So, in the order the test JVM observed the receipts (one ticket per
 * receipt, taken as {@code publishAndWait} returns; the producers are threads of this JVM):
 * <ol>
 * <li>every receipt's epoch is one a primary was seen serving in, each granted by the witness (the suite never
 * promotes by hand, so every epoch after 1 is a witness grant);</li>
 * <li>once any receipt of epoch E + 1 (or later) was observed, no receipt of E or earlier comes: an old primary that
 * still receipted after the new one began would show up here (a paused primary woken up, say);</li>
 * <li>each producer's receipts never go back to an older epoch (the same, without the cross-thread ticket order);</li>
 * <li>no two receipts name the same queue sequence for different messages: two primaries that both receipted,
 * each from its own state, would hand one sequence to two messages; and every receipted sequence is the one the
 * queue holds the message at ({@link #problemsAgainst}).</li>
 * </ol>
 * Thread-safe: recorded by the producer threads, checked by the test thread while the traffic is quiet.
 */
final class ReceiptEpochs
{
    /** One receipt: the producer's index and sequence, the queue sequence it names, its epoch, its ticket. */
    record Receipt(int producer, long producerSequence, long queueSequence, long epoch, long ticket)
    {
    }

    /** The producer index of an {@link #epochBegan} mark. */
    private static final int MARK = -1;

    private final AtomicLong tickets = new AtomicLong();
    private final ConcurrentLinkedQueue<Receipt> receipts = new ConcurrentLinkedQueue<>();

    void record(final int producer, final long producerSequence, final long queueSequence, final long epoch)
    {
        receipts.add(new Receipt(producer, producerSequence, queueSequence, epoch, tickets.incrementAndGet()));
    }

    /**
     * A receipt of {@code epoch} a client outside the producers got now (the suite's probe of the new primary): from
     * here on no producer may get a receipt of an older epoch. Checked by rule 2 only.
     */
    void epochBegan(final long epoch)
    {
        receipts.add(new Receipt(MARK, 0, 0, epoch, tickets.incrementAndGet()));
    }

    /** The epochs the receipts carried, in order, each once. */
    Set<Long> epochsSeen()
    {
        final TreeMap<Long, Boolean> epochs = new TreeMap<>();
        receipts.stream().filter((r) -> MARK != r.producer()).forEach((r) -> epochs.put(r.epoch(), true));
        return epochs.keySet();
    }

    /**
     * What is wrong with the receipts so far (rules 1 to 3 and the first half of 4, see the class).
     *
     * @param grantedEpochs the epochs a primary was seen serving in.
     * @param producerIds   the producers' ids, by index, to name them.
     */
    List<String> problems(final Set<Long> grantedEpochs, final long[] producerIds)
    {
        final List<String> problems = new ArrayList<>();
        final List<Receipt> inOrder = new ArrayList<>(receipts);
        inOrder.sort((x, y) -> Long.compare(x.ticket(), y.ticket()));
        final long[] producerEpoch = new long[producerIds.length];
        final Map<Long, Receipt> bySequence = new TreeMap<>();
        long newestEpoch = 0;
        Receipt firstOfNewest = null;
        for (final Receipt r : inOrder)
        {
            if (MARK == r.producer())
            {
                if (r.epoch() > newestEpoch)
                {
                    newestEpoch = r.epoch();
                    firstOfNewest = r;
                }
                continue;
            }
            final String name = "producer " + producerIds[r.producer()] + " sequence " + r.producerSequence() +
                " (queue sequence " + r.queueSequence() + ", epoch " + r.epoch() + ")";
            if (!grantedEpochs.contains(r.epoch()))
            {
                problems.add(name + ": receipted in an epoch no primary was seen in " + grantedEpochs);
            }
            if (r.epoch() < newestEpoch)
            {
                problems.add(name + ": receipted in an older epoch after a receipt of epoch " + newestEpoch +
                    " (the first of it: " + firstOfNewest + "): two primaries receipted in overlapping epochs");
            }
            else if (r.epoch() > newestEpoch)
            {
                newestEpoch = r.epoch();
                firstOfNewest = r;
            }
            if (r.epoch() < producerEpoch[r.producer()])
            {
                problems.add(name + ": this producer had a receipt of epoch " + producerEpoch[r.producer()] +
                    " before");
            }
            producerEpoch[r.producer()] = Math.max(producerEpoch[r.producer()], r.epoch());
            final Receipt same = bySequence.putIfAbsent(r.queueSequence(), r);
            if (null != same && (same.producer() != r.producer() || same.producerSequence() != r.producerSequence()))
            {
                problems.add(name + ": its queue sequence was receipted for another message too: " + same);
            }
        }
        return problems;
    }

    /**
     * Rule 4's second half: each receipted message is held at the queue sequence its receipt named.
     *
     * @param storedAt storedAt.get(producer index).get(producer sequence): the queue sequence a peek found it at.
     */
    List<String> problemsAgainst(final List<Map<Long, Long>> storedAt, final long[] producerIds)
    {
        final List<String> problems = new ArrayList<>();
        for (final Receipt r : receipts)
        {
            if (MARK == r.producer())
            {
                continue;
            }
            final Long stored = storedAt.get(r.producer()).get(r.producerSequence());
            if (null != stored && stored != r.queueSequence())
            {
                problems.add("producer " + producerIds[r.producer()] + " sequence " + r.producerSequence() +
                    " was receipted at queue sequence " + r.queueSequence() + " in epoch " + r.epoch() +
                    " but the queue holds it at " + stored);
            }
        }
        return problems;
    }
}
