package io.ringmq.http;

/**
 * One receive: the group to take messages for, how many at most, how long to wait for the first one, and how long
 * each stays invisible once handed out.
 *
 * @param group               consumer group; created on the queue if it does not exist.
 * @param max                 1 to {@link #MAX_MESSAGES}.
 * @param waitMs              0 (answer at once) to {@link #MAX_WAIT_MS}.
 * @param visibilityTimeoutMs 0 for the queue's own, else 1 ms to 12 h from the moment the message is handed out.
 */
public record ReceiveRequest(String group, int max, long waitMs, long visibilityTimeoutMs)
{
    public static final int MAX_MESSAGES = 10;
    public static final long MAX_WAIT_MS = 20_000;
    public static final long MAX_VISIBILITY_TIMEOUT_MS = 12L * 60 * 60 * 1000;

    public ReceiveRequest
    {
        if (null == group || group.isEmpty())
        {
            throw new IllegalArgumentException("group must be named");
        }
        if (max < 1 || max > MAX_MESSAGES)
        {
            throw new IllegalArgumentException("max=" + max + " must be between 1 and " + MAX_MESSAGES);
        }
        if (waitMs < 0 || waitMs > MAX_WAIT_MS)
        {
            throw new IllegalArgumentException("waitMs=" + waitMs + " must be between 0 and " + MAX_WAIT_MS);
        }
        if (visibilityTimeoutMs < 0 || visibilityTimeoutMs > MAX_VISIBILITY_TIMEOUT_MS)
        {
            throw new IllegalArgumentException("visibilityTimeoutMs=" + visibilityTimeoutMs +
                " must be 0 (the queue's) or between 1 and " + MAX_VISIBILITY_TIMEOUT_MS);
        }
    }
}
