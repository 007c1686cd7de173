package io.ringmq.core.state;

import io.ringmq.codecs.NodeStartedDecoder;
import io.ringmq.codecs.NodeStartedEncoder;

import java.util.concurrent.TimeUnit;

/**
 * A run's expiry settings (issue 17): how long a group may be without a consumer, and a queue idle, before either is
 * deleted; 0 = never.
 * <p>
 * They arrive in the run's NodeStarted (schema version {@value #SINCE_VERSION}), journaled, so a replay and the
 * standby expire at the points the live run did, whatever their own configuration says. A NodeStarted of an older
 * version expires nothing: that is how those journals are replayed.
 */
public record RunExpiry(long groupExpiryMs, long queueExpiryMs)
{
    /** The schema version whose NodeStarted first carries the settings. */
    static final int SINCE_VERSION = 10;
    /** Expires nothing: runs before schema version {@value #SINCE_VERSION}, and a machine before its first run. */
    public static final RunExpiry NONE = new RunExpiry(0, 0);

    public RunExpiry
    {
        if (groupExpiryMs < 0 || queueExpiryMs < 0)
        {
            throw new IllegalArgumentException(
                "expiry must be 0 (off) or more: group " + groupExpiryMs + " ms, queue " + queueExpiryMs + " ms");
        }
    }

    /**
     * The settings a NodeStarted carries: none if it was written before they existed (an older version, or a block
     * too short to hold them). NodeStarted has no variable-length fields, so the decoder's limit stays at the end of
     * its block.
     */
    static RunExpiry of(final NodeStartedDecoder nodeStarted)
    {
        if (nodeStarted.actingVersion() < SINCE_VERSION || nodeStarted.limit() - nodeStarted.offset() <
            NodeStartedDecoder.queueExpiryMsEncodingOffset() + Long.BYTES)
        {
            return NONE;
        }
        return new RunExpiry(Math.max(0, nodeStarted.groupExpiryMs()), Math.max(0, nodeStarted.queueExpiryMs()));
    }

    /** Writes these settings into a NodeStarted. */
    public NodeStartedEncoder writeTo(final NodeStartedEncoder nodeStarted)
    {
        return nodeStarted.groupExpiryMs(groupExpiryMs).queueExpiryMs(queueExpiryMs);
    }

    long groupExpiryNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(groupExpiryMs);
    }

    long queueExpiryNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(queueExpiryMs);
    }
}
