package io.ringmq.daemon.it;

import io.ringmq.client.BrowsedMessage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Every receipt the fault suite's producers got, with the epoch it carries (schema version 10), and the check that no
 * two primaries receipted in overlapping epochs (issue 14).
 * <p>
 * What "overlapping" means. The epochs split the log: the primary of epoch E + 1 starts from a prefix of E's log, and
 * what E's primary receipted must lie in that prefix. That is the rule, not an order in time: a primary receipts
 * while it holds its lease or while its receipts wait for the in-sync standby's ack, so a primary paused right after a
 * command was acked may send that receipt when it wakes, after the new primary's first one (the suite saw it: a
 * SIGSTOP round); harmless, since the new primary has the message. Two primaries receipting from their own states at
 * once is what must never happen, and it shows in the receipts:
 * <ol>
 * <li>every receipt's epoch is one a primary was seen serving in, each after 1 granted by the witness (the suite
 * never promotes by hand);</li>
 * <li>every message receipted in epoch E was stored (stamped with its command time, which a peek shows) before the
 * first message the primary of a later epoch stored: an old primary that went on storing and receipting after the
 * new one began would fail it ({@link #epochBegan}: the suite's probe of each new primary);</li>
 * <li>each producer's receipts never go back to an older epoch;</li>
 * <li>no queue sequence is receipted for two different messages (two primaries each receipting from its own state
 * would hand one sequence out twice), and every receipted message is held at the queue sequence its receipt named
 * ({@link #problemsAgainst}).</li>
 * </ol>
 * Thread-safe: recorded by the producer threads, checked by the test thread while the traffic is quiet.
 */
final class ReceiptEpochs
{
    /** One receipt, in the order its producer got it: the producer's index and sequence, its queue sequence, epoch. */
    record Receipt(int producer, long producerSequence, long queueSequence, long epoch)
    {
    }

    private final ConcurrentLinkedQueue<Receipt> receipts = new ConcurrentLinkedQueue<>();
    /** epoch -> the command time of the first message its primary stored (the probe's). */
    private final ConcurrentSkipListMap<Long, Long> epochFirstStamps = new ConcurrentSkipListMap<>();

    void record(final int producer, final long producerSequence, final long queueSequence, final long epoch)
    {
        receipts.add(new Receipt(producer, producerSequence, queueSequence, epoch));
    }

    /**
     * The primary of {@code epoch} stored a message (the suite's probe, a client of its own) at command time
     * {@code stampNs}: no message receipted in an older epoch may be stamped at or after it.
     */
    void epochBegan(final long epoch, final long stampNs)
    {
        epochFirstStamps.merge(epoch, stampNs, Math::min);
    }

    /** The epochs the receipts carried, in order, each once. */
    Set<Long> epochsSeen()
    {
        final TreeSet<Long> epochs = new TreeSet<>();
        receipts.forEach((r) -> epochs.add(r.epoch()));
        return epochs;
    }

    /**
     * What is wrong with the receipts so far (rules 1, 3 and the first half of 4, see the class).
     *
     * @param grantedEpochs the epochs a primary was seen serving in.
     * @param producerIds   the producers' ids, by index, to name them.
     */
    List<String> problems(final Set<Long> grantedEpochs, final long[] producerIds)
    {
        final List<String> problems = new ArrayList<>();
        final long[] producerEpoch = new long[producerIds.length];
        final Map<Long, Receipt> bySequence = new HashMap<>();
        for (final Receipt r : receipts)
        {
            final String name = name(r, producerIds);
            if (!grantedEpochs.contains(r.epoch()))
            {
                problems.add(name + ": receipted in an epoch no primary was seen in " + grantedEpochs);
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
     * Rules 2 and the second half of 4, against what the queue holds.
     *
     * @param stored stored.get(producer index).get(producer sequence): the message a peek found.
     */
    List<String> problemsAgainst(final List<Map<Long, BrowsedMessage>> stored, final long[] producerIds)
    {
        final List<String> problems = new ArrayList<>();
        for (final Receipt r : receipts)
        {
            final BrowsedMessage message = stored.get(r.producer()).get(r.producerSequence());
            if (null == message)
            {
                continue; // a receipted message lost: the audit names it
            }
            if (message.sequence() != r.queueSequence())
            {
                problems.add(name(r, producerIds) + ": the queue holds it at " + message.sequence());
            }
            final Map.Entry<Long, Long> later = epochFirstStamps.higherEntry(r.epoch());
            for (Map.Entry<Long, Long> e = later; null != e; e = epochFirstStamps.higherEntry(e.getKey()))
            {
                if (message.publishTimestampNs() >= e.getValue())
                {
                    problems.add(name(r, producerIds) + ": stored at command time " + message.publishTimestampNs() +
                        ", not before epoch " + e.getKey() + " began (" + e.getValue() + "): two primaries " +
                        "receipted in overlapping epochs");
                }
            }
        }
        return problems;
    }

    private static String name(final Receipt r, final long[] producerIds)
    {
        return "producer " + producerIds[r.producer()] + " sequence " + r.producerSequence() + " (queue sequence " +
            r.queueSequence() + ", epoch " + r.epoch() + ")";
    }
}
