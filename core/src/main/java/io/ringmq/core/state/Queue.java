package io.ringmq.core.state;

import org.agrona.collections.Long2ObjectHashMap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * A named, ordered log of messages. Sequences start at 1 and never repeat. A message is kept until every group
 * has acked it; with no group at all it waits for the first one.
 */
final class Queue
{
    final String name;
    final byte[] nameBytes;
    final Long2ObjectHashMap<StoredMessage> messages = new Long2ObjectHashMap<>();
    final ArrayList<ConsumerGroup> groups = new ArrayList<>();
    long nextSequence = 1;
    /** What a client declared when it created the queue; {@link QueuePolicy#UNSET} if none did. */
    QueuePolicy declared = QueuePolicy.UNSET;
    /** The settings in effect: declared, else the matching rule, else the defaults. */
    QueuePolicy policy;
    /** No message below this sequence is retained; advanced lazily. */
    private long lowestRetained = 1;

    Queue(final String name)
    {
        this.name = name;
        this.nameBytes = name.getBytes(StandardCharsets.US_ASCII);
    }

    ConsumerGroup group(final String groupName)
    {
        for (int i = 0, size = groups.size(); i < size; i++)
        {
            final ConsumerGroup group = groups.get(i);
            if (group.name.equals(groupName))
            {
                return group;
            }
        }
        return null;
    }

    long lowestRetainedSequence()
    {
        while (lowestRetained < nextSequence && !messages.containsKey(lowestRetained))
        {
            lowestRetained++;
        }
        return lowestRetained;
    }
}
