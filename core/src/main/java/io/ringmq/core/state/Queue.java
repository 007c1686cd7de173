package io.ringmq.core.state;


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
    final RetainedMessages messages = new RetainedMessages();
    /** The same messages by priority, in publish order within each: what groups deliver from. */
    final PriorityLanes lanes = new PriorityLanes();
    final ArrayList<ConsumerGroup> groups = new ArrayList<>();
    long nextSequence = 1;
    /** What a client declared when it created the queue; {@link QueuePolicy#UNSET} if none did. */
    QueuePolicy declared = QueuePolicy.UNSET;
    /**
     * Version 9, delivery control: how long a publish that names neither a delay nor a deliver-at is held (the
     * queue's default delay, declared with it); 0 for none.
     */
    long defaultDelayMs;
    /** The settings in effect: declared, else the matching rule, else the defaults. */
    QueuePolicy policy;
    /** Whether the queue is in {@link AgedQueues}' list (it has a maximum age). */
    boolean aged;
    /** Messages that left by the queue's maximum age. */
    long expired;
    /** Messages pushed out by newer ones at the queue's size limit. */
    long overflowed;
    /** Of the expired and overflowed, those that went to no dead-letter queue (action DROP, or already a dead letter). */
    long dropped;
    /** Messages refused at the size limit (overflow REJECT_PUBLISH), or too large for the queue's byte limit. */
    long refused;
    /** What it keeps after every group acked a message (version 9); declared only, never from rules. */
    QueueRetention retention = QueueRetention.NONE;
    /** The messages it keeps so (still in {@link #messages} and the lanes, so a group can seek back to them). */
    final ConsumedMessages consumed;
    /**
     * Command time from which the queue has been idle ({@link QueueExpiry#isIdle}): of the last command that changed
     * what it holds, its groups or their consumers, if it is idle since; {@link QueueExpiry#BUSY} while it is not.
     */
    long idleSinceNs = QueueExpiry.BUSY;
    /** Dead letters it holds (messages another queue's group or limit dead-lettered here). */
    long deadLetters;
    /** Set while it waits in {@link QueueIndex#touched()}. */
    boolean touched;
    /** Set while it waits in {@link ChangedQueues} (its figures may have changed since an observer last read them). */
    boolean figuresChanged;
    /** Set once deleted: a reference still held (the touched list) is to a queue that no longer exists. */
    boolean removed;
    /** What consumers did with its messages, for metrics (not state: see {@link QueueActivity}). */
    final QueueActivity activity = new QueueActivity();

    Queue(final String name)
    {
        this(name, new ConsumedMessages.TimeBoundedTotal());
    }

    Queue(final String name, final ConsumedMessages.TimeBoundedTotal keptTotal)
    {
        this.consumed = new ConsumedMessages(keptTotal);
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

    /** Sets what it keeps after every group acked a message: once, when declared (or restored). */
    void retain(final QueueRetention retention)
    {
        this.retention = retention;
        consumed.timeBounded(retention.retainMs() > 0);
    }

    /** The oldest message the queue holds, or the next sequence if it holds none. */
    long lowestRetainedSequence()
    {
        return messages.isEmpty() ? nextSequence : messages.firstSequence();
    }
}
