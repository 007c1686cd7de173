package io.ringmq.client;

import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.core.protocol.HeaderFilter;

/**
 * Settings a client asks for when it declares a consumer group ({@link RingmqClient#declareGroup}): how the group's
 * consumers share its messages and where its dead letters go. Unset, the queue's strategy applies and dead letters
 * go to {@code <queue>.dlq}, and the group gets every message. Immutable: each setter returns a new instance.
 */
public final class GroupOptions
{
    private static final GroupOptions UNSET =
        new GroupOptions(DispatchStrategy.DEFAULT, "", SeekTarget.UNCONSUMED, "");

    private final DispatchStrategy strategy;
    private final String deadLetterQueue;
    private final SeekTarget start;
    private final String filter;

    private GroupOptions(
        final DispatchStrategy strategy, final String deadLetterQueue, final SeekTarget start, final String filter)
    {
        this.strategy = strategy;
        this.deadLetterQueue = deadLetterQueue;
        this.start = start;
        this.filter = filter;
    }

    public static GroupOptions unset()
    {
        return UNSET;
    }

    /** The group's consumers take turns. */
    public GroupOptions roundRobin()
    {
        return new GroupOptions(DispatchStrategy.ROUND_ROBIN, deadLetterQueue, start, filter);
    }

    /** The consumer of the group with the fewest deliveries in flight gets the next message. */
    public GroupOptions leastOutstanding()
    {
        return new GroupOptions(DispatchStrategy.LEAST_OUTSTANDING, deadLetterQueue, start, filter);
    }

    /**
     * The queue this group's dead letters go to, instead of {@code <queue>.dlq}: not the group's own queue, nor one
     * whose dead letters lead back to it (the daemon refuses a dead-letter cycle).
     */
    public GroupOptions deadLetterQueue(final String queue)
    {
        if (null == queue || queue.isEmpty())
        {
            throw new IllegalArgumentException("dead-letter queue name must not be empty");
        }
        return new GroupOptions(strategy, queue, start, filter);
    }

    /**
     * Where a new group starts (an existing group is not moved: {@link RingmqClient#seek} does that). Unset: at the
     * oldest message no group has consumed yet.
     */
    public GroupOptions startAt(final SeekTarget start)
    {
        return new GroupOptions(strategy, deadLetterQueue, start, filter);
    }

    SeekTarget start()
    {
        return start;
    }

    /**
     * Version 9, delivery control: the group gets only the messages whose headers match {@code expression} (e.g.
     * {@code region=eu && price>=100}; the README's Filters section has the grammar) and settles the others as
     * filtered, never delivering them (a seek or a start point included). Checked here, so a bad expression fails
     * before anything is sent.
     *
     * @throws IllegalArgumentException naming what is wrong with the expression.
     */
    public GroupOptions filter(final String expression)
    {
        return new GroupOptions(strategy, deadLetterQueue, start, HeaderFilter.parse(expression).expression());
    }

    DispatchStrategy strategy()
    {
        return strategy;
    }

    String deadLetterQueue()
    {
        return deadLetterQueue;
    }

    /** The filter expression, empty for none. */
    String filter()
    {
        return filter;
    }

    public String toString()
    {
        return "GroupOptions{strategy=" + strategy + ", deadLetterQueue='" + deadLetterQueue + "', start=" + start +
            ", filter='" + filter + "'}";
    }
}
