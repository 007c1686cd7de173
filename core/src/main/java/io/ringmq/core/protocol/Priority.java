package io.ringmq.core.protocol;

/**
 * A message's priority (schema version 8): 0 lowest, 9 highest; a group delivers higher first, FIFO within one. The
 * default is 4, as in JMS and RabbitMQ, so a publisher that sets none can be passed either way, and so a message
 * journaled before priorities existed (version 7 or older) has it.
 */
public final class Priority
{
    public static final short LOWEST = 0;
    public static final short HIGHEST = 9;
    public static final short DEFAULT = 4;

    private Priority()
    {
    }

    public static boolean isValid(final int priority)
    {
        return priority >= LOWEST && priority <= HIGHEST;
    }

    /** @throws IllegalArgumentException naming the rule, for a priority outside 0-9. */
    public static int checked(final int priority)
    {
        if (!isValid(priority))
        {
            throw new IllegalArgumentException("priority " + priority + " is invalid: must be " + LOWEST + " (lowest) to " +
                HIGHEST + " (highest)");
        }
        return priority;
    }
}
