package io.ringmq.core.state;

import io.ringmq.codecs.NodeStartedDecoder;
import io.ringmq.codecs.NodeStartedEncoder;

import java.util.concurrent.TimeUnit;

/**
 * How much of its past the state machine remembers to recognise a publish it has applied already: each producer's
 * recent sequences for {@code windowMs} after the producer's last publish, at most {@code maxProducers} producers
 * (the least recently used forgotten past it), and each message id for {@code idWindowMs} after its publish, at most
 * {@code maxIds} ids (the oldest forgotten past it).
 * <p>
 * A run's values arrive in its NodeStarted (schema version 7), so a replay recognises exactly what the live run did; a
 * NodeStarted of an older version remembers nothing, as those runs did not (their publishes carried no ids). 0 in a
 * window or a bound remembers nothing of that kind.
 */
public record DedupLimits(long windowMs, int maxProducers, long idWindowMs, int maxIds)
{
    /** The schema version whose NodeStarted first carries the values. */
    static final int SINCE_VERSION = 7;
    /** Remembers nothing: runs before schema version {@value #SINCE_VERSION}, and a machine before its first run. */
    public static final DedupLimits NONE = new DedupLimits(0, 0, 0, 0);

    static DedupLimits of(final NodeStartedDecoder nodeStarted)
    {
        if (nodeStarted.actingVersion() < SINCE_VERSION ||
            nodeStarted.limit() - nodeStarted.offset() <
            NodeStartedDecoder.maxDedupIdsEncodingOffset() + Integer.BYTES) // not BLOCK_LENGTH: version 10 added after
        {
            return NONE;
        }
        return new DedupLimits(Math.max(0, nodeStarted.dedupWindowMs()), Math.max(0, nodeStarted.maxDedupProducers()),
            Math.max(0, nodeStarted.dedupIdWindowMs()), Math.max(0, nodeStarted.maxDedupIds()));
    }

    /** Writes these values into a NodeStarted. */
    public NodeStartedEncoder writeTo(final NodeStartedEncoder nodeStarted)
    {
        return nodeStarted.dedupWindowMs(windowMs)
            .maxDedupProducers(maxProducers)
            .dedupIdWindowMs(idWindowMs)
            .maxDedupIds(maxIds);
    }

    long windowNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(windowMs);
    }

    long idWindowNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(idWindowMs);
    }

    boolean remembersProducers()
    {
        return windowMs > 0 && maxProducers > 0;
    }

    boolean remembersIds()
    {
        return idWindowMs > 0 && maxIds > 0;
    }

    public String toString()
    {
        return "dedupWindowMs=" + windowMs + " maxDedupProducers=" + maxProducers + " dedupIdWindowMs=" + idWindowMs +
            " maxDedupIds=" + maxIds;
    }
}
