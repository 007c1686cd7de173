package io.ringmq.core.state;

import io.ringmq.codecs.ErrorCode;

/**
 * Sends deliveries and browses of messages whose payload left memory ({@link MessageView#payloadInJournal()}) with
 * the payload read back from the journal record that stored it; passes everything else on untouched. It sits between
 * the state machine and the egress: the state machine decided the delivery exactly as for a payload in memory, so
 * replay and the standby (whose outputs are discarded) make the same decisions without reading anything back.
 * <p>
 * A record the journal no longer holds (a journal deleted by hand, or a node that took its state from another's
 * snapshot) cannot be sent: the session is told so with a {@code GENERIC_ERROR} naming the queue sequence, the
 * delivery stays in flight and times out as any unanswered delivery does, and {@link #recordsMissing()} counts it.
 * <p>
 * Not thread-safe: the thread that applies commands, as the state machine's sink.
 */
public final class PayloadReadBack extends ForwardingSink
{
    private final JournalRecords records;
    private final ReadBackMessage readBack = new ReadBackMessage();
    private long readBackCount;
    private long recordsMissing;

    public PayloadReadBack(final OutputSink next, final JournalRecords records)
    {
        super(next);
        this.records = records;
    }

    public void onDeliver(final long sessionId, final long consumerId, final int attempt, final MessageView message)
    {
        if (!message.payloadInJournal())
        {
            super.onDeliver(sessionId, consumerId, attempt, message);
        }
        else if (readBack(sessionId, 0, message))
        {
            super.onDeliver(sessionId, consumerId, attempt, readBack);
        }
    }

    public void onBrowsed(final long sessionId, final long correlationId, final MessageView message)
    {
        if (!message.payloadInJournal())
        {
            super.onBrowsed(sessionId, correlationId, message);
        }
        else if (readBack(sessionId, correlationId, message))
        {
            super.onBrowsed(sessionId, correlationId, readBack);
        }
    }

    /** Payloads read back from the journal since start. */
    public long readBackCount()
    {
        return readBackCount;
    }

    /** Deliveries and browses not sent because their payload's record was gone. */
    public long recordsMissing()
    {
        return recordsMissing;
    }

    private boolean readBack(final long sessionId, final long correlationId, final MessageView message)
    {
        if (readBack.readBack(message, records))
        {
            readBackCount++;
            return true;
        }
        recordsMissing++;
        super.onError(sessionId, correlationId, ErrorCode.GENERIC_ERROR, "the payload of message " +
            message.sequence() + " left memory and its journal record (log sequence " + message.payloadLogSequence() +
            ") can no longer be read");
        return false;
    }
}
