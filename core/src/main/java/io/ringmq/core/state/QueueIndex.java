package io.ringmq.core.state;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a queue by the name bytes of a frame without making a String: open addressing over the ASCII bytes, so the
 * publish path allocates nothing once a queue exists.
 */
final class QueueIndex
{
    private Queue[] slots = new Queue[64];
    private int[] hashes = new int[64];
    private int size;
    private final ArrayList<Queue> inCreationOrder = new ArrayList<>();
    /** Queues created by the command being applied, in creation order: pattern subscriptions attach to them. */
    private final ArrayList<Queue> createdByCommand = new ArrayList<>();
    /** Queues whose messages, groups or consumers changed in the command being applied ({@link #touch}). */
    private final ArrayList<Queue> touched = new ArrayList<>();
    private final QueuePolicies policies;
    /** Queues whose figures may have changed since an observer last read them (metrics; not state). */
    final ChangedQueues changed = new ChangedQueues(this);
    /** Kept consumed messages of time-bounded retention, over every queue (see {@link ConsumedMessages}). */
    final ConsumedMessages.TimeBoundedTotal keptTotal = new ConsumedMessages.TimeBoundedTotal();

    QueueIndex(final QueuePolicies policies)
    {
        this.policies = policies;
    }

    Queue get(final DirectBuffer buffer, final int offset, final int length)
    {
        final int hash = hash(buffer, offset, length);
        final int mask = slots.length - 1;
        for (int index = hash & mask; slots[index] != null; index = (index + 1) & mask)
        {
            if (hashes[index] == hash && sameName(slots[index].nameBytes, buffer, offset, length))
            {
                return slots[index];
            }
        }
        return null;
    }

    Queue get(final String name)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        return get(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /** The queue of that name, created if it does not exist yet (names the state machine made itself). */
    Queue getOrCreate(final String name)
    {
        final Queue queue = get(name);
        return null != queue ? queue : create(name);
    }

    Queue create(final String name)
    {
        if ((size + 1) * 2 > slots.length)
        {
            resize(slots.length * 2);
        }
        final Queue queue = new Queue(name, keptTotal);
        queue.policy = policies.resolve(name, queue.declared);
        insert(queue, hash(new UnsafeBuffer(queue.nameBytes), 0, queue.nameBytes.length));
        inCreationOrder.add(queue);
        createdByCommand.add(queue);
        size++;
        touch(queue);
        return queue;
    }

    /** The queues created since {@link #forgetCreated} was last called, in creation order. */
    List<Queue> created()
    {
        return createdByCommand;
    }

    void forgetCreated()
    {
        createdByCommand.clear();
    }

    /**
     * What the queue holds or who is attached to it changed in this command (a message in or out, a group or a
     * consumer made or gone, or the queue made): {@link QueueExpiry} looks at it once the command is applied.
     * Allocation-free once the list has grown to the most queues one command touches.
     */
    void touch(final Queue queue)
    {
        changed.mark(queue);
        if (!queue.touched)
        {
            queue.touched = true;
            touched.add(queue);
        }
    }

    /**
     * The queue's figures may have changed without what {@link #touch} means (a delivery, a settlement, a timeout, a
     * seek): for observers of {@link QueueFigures} only, queue expiry does not look at it.
     */
    void figuresChanged(final Queue queue)
    {
        changed.mark(queue);
    }

    /** The queues {@link #touch}ed since the list was last cleared, deleted ones included. */
    ArrayList<Queue> touched()
    {
        return touched;
    }

    void clearTouched()
    {
        for (int i = 0, count = touched.size(); i < count; i++)
        {
            touched.get(i).touched = false;
        }
        touched.clear();
    }

    /**
     * The queue is deleted: its name finds nothing until a queue of that name is created again. Rebuilds the table
     * (linear probing leaves no hole to punch): an admin command, rare.
     */
    void remove(final Queue queue)
    {
        if (!inCreationOrder.remove(queue))
        {
            return;
        }
        queue.consumed.deleted();
        queue.removed = true;
        changed.mark(queue); // observers drop it (an empty one without groups was touched by nothing)
        size--;
        java.util.Arrays.fill(slots, null);
        for (int i = 0, count = inCreationOrder.size(); i < count; i++)
        {
            final Queue kept = inCreationOrder.get(i);
            insert(kept, hash(new UnsafeBuffer(kept.nameBytes), 0, kept.nameBytes.length));
        }
    }

    /** How many queues exist (dead-letter queues included). */
    int size()
    {
        return size;
    }

    /** All queues in the order they were created: deterministic, unlike hash order, for iteration that matters. */
    List<Queue> queues()
    {
        return inCreationOrder;
    }

    /** Names of all queues in creation order. Allocates. */
    List<String> names()
    {
        final List<String> names = new ArrayList<>(inCreationOrder.size());
        for (int i = 0, size = inCreationOrder.size(); i < size; i++)
        {
            names.add(inCreationOrder.get(i).name);
        }
        return names;
    }

    /** Messages held by every queue together, in flight included. O(queues). */
    long retainedMessages()
    {
        long messages = 0;
        for (int i = 0, size = inCreationOrder.size(); i < size; i++)
        {
            messages += inCreationOrder.get(i).messages.size();
        }
        return messages;
    }

    /** Settings changed (a new run's defaults, a rule): every queue takes what now applies to it. */
    void resolvePolicies()
    {
        for (int i = 0, size = inCreationOrder.size(); i < size; i++)
        {
            final Queue queue = inCreationOrder.get(i);
            queue.policy = policies.resolve(queue.name, queue.declared);
        }
    }

    private void insert(final Queue queue, final int hash)
    {
        final int mask = slots.length - 1;
        int index = hash & mask;
        while (slots[index] != null)
        {
            index = (index + 1) & mask;
        }
        slots[index] = queue;
        hashes[index] = hash;
    }

    private void resize(final int capacity)
    {
        final Queue[] oldSlots = slots;
        final int[] oldHashes = hashes;
        slots = new Queue[BitUtil.findNextPositivePowerOfTwo(capacity)];
        hashes = new int[slots.length];
        for (int i = 0; i < oldSlots.length; i++)
        {
            if (oldSlots[i] != null)
            {
                insert(oldSlots[i], oldHashes[i]);
            }
        }
    }

    private static boolean sameName(final byte[] name, final DirectBuffer buffer, final int offset, final int length)
    {
        if (name.length != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (name[i] != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    private static int hash(final DirectBuffer buffer, final int offset, final int length)
    {
        int hash = 0x811C9DC5;
        for (int i = 0; i < length; i++)
        {
            hash = (hash ^ buffer.getByte(offset + i)) * 0x01000193;
        }
        return hash;
    }

}
