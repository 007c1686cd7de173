package io.ringmq.core.state;

/**
 * The expiry part of a snapshot (format {@value #SINCE_FORMAT}, issue 17), after {@link GroupIdleSnapshot}'s block:
 * the run's expiry settings as its NodeStarted carried them, then each queue's idle-since time
 * ({@link Queue#idleSinceNs}, {@link QueueExpiry#BUSY} if not idle), in creation order.
 * <p>
 * A snapshot of format 10 or older has none: its run expires nothing until the next NodeStarted that says otherwise
 * (as such a run's journal replays), and each queue idle when it was taken is idle from the snapshot's time.
 */
final class ExpirySnapshot
{
    /** The first snapshot format with this block. */
    static final int SINCE_FORMAT = 11;

    private ExpirySnapshot()
    {
    }

    static void write(final StateSnapshot.Writer out, final SharedState state)
    {
        out.putLong(state.runExpiry.groupExpiryMs());
        out.putLong(state.runExpiry.queueExpiryMs());
        for (final Queue queue : state.queues.queues())
        {
            out.putLong(queue.idleSinceNs);
        }
    }

    /** Reads what {@link #write} wrote, or for an older format expires nothing and starts idle clocks now. */
    static void read(final StateSnapshot.Reader in, final SharedState state)
    {
        final boolean carried = in.format() >= SINCE_FORMAT;
        state.runExpiry = carried ? new RunExpiry(in.getLong(), in.getLong()) : RunExpiry.NONE;
        for (final Queue queue : state.queues.queues())
        {
            queue.idleSinceNs = carried ? in.getLong() :
                QueueExpiry.isIdle(queue) ? state.nowNs : QueueExpiry.BUSY;
        }
        state.queues.clearTouched(); // made while reading, not by a command
    }
}
