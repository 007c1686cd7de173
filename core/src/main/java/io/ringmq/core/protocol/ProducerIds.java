package io.ringmq.core.protocol;

/**
 * Producer ids, for idempotent publish: an application chooses its own from 1 to {@link #MAX_CHOSEN}, or takes the one
 * the daemon issues its session at connect ({@link #issuedFor}), above that range, so the two never meet. Either kind
 * stays the producer's after a reconnect: the daemon remembers what a producer published by its id, not by its
 * session. 0 is no producer. Stateless.
 */
public final class ProducerIds
{
    /** No producer: the publish is not deduplicated by producer. */
    public static final long NONE = 0;
    /** Ids from here up are issued by the daemon. */
    public static final long ISSUED_BASE = 1L << 62;
    public static final long MAX_CHOSEN = ISSUED_BASE - 1;
    /**
     * How many of a producer's latest applied sequences the daemon remembers, and so the most publishes a producer
     * may have unanswered: a resend of one older than that is not recognised and is stored again. Part of the state's
     * rules (a replay must remember what the run did), so it never changes for a journal already written.
     */
    public static final int REMEMBERED_SEQUENCES = 256;

    private ProducerIds()
    {
    }

    /** The producer id the daemon issues a session: unique, as session ids are never reused by a state. */
    public static long issuedFor(final long sessionId)
    {
        return ISSUED_BASE | sessionId;
    }
}
