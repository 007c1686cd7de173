package io.ringmq.client;

import java.util.Random;

/**
 * The correlation ids of one owner in a client: the client itself (owner 0: connect, subscribe, declare, admin) or
 * one of its publishers. The owner sits in the top bits, so a response finds its publisher without a lookup per
 * request; below it, a count that starts at a random place.
 * <p>
 * The random start is defence in depth. The daemon only ever answers a command to the session that sent it, so
 * another client cannot make it answer with ids of this client's; but a count from 1 is the first thing such a client
 * would try, and a guessed id in an answer that did reach this client would fail the request waiting on it (a
 * publishAndWait whose publish was journaled, inviting a duplicate).
 *
 * <pre>
 *   63      40 39                                    0
 *  +----------+---------------------------------------+
 *  |  owner   |  count (random start, wraps in place)  |
 *  +----------+---------------------------------------+
 * </pre>
 * Not thread-safe: owned by the client's thread.
 */
final class CorrelationIds
{
    static final int OWNER_SHIFT = 40;
    private static final long COUNT_MASK = (1L << OWNER_SHIFT) - 1;

    private final long owner;
    private long count;

    /**
     * @param ownerId 0 for the client itself, else a publisher's id (below 2^23, so ids stay positive).
     * @param random  where the start of the count comes from.
     */
    CorrelationIds(final int ownerId, final Random random)
    {
        this.owner = (long)ownerId << OWNER_SHIFT;
        this.count = random.nextLong() & COUNT_MASK;
    }

    /** The next id; never 0, which on the wire means "no correlation id". */
    long next()
    {
        count = (count + 1) & COUNT_MASK;
        final long id = owner | count;
        return 0 == id ? next() : id;
    }

    /** The owner an id of this kind names: 0 for the client itself, else a publisher's id. */
    static int ownerOf(final long correlationId)
    {
        return (int)(correlationId >>> OWNER_SHIFT);
    }
}
