package io.ringmq.core.state;

import io.ringmq.codecs.NodeStartedDecoder;
import io.ringmq.codecs.NodeStartedEncoder;

/**
 * Bounds on what clients may make the state machine hold: sessions open at once, queues, and consumers per session.
 * Past each, the command that would pass it is refused with its own error code (TOO_MANY_SESSIONS, TOO_MANY_QUEUES,
 * TOO_MANY_CONSUMERS) and everything else goes on. Dead-letter queues the machine makes itself are never refused: a
 * dead letter is not lost to the queue bound, the queue is made and counts towards it.
 * <p>
 * A run's bounds arrive in its NodeStarted (schema version 6), so a replay refuses exactly what the live run did; a
 * NodeStarted of an older version bounds nothing, as those runs did not. {@link #UNBOUNDED} (0) in a field is no
 * bound.
 */
public record ClientLimits(int maxSessions, int maxQueues, int maxConsumersPerSession)
{
    /** The schema version whose NodeStarted first carries the bounds. */
    static final int SINCE_VERSION = 6;
    /** No bound, in any field. */
    public static final int UNBOUNDED = 0;
    /** Bounds nothing: runs before schema version {@value #SINCE_VERSION}, and a machine before its first run. */
    public static final ClientLimits NONE = new ClientLimits(UNBOUNDED, UNBOUNDED, UNBOUNDED);

    /**
     * The bounds a NodeStarted carries: none if it was written before they existed, and none for a field that is not
     * positive.
     */
    static ClientLimits of(final NodeStartedDecoder nodeStarted)
    {
        if (!carriesBounds(nodeStarted))
        {
            return NONE;
        }
        return new ClientLimits(Math.max(nodeStarted.maxSessions(), UNBOUNDED),
            Math.max(nodeStarted.maxQueues(), UNBOUNDED), Math.max(nodeStarted.maxConsumersPerSession(), UNBOUNDED));
    }

    /** The default max.bytes of queues a NodeStarted carries: {@link QueueLimits#NONE} where it carries none. */
    static long defaultMaxQueueBytes(final NodeStartedDecoder nodeStarted)
    {
        final long maxBytes = carriesBounds(nodeStarted) ? nodeStarted.defaultMaxQueueBytes() : 0;
        return maxBytes > 0 ? maxBytes : QueueLimits.NONE;
    }

    /**
     * Whether the NodeStarted was written with the bounds: schema version {@value #SINCE_VERSION} or later, and a
     * block long enough to hold them (a version 6 daemon from before they were added wrote a shorter one; version 7
     * added fields after them). NodeStarted has no variable-length fields, so the decoder's limit stays at the end of
     * its block.
     */
    private static boolean carriesBounds(final NodeStartedDecoder nodeStarted)
    {
        return nodeStarted.actingVersion() >= SINCE_VERSION && nodeStarted.limit() - nodeStarted.offset() >=
            NodeStartedDecoder.defaultMaxQueueBytesEncodingOffset() + Long.BYTES;
    }

    /** Writes these bounds into a NodeStarted. */
    public NodeStartedEncoder writeTo(final NodeStartedEncoder nodeStarted)
    {
        return nodeStarted.maxSessions(maxSessions)
            .maxQueues(maxQueues)
            .maxConsumersPerSession(maxConsumersPerSession);
    }

    boolean admitsSession(final int open)
    {
        return UNBOUNDED == maxSessions || open < maxSessions;
    }

    boolean admitsQueue(final int existing)
    {
        return UNBOUNDED == maxQueues || existing < maxQueues;
    }

    boolean admitsConsumer(final int attached)
    {
        return UNBOUNDED == maxConsumersPerSession || attached < maxConsumersPerSession;
    }

    public String toString()
    {
        return "maxSessions=" + bound(maxSessions) + " maxQueues=" + bound(maxQueues) + " maxConsumersPerSession=" +
            bound(maxConsumersPerSession);
    }

    private static String bound(final int value)
    {
        return UNBOUNDED == value ? "none" : Integer.toString(value);
    }
}
