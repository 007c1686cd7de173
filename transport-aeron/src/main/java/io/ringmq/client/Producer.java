package io.ringmq.client;

import io.ringmq.core.protocol.Priority;

import io.ringmq.core.protocol.ProducerIds;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;

/**
 * An idempotent producer: a producer id plus a sequence per publish. The daemon remembers each producer's latest 256
 * applied publishes for ringmq.dedup.window after its last one, and answers a publish with a (producer id, sequence) it
 * has applied with the original receipt (the same queue sequence) instead of enqueuing it again. So a publish whose
 * receipt never came (a timeout, a daemon that stopped between journaling it and answering) can be sent again safely.
 * <p>
 * Since a resend is recognised only among the latest 256, a producer has at most
 * {@link ProducerIds#REMEMBERED_SEQUENCES} publishes unanswered: a publish beyond that first polls its client for an
 * answer (as a blocking call does, up to the response timeout), and throws, not sent, if none comes, or inside a
 * handler, which cannot poll. Without the bound a publisher running ahead of its receipts could have thousands
 * unanswered when its node is lost, and every resend older than the latest 256 would be stored a second time.
 * <p>
 * The producer keeps a copy of every publish not yet answered. After a reconnect (a new {@link RingmqClient}), hand
 * it the new client with {@link #resendUnreceipted}: it sends them again with the same ids and waits for their
 * receipts. The producer outlives the clients it publishes through; its id is the application's choice (1 to
 * {@link ProducerIds#MAX_CHOSEN}) or the one a daemon issued ({@link RingmqClient#issuedProducerId()}). An application
 * that restarts with a chosen id must go on from the sequence it had reached (or take a new id): a sequence used
 * again within the window is taken for a retry.
 * <p>
 * Copies are pooled: a producer in steady state allocates nothing. Owned by the thread of the clients it publishes
 * through.
 */
public final class Producer
{
    private final long producerId;
    private long nextSequence;
    /** Unanswered publishes by producer sequence, and their sequences in the order they were sent. */
    private final Long2ObjectHashMap<Unreceipted> unreceipted = new Long2ObjectHashMap<>();
    private final LongArrayList sentOrder = new LongArrayList();
    /** Correlation id of each unanswered publish -> its producer sequence. */
    private final Long2LongHashMap sequenceByCorrelation = new Long2LongHashMap(Long.MIN_VALUE);
    private final ArrayList<Unreceipted> pool = new ArrayList<>();

    /** One publish kept until the daemon answers it. */
    static final class Unreceipted
    {
        String queue;
        long sequence;
        /** The correlation id it was last sent under: a following client resends it under the same one. */
        long correlationId;
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
        int payloadLength;
        final UnsafeBuffer headers = new UnsafeBuffer(new byte[64]);
        int headersLength;
        final UnsafeBuffer messageId = new UnsafeBuffer(new byte[64]);
        int messageIdLength;
        int priority;
        long delayMs;
        long deliverAtMs;
        long ttlMs;

        private static int copy(final DirectBuffer source, final int offset, final int length, final UnsafeBuffer into)
        {
            if (length > into.capacity())
            {
                into.wrap(new byte[BitUtil.findNextPositivePowerOfTwo(length)]);
            }
            if (length > 0)
            {
                into.putBytes(0, source, offset, length);
            }
            return length;
        }
    }

    /**
     * @param producerId    1 to {@link ProducerIds#MAX_CHOSEN}, or an id a daemon issued.
     * @param firstSequence the sequence of the first publish (a restarted application goes on from where it was).
     */
    public Producer(final long producerId, final long firstSequence)
    {
        if (producerId <= ProducerIds.NONE)
        {
            throw new IllegalArgumentException("producerId=" + producerId + " must be at least 1");
        }
        if (firstSequence < 0)
        {
            throw new IllegalArgumentException("firstSequence=" + firstSequence + " must be at least 0");
        }
        this.producerId = producerId;
        this.nextSequence = firstSequence;
    }

    /** A producer with this id, its sequences from 1. */
    public Producer(final long producerId)
    {
        this(producerId, 1);
    }

    public long producerId()
    {
        return producerId;
    }

    /** The sequence the next publish gets. */
    public long nextSequence()
    {
        return nextSequence;
    }

    /** Publishes sent and not yet answered (receipted or refused). */
    public int unreceiptedCount()
    {
        return unreceipted.size();
    }

    /**
     * Sends every unanswered publish again through {@code client}, oldest first, with its producer id and sequence,
     * and waits for each answer: the daemon enqueues those it never applied and answers the others with their
     * original receipts. Blocking; call it on a new client after a reconnect.
     *
     * @return how many were sent again.
     * @throws RingmqException if the daemon refuses one or does not answer in time (the rest stay unanswered).
     */
    public int resendUnreceipted(final RingmqClient client)
    {
        final long[] sequences = sentOrder.toLongArray();
        sequenceByCorrelation.clear(); // answers to the old client's correlation ids can no longer come
        final java.util.Map<String, Publisher> publishers = new java.util.HashMap<>();
        int resent = 0;
        for (final long sequence : sequences)
        {
            final Unreceipted publish = unreceipted.get(sequence);
            if (null != publish)
            {
                publishers.computeIfAbsent(publish.queue, client::publisher).resend(this, publish);
                resent++;
            }
        }
        return resent;
    }

    /** The next sequence, for a publish about to be sent: kept until answered. */
    long track(
        final long correlationId,
        final String queue,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength,
        final OutgoingMessage message)
    {
        final long sequence = nextSequence++;
        final Unreceipted publish = pool.isEmpty() ? new Unreceipted() : pool.remove(pool.size() - 1);
        publish.queue = queue;
        publish.sequence = sequence;
        publish.payloadLength = Unreceipted.copy(payload, payloadOffset, payloadLength, publish.payload);
        publish.headersLength = null == message ? 0 :
            Unreceipted.copy(message.headers(), 0, message.headersLength(), publish.headers);
        publish.messageIdLength = null == message ? 0 :
            Unreceipted.copy(message.messageIdBytes(), 0, message.messageIdLength(), publish.messageId);
        publish.priority = null == message ? Priority.DEFAULT : message.priority();
        publish.delayMs = null == message ? 0 : message.delayMs();
        publish.deliverAtMs = null == message ? 0 : message.deliverAtMs();
        publish.ttlMs = null == message ? 0 : message.ttlMs();
        publish.correlationId = correlationId;
        unreceipted.put(sequence, publish);
        sentOrder.addLong(sequence);
        sequenceByCorrelation.put(correlationId, sequence);
        return sequence;
    }

    /** A resend goes out under a new correlation id. */
    void tracking(final long correlationId, final long sequence)
    {
        sequenceByCorrelation.put(correlationId, sequence);
        final Unreceipted publish = unreceipted.get(sequence);
        if (null != publish)
        {
            publish.correlationId = correlationId;
        }
    }

    /** The unanswered publishes, oldest first (a copy of the order: the action may see answers arrive). */
    void forEachUnreceipted(final java.util.function.Consumer<Unreceipted> action)
    {
        for (final long sequence : sentOrder.toLongArray())
        {
            final Unreceipted publish = unreceipted.get(sequence);
            if (null != publish)
            {
                action.accept(publish);
            }
        }
    }

    /** The daemon answered the publish with this correlation id (a receipt or a refusal): its copy goes. */
    void answered(final long correlationId)
    {
        final long sequence = sequenceByCorrelation.remove(correlationId);
        if (Long.MIN_VALUE == sequence)
        {
            return;
        }
        final Unreceipted publish = unreceipted.remove(sequence);
        if (null != publish)
        {
            sentOrder.removeLong(sequence); // answers come about in order: the first entries, found at once
            publish.queue = null;
            pool.add(publish);
        }
    }
}
