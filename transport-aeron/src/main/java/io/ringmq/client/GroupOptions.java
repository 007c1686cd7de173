package io.ringmq.client;

import io.ringmq.codecs.DispatchStrategy;

/**
 * Settings a client asks for when it declares a consumer group ({@link RingmqClient#declareGroup}): how the group's
 * consumers share its messages and where its dead letters go. Unset, the queue's strategy applies and dead letters
 * go to {@code <queue>.dlq}. Immutable: each setter returns a new instance.
 */
public final class GroupOptions
{
    private static final GroupOptions UNSET = new GroupOptions(DispatchStrategy.DEFAULT, "", SeekTarget.UNCONSUMED);

    private final DispatchStrategy strategy;
    private final String deadLetterQueue;
    private final SeekTarget start;

    private GroupOptions(final DispatchStrategy strategy, final String deadLetterQueue, final SeekTarget start)
    {
        this.strategy = strategy;
        this.deadLetterQueue = deadLetterQueue;
        this.start = start;
    }

    public static GroupOptions unset()
    {
        return UNSET;
    }

    /** The group's consumers take turns. */
    public GroupOptions roundRobin()
    {
        return new GroupOptions(DispatchStrategy.ROUND_ROBIN, deadLetterQueue, start);
    }

    /** The consumer of the group with the fewest deliveries in flight gets the next message. */
    public GroupOptions leastOutstanding()
    {
        return new GroupOptions(DispatchStrategy.LEAST_OUTSTANDING, deadLetterQueue, start);
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
        return new GroupOptions(strategy, queue, start);
    }

    /**
     * Where a new group starts (an existing group is not moved: {@link RingmqClient#seek} does that). Unset: at the
     * oldest message no group has consumed yet.
     */
    public GroupOptions startAt(final SeekTarget start)
    {
        return new GroupOptions(strategy, deadLetterQueue, start);
    }

    SeekTarget start()
    {
        return start;
    }

    DispatchStrategy strategy()
    {
        return strategy;
    }

    String deadLetterQueue()
    {
        return deadLetterQueue;
    }

    public String toString()
    {
        return "GroupOptions{strategy=" + strategy + ", deadLetterQueue='" + deadLetterQueue + "', start=" + start + "}";
    }
}
