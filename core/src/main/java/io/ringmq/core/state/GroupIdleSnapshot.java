package io.ringmq.core.state;

import java.util.List;

/**
 * The group-expiry part of a snapshot (format 10, issue 17): when each group last had no consumer from
 * ({@link ConsumerGroup#idleSinceNs}), after delivery control's block. A snapshot of format 9 or older has none: each
 * group's clock starts at the snapshot's time, so a group expires no earlier than expiry after the restore.
 */
final class GroupIdleSnapshot
{
    /** The first snapshot format with this block. */
    static final int SINCE_FORMAT = 10;

    private GroupIdleSnapshot()
    {
    }

    static void write(final StateSnapshot.Writer out, final List<Queue> queues)
    {
        for (final Queue queue : queues)
        {
            for (final ConsumerGroup group : queue.groups)
            {
                out.putLong(group.idleSinceNs);
            }
        }
    }

    /** Reads what {@link #write} wrote, or for an older format starts every clock at {@code nowNs}. */
    static void read(final StateSnapshot.Reader in, final List<Queue> queues, final long nowNs)
    {
        final boolean carried = in.format() >= SINCE_FORMAT;
        for (final Queue queue : queues)
        {
            for (final ConsumerGroup group : queue.groups)
            {
                group.idleSinceNs = carried ? in.getLong() : nowNs;
            }
        }
    }
}
