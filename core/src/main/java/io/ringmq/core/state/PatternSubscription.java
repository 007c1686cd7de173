package io.ringmq.core.state;

import io.ringmq.core.protocol.QueuePattern;

import java.util.ArrayList;

/**
 * A session's subscription to a pattern of queue names ({@code orders.*}, {@code orders.>}): what each queue it
 * matches, existing or created later, is given, namely one ordinary {@link Consumer} of the named group with this
 * subscription's prefetch and visibility timeout. Credits are therefore per attached queue. State like any other: in
 * snapshots, rebuilt by replay, the same on the standby.
 */
final class PatternSubscription
{
    /** From the consumer ids' sequence: an Unsubscribe of this id detaches every attached consumer. */
    final long id;
    final long sessionId;
    /** The Subscribe that made it: each Attached names it, so the client knows which subscription a queue joined. */
    final long correlationId;
    final QueuePattern pattern;
    final String groupName;
    final int prefetch;
    final long visibilityTimeoutNs;
    /** The consumers it attached that are still attached, in the order they were. */
    final ArrayList<Consumer> attached = new ArrayList<>();

    PatternSubscription(
        final long id,
        final long sessionId,
        final long correlationId,
        final QueuePattern pattern,
        final String groupName,
        final int prefetch,
        final long visibilityTimeoutNs)
    {
        this.id = id;
        this.sessionId = sessionId;
        this.correlationId = correlationId;
        this.pattern = pattern;
        this.groupName = groupName;
        this.prefetch = prefetch;
        this.visibilityTimeoutNs = visibilityTimeoutNs;
    }
}
