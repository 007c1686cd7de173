package io.ringmq.core.state;

import io.ringmq.core.protocol.Priority;

/**
 * A queue's messages by priority: one lane per priority (0 lowest, 9 highest), each the queue's sequences of that
 * priority in publish order. A message's place in its lane is its lane position (1, 2, 3, ... per lane), and each
 * group keeps one position per lane where a queue without priorities kept one cursor: a message not yet given to a
 * group is one at or past the group's position in its lane. Finding the next message to deliver therefore looks at
 * ten lane heads, never scans or sorts the messages: O(1) per message however priorities mix.
 * <p>
 * A lane is a {@link SequenceMap} from lane position to sequence, so it costs what the queue's own index costs:
 * memory follows the span from the oldest message still held to the newest, a message leaving removes its entry, and
 * a warmed-up queue allocates nothing. While every message has one priority, positions in that lane equal sequences.
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class PriorityLanes
{
    static final int LOWEST = Priority.LOWEST;
    static final int HIGHEST = Priority.HIGHEST;
    static final int COUNT = HIGHEST + 1;
    /** A message published without one (and every message journaled before priorities existed): the JMS default. */
    static final int DEFAULT_PRIORITY = Priority.DEFAULT;
    /** Lane positions start here, as sequences do. */
    static final long FIRST_POSITION = 1;
    private static final long NONE = 0;

    private final SequenceMap[] lanes = new SequenceMap[COUNT];
    /** The position the next message of each priority takes. */
    private final long[] ends = new long[COUNT];

    PriorityLanes()
    {
        for (int priority = LOWEST; priority <= HIGHEST; priority++)
        {
            lanes[priority] = new SequenceMap(NONE);
            ends[priority] = FIRST_POSITION;
        }
    }

    /** @return the message's position in its lane. */
    long add(final int priority, final long sequence)
    {
        final long position = ends[priority]++;
        lanes[priority].put(position, sequence);
        return position;
    }

    /** The message left the queue. */
    void remove(final int priority, final long position)
    {
        lanes[priority].remove(position);
    }

    /** The sequence at a lane position, or 0 if the message there has left (or none was ever there). */
    long sequenceAt(final int priority, final long position)
    {
        return lanes[priority].get(position);
    }

    /** The lowest position of the lane whose message is still held, or {@link #end} if none is. */
    long first(final int priority)
    {
        return Math.min(lanes[priority].firstKey(), ends[priority]);
    }

    /** The position the next message of this priority will take. */
    long end(final int priority)
    {
        return ends[priority];
    }

    /** Restoring a snapshot: puts a held message back at its position; positions ascend within a lane. */
    void restore(final int priority, final long position, final long sequence)
    {
        lanes[priority].put(position, sequence);
        ends[priority] = Math.max(ends[priority], position + 1);
    }

    /** Restoring a snapshot: the lane's next position (past messages that have all left). */
    void restoreEnd(final int priority, final long end)
    {
        ends[priority] = Math.max(ends[priority], end);
    }
}
