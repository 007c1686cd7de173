package io.ringmq.core.state;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds the dead-letter cycle a new group would close. Groups that name each other's queues as their dead-letter
 * queues pass a message that keeps failing round and round, each group of each queue on the way dead-lettering its
 * own copy: the copies grow geometrically with time and no client has to do anything more (a denial of service
 * found by {@code HostileInputTest}'s fuzz). Like RabbitMQ with dead-letter exchange cycles, ringmq does not let one
 * form: the group that would close it is refused.
 * <p>
 * The graph's edges go from each queue to the dead-letter queue of each of its groups and, conservatively, from every
 * name {@code N} to {@code N.dlq}, whether or not a queue of that name exists: any queue may get a group with the
 * default dead-letter queue by a subscribe later, and a queue without groups dead-letters there on its limits.
 * Default edges alone never close a cycle (each makes the name longer), so a graph grown only by groups this check let
 * through has none, and a group of queue {@code X} dead-lettering to {@code D} closes one exactly when {@code X} can be
 * reached from {@code D}. A group with the default dead-letter queue adds an edge that is already assumed.
 * <p>
 * For declarations only: allocates. Not thread-safe: owned by the thread that applies commands.
 */
final class DeadLetterCycles
{
    /** ASCII, like every error message: a terminal or log that is not UTF-8 shows it as written. */
    private static final String ARROW = " -> ";

    /** How a name was reached: from which name, by which edge. */
    private record Hop(String from, String edge)
    {
    }

    private DeadLetterCycles()
    {
    }

    /**
     * @param queueName the group's queue, which need not exist yet (a declaration checks before it creates anything).
     * @return the cycle a new group {@code groupName} of {@code queueName} dead-lettering to {@code deadLetterQueue}
     *         would close, as text from the dead-letter queue round to it again, a shortest way (e.g.
     *         {@code b (group gb) -> a (group ga) -> b}); null if it would close none.
     */
    static String closedBy(
        final QueueIndex queues, final String queueName, final String groupName, final String deadLetterQueue)
    {
        // Past the longest of these names, only default edges lead on, to ever longer names: neither the queue nor a
        // queue with groups can be reached from there.
        int longestName = queueName.length();
        for (final Queue existing : queues.queues())
        {
            if (!existing.groups.isEmpty())
            {
                longestName = Math.max(longestName, existing.name.length());
            }
        }

        final Map<String, Hop> reachedBy = new HashMap<>();
        final ArrayDeque<String> toVisit = new ArrayDeque<>();
        reachedBy.put(deadLetterQueue, null);
        toVisit.add(deadLetterQueue);
        while (!toVisit.isEmpty())
        {
            final String name = toVisit.poll();
            if (name.equals(queueName))
            {
                return path(reachedBy, name) + " (group " + groupName + ")" + ARROW + deadLetterQueue;
            }
            final Queue from = queues.get(name);
            if (null != from)
            {
                for (final ConsumerGroup group : from.groups)
                {
                    reach(reachedBy, toVisit, name, group.deadLetterQueue, "group " + group.name);
                }
            }
            final String byDefault = name + QueueStateMachine.DLQ_SUFFIX;
            if (byDefault.length() <= longestName)
            {
                reach(reachedBy, toVisit, name, byDefault, "by default");
            }
        }
        return null;
    }

    private static void reach(
        final Map<String, Hop> reachedBy,
        final ArrayDeque<String> toVisit,
        final String from,
        final String to,
        final String edge)
    {
        if (!reachedBy.containsKey(to))
        {
            reachedBy.put(to, new Hop(from, edge));
            toVisit.add(to);
        }
    }

    /** The names from where the search started to {@code last}, each but the last with the edge it left by. */
    private static String path(final Map<String, Hop> reachedBy, final String last)
    {
        final StringBuilder path = new StringBuilder(last);
        for (Hop hop = reachedBy.get(last); null != hop; hop = reachedBy.get(hop.from()))
        {
            path.insert(0, hop.from() + " (" + hop.edge() + ")" + ARROW);
        }
        return path.toString();
    }
}
