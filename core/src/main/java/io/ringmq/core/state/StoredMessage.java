package io.ringmq.core.state;

import io.ringmq.codecs.DeadLetterReason;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A message held in memory until every consumer group it is for has settled it: every group of its queue, or, for a
 * dead letter redriven here, the one group that dead-lettered it. Recycled through {@link MessagePool}; its buffer
 * only ever grows, so a warmed-up pool allocates nothing.
 */
final class StoredMessage implements MessageView
{
    /** {@link #onlyForGroupId} of a message for every group of its queue (group ids start at 1). */
    static final long EVERY_GROUP = 0;
    /** {@link #lanePosition} of a message held back: past every group's position, so every group still needs it. */
    static final long HELD = Long.MAX_VALUE;
    static final long NOT_HELD = Long.MIN_VALUE;
    static final long NEVER = Long.MAX_VALUE;
    /** {@link #keptTicket} of a message not kept as consumed. */
    static final long NOT_KEPT = 0;
    private static final int MIN_CAPACITY = 128;
    /** {@link #payloadLogSequence} of a message whose payload lives in memory only (never read back). */
    static final long NOT_IN_JOURNAL = 0;
    /**
     * Every buffer a message does not have (no headers, no id, no reply queue, a payload evicted) is this one: a message
     * held costs its fields, not four buffers. Never written to: a copy into it takes a buffer of its own first.
     */
    private static final UnsafeBuffer NONE = new UnsafeBuffer(new byte[0]);

    long sequence;
    /** 0-9, higher delivered first ({@link PriorityLanes}); set as it enters a queue. */
    int priority = PriorityLanes.DEFAULT_PRIORITY;
    /** Its place in its queue's lane of its priority; {@link #HELD} while it is held back (a delayed publish). */
    long lanePosition;
    /** A delayed message waits until this command time, off the lanes; {@link #NOT_HELD} once it is available. */
    long heldUntilNs = NOT_HELD;
    /** When it expires (a per-message time to live); {@link #NEVER} without one. */
    long expiresAtNs = NEVER;
    /** Its places in the {@link MessageDeadlines} heaps it waits in. */
    int heldIndex = MessageDeadlines.NOT_IN_HEAP;
    int expiryIndex = MessageDeadlines.NOT_IN_HEAP;
    long publishTimestampNs;
    /** When it entered this queue (published, dead-lettered or redriven here): its age counts from then. */
    long enqueuedNs;
    /** Groups that have not yet acked this message. */
    int unsettledGroups;
    /** Every group acked it and its queue keeps it ({@link ConsumedMessages}): its entry's ticket; else NOT_KEPT. */
    long keptTicket = NOT_KEPT;
    /** When it was consumed and kept (command time); meaningful while kept. */
    long keptAtNs;
    /**
     * The one group a redriven dead letter went back to; the queue's other groups, and groups created later, never
     * see it. {@link #EVERY_GROUP} for everything else.
     */
    long onlyForGroupId = EVERY_GROUP;
    /** Dead letters only: why, after how many deliveries, from which queue and group. */
    DeadLetterReason deadLetterReason = DeadLetterReason.NONE;
    int deadLetterAttempts;
    String sourceQueue;
    String sourceGroup;
    /** The publisher's producer id and sequence (0, 0 for none): kept, shown, never used to find the message. */
    long producerId;
    long producerSequence;
    /**
     * The log sequence of the journal record (a Publish) that holds this message's payload, so that the payload can be
     * read back from the journal after it leaves memory; {@link #NOT_IN_JOURNAL} for a message of a queue that keeps
     * nothing (it never needs reading back) or one not stored by a Publish (a reply enqueued on a queue).
     */
    long payloadLogSequence = NOT_IN_JOURNAL;
    /** Its payload left memory ({@link #evictPayload}): only its length is here; the journal has the bytes. */
    private boolean payloadEvicted;
    private UnsafeBuffer payload = new UnsafeBuffer(new byte[MIN_CAPACITY]);
    private int length;
    private UnsafeBuffer headers = NONE;
    private int headersLength;
    private UnsafeBuffer messageId = NONE;
    private int messageIdLength;
    /** A request's id (or, for a reply enqueued on a queue, its request's); 0 for neither. */
    long requestId;
    /** A request answered to its requester's session: that session; else 0. */
    long replySessionId;
    /** A request answered onto a queue: its name's bytes; length 0 otherwise. */
    private UnsafeBuffer replyTo = NONE;
    private int replyToLength;

    void set(
        final long sequence,
        final long publishTimestampNs,
        final long enqueuedNs,
        final DirectBuffer source,
        final int offset,
        final int length)
    {
        if (payloadEvicted || length > payload.capacity())
        {
            payload = new UnsafeBuffer(new byte[Math.max(MIN_CAPACITY, BitUtil.findNextPositivePowerOfTwo(length))]);
            payloadEvicted = false;
        }
        payload.putBytes(0, source, offset, length);
        this.length = length;
        this.payloadLogSequence = NOT_IN_JOURNAL;
        this.sequence = sequence;
        this.publishTimestampNs = publishTimestampNs;
        this.enqueuedNs = enqueuedNs;
        this.onlyForGroupId = EVERY_GROUP;
        this.heldUntilNs = NOT_HELD;
        this.expiresAtNs = NEVER;
        this.keptTicket = NOT_KEPT;
        this.deadLetterReason = DeadLetterReason.NONE;
        this.deadLetterAttempts = 0;
        this.sourceQueue = null;
        this.sourceGroup = null;
        this.producerId = 0;
        this.producerSequence = 0;
        this.headersLength = 0;
        this.messageIdLength = 0;
        this.requestId = 0;
        this.replySessionId = 0;
        this.replyToLength = 0;
    }

    /** Makes it a request (replySessionId or replyTo says where its reply goes), or a reply (requestId only). */
    void setRequest(final long requestId, final long replySessionId, final DirectBuffer replyTo, final int length)
    {
        this.requestId = requestId;
        this.replySessionId = replySessionId;
        this.replyTo = copy(replyTo, length, this.replyTo);
        this.replyToLength = length;
    }

    /** Whether it is a request, whose delivery may be answered with a Reply. */
    boolean isRequest()
    {
        return 0 != replySessionId || 0 != replyToLength;
    }

    DirectBuffer replyTo()
    {
        return replyTo;
    }

    int replyToLength()
    {
        return replyToLength;
    }

    /** What the message carries besides its payload; buffers are copied (the pooled copies only ever grow). */
    void setMetadata(
        final long producerId,
        final long producerSequence,
        final DirectBuffer headers,
        final int headersLength,
        final DirectBuffer messageId,
        final int messageIdLength)
    {
        this.producerId = producerId;
        this.producerSequence = producerSequence;
        this.headers = copy(headers, headersLength, this.headers);
        this.headersLength = headersLength;
        this.messageId = copy(messageId, messageIdLength, this.messageId);
        this.messageIdLength = messageIdLength;
    }

    /** Takes another message's metadata: a dead letter or a redriven letter is the same message. */
    void copyMetadataFrom(final StoredMessage other)
    {
        setMetadata(other.producerId, other.producerSequence, other.headers, other.headersLength, other.messageId,
            other.messageIdLength);
        setRequest(other.requestId, other.replySessionId, other.replyTo, other.replyToLength);
    }

    /** @return the buffer now holding the bytes: {@code into}, or a bigger one of its own (never {@link #NONE}). */
    private static UnsafeBuffer copy(final DirectBuffer source, final int length, final UnsafeBuffer into)
    {
        UnsafeBuffer target = into;
        if (length > into.capacity())
        {
            target = new UnsafeBuffer(new byte[BitUtil.findNextPositivePowerOfTwo(length)]);
        }
        if (length > 0)
        {
            target.putBytes(0, source, 0, length);
        }
        return target;
    }

    /**
     * Lets the payload go from memory, keeping its length, when the journal holds it ({@link #payloadLogSequence}): a
     * kept message is then its fields only, however large its payload was. Deliveries of it are told where the payload
     * is ({@link #payloadInJournal()}) and the egress reads it back.
     *
     * @return the buffer that held it (for reuse by a later message), or null if it was not evicted now.
     */
    UnsafeBuffer evictPayload()
    {
        if (payloadEvicted || NOT_IN_JOURNAL == payloadLogSequence)
        {
            return null;
        }
        final UnsafeBuffer held = payload;
        payload = NONE;
        payloadEvicted = true;
        return held;
    }

    /** A message back from the pool whose payload was evicted takes a spare buffer, so storing it allocates nothing. */
    void reusePayloadBuffer(final UnsafeBuffer spare)
    {
        payload = spare;
        payloadEvicted = false;
    }

    /**
     * Makes it a message whose payload of {@code length} bytes is in the journal record at {@code logSequence}, not
     * in memory: a copy of an evicted message (a dead letter or a redriven letter of it), or one restored so.
     */
    void payloadEvictedAt(final long logSequence, final int length)
    {
        payload = NONE;
        payloadEvicted = true;
        payloadLogSequence = logSequence;
        this.length = length;
    }

    /** A copy owning its buffers, for a letter made after this message may have been recycled (allocates). */
    StoredMessage detachedCopy()
    {
        final StoredMessage copy = new StoredMessage();
        copy.set(sequence, publishTimestampNs, enqueuedNs, payload, 0, payloadEvicted ? 0 : length);
        if (payloadEvicted)
        {
            copy.payloadEvictedAt(payloadLogSequence, length);
        }
        copy.payloadLogSequence = payloadLogSequence;
        copy.priority = priority;
        copy.copyMetadataFrom(this);
        return copy;
    }

    /**
     * Whether the group gets this message: it is for every group and the group's filter lets it, or it is a letter
     * redriven to that group alone. A redrive is the operator's explicit request, so the group's filter (which may
     * have changed since, by deleting and declaring the group again) does not apply: otherwise the letter would be
     * held for a group that never takes it, and never leave.
     */
    boolean isFor(final ConsumerGroup group)
    {
        return EVERY_GROUP == onlyForGroupId ? group.accepts(this) : group.id == onlyForGroupId;
    }

    /** Whether every group acked it and its queue keeps it for a seek back. */
    boolean isKept()
    {
        return NOT_KEPT != keptTicket;
    }

    boolean isDeadLetter()
    {
        return DeadLetterReason.NONE != deadLetterReason;
    }

    void markDeadLetter(
        final DeadLetterReason reason, final int attempts, final String sourceQueue, final String sourceGroup)
    {
        this.deadLetterReason = reason;
        this.deadLetterAttempts = attempts;
        this.sourceQueue = sourceQueue;
        this.sourceGroup = sourceGroup;
    }

    /** Whether a group dead-lettered it (not a queue without groups, whose letters name none). */
    boolean hasSourceGroup()
    {
        return null != sourceGroup && !sourceGroup.isEmpty();
    }

    /** The payload's bytes; empty when {@link #payloadInJournal()} (its length is still {@link #length()}). */
    public DirectBuffer payload()
    {
        return payload;
    }

    public boolean payloadInJournal()
    {
        return payloadEvicted;
    }

    public long payloadLogSequence()
    {
        return payloadLogSequence;
    }

    int length()
    {
        return length;
    }

    public long sequence()
    {
        return sequence;
    }

    public long publishTimestampNs()
    {
        return publishTimestampNs;
    }

    public long producerId()
    {
        return producerId;
    }

    public long producerSequence()
    {
        return producerSequence;
    }

    public long requestId()
    {
        return requestId;
    }

    public int priority()
    {
        return priority;
    }

    public int payloadLength()
    {
        return length;
    }

    public DirectBuffer headers()
    {
        return headers;
    }

    public int headersLength()
    {
        return headersLength;
    }

    public DirectBuffer messageId()
    {
        return messageId;
    }

    public int messageIdLength()
    {
        return messageIdLength;
    }

    public DeadLetterReason deadLetterReason()
    {
        return deadLetterReason;
    }

    public int deadLetterAttempts()
    {
        return deadLetterAttempts;
    }

    public String sourceQueue()
    {
        return sourceQueue;
    }

    public String sourceGroup()
    {
        return sourceGroup;
    }
}
