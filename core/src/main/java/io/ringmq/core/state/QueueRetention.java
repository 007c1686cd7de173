package io.ringmq.core.state;

import io.ringmq.codecs.QueueRetentionDecoder;
import io.ringmq.codecs.QueueRetentionEncoder;

/**
 * What a queue keeps after every group has acked a message (schema version 9), like a Kafka topic's or a JetStream
 * limits stream's retention: consumed messages stay for {@code retainMs} after their last ack, and the newest of them
 * up to {@code retainBytes} payload bytes. 0 in a field = no bound of that kind; both 0 = nothing is kept (a queue as
 * before). Kept messages are what a group can {@code seek} back to. Immutable.
 */
record QueueRetention(long retainMs, long retainBytes)
{
    static final QueueRetention NONE = new QueueRetention(0, 0);

    /** @param retention null for a frame older than version 9: nothing kept. */
    static QueueRetention read(final QueueRetentionDecoder retention)
    {
        return null == retention ? NONE : new QueueRetention(retention.retainMs(), retention.retainBytes());
    }

    void writeTo(final QueueRetentionEncoder retention)
    {
        retention.retainMs(retainMs).retainBytes(retainBytes);
    }

    boolean keepsAny()
    {
        return retainMs > 0 || retainBytes > 0;
    }

    /** @return null when acceptable, else what is wrong. */
    String problem()
    {
        return retainMs < 0 || retainBytes < 0 ?
            "retainMs=" + retainMs + " and retainBytes=" + retainBytes + " must be 0 (not kept) or more" : null;
    }

    /** Whether a consumed message kept since {@code keptAtNs} has been kept long enough at {@code nowNs}. */
    boolean isDue(final long keptAtNs, final long nowNs)
    {
        return retainMs > 0 && nowNs - keptAtNs >= retainMs * 1_000_000L;
    }

    public String toString()
    {
        return "retain-ms=" + retainMs + " retain-bytes=" + retainBytes;
    }
}
