package io.ringmq.core.state;

import io.ringmq.core.protocol.HeaderFilter;

import java.util.List;

/**
 * The delivery-control part of a snapshot (format 9, issue 16): each queue's default delay and each group's header
 * filter and filtered count, written after everything else so that it stands apart from the rest of the layout.
 * <pre>
 *   for each queue, in creation order (as the queues before it):
 *     defaultDelayMs  int64
 *     for each of its groups, in order:
 *       filter        string (null: none)
 *       filtered      int64
 * </pre>
 * A snapshot of format 8 or older has none: no default delays, no filters, nothing filtered.
 * <p>
 * Allocates: for snapshots and recovery only.
 */
final class DeliveryControlSnapshot
{
    /** The first snapshot format with this block. */
    static final int SINCE_FORMAT = 9;

    private DeliveryControlSnapshot()
    {
    }

    static void write(final StateSnapshot.Writer out, final List<Queue> queues)
    {
        for (final Queue queue : queues)
        {
            out.putLong(queue.defaultDelayMs);
            for (final ConsumerGroup group : queue.groups)
            {
                out.putString(null == group.filter ? null : group.filter.expression());
                out.putLong(group.filtered);
            }
        }
    }

    /** Reads what {@link #write} wrote into the queues and groups already read, the same ones in the same order. */
    static void read(final StateSnapshot.Reader in, final List<Queue> queues)
    {
        for (final Queue queue : queues)
        {
            queue.defaultDelayMs = in.getLong();
            for (final ConsumerGroup group : queue.groups)
            {
                final String filter = in.getString();
                group.filter = null == filter ? null : HeaderFilter.parse(filter);
                group.filtered = in.getLong();
            }
        }
    }
}
