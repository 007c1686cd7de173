package io.ringmq.core.state;

import java.util.Arrays;

/**
 * Messages that each have a deadline of their own, earliest first: the delayed messages held until their
 * deliver-at ({@link #HELD}), or the messages with a time to live until they expire ({@link #EXPIRING}). Unlike
 * visibility timeouts these deadlines come in any order (each publish picks its own), so they sit on a binary
 * min-heap: O(log n) to add, to take the earliest and to remove one that left its queue early (each message knows its
 * place in the heap), nothing polled while none is due, and nothing at all for messages that have neither.
 * <p>
 * Due together, messages leave in (deadline, queue name, sequence) order: a rule a reader and a reference model can
 * state, independent of how the heap was filled (a restored snapshot fills it in another order).
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class MessageDeadlines
{
    /** Which of a message's deadlines, and its place in which heap. */
    enum Kind
    {
        HELD
        {
            long deadline(final StoredMessage message)
            {
                return message.heldUntilNs;
            }

            int index(final StoredMessage message)
            {
                return message.heldIndex;
            }

            void index(final StoredMessage message, final int index)
            {
                message.heldIndex = index;
            }
        },
        EXPIRING
        {
            long deadline(final StoredMessage message)
            {
                return message.expiresAtNs;
            }

            int index(final StoredMessage message)
            {
                return message.expiryIndex;
            }

            void index(final StoredMessage message, final int index)
            {
                message.expiryIndex = index;
            }
        };

        abstract long deadline(StoredMessage message);

        abstract int index(StoredMessage message);

        abstract void index(StoredMessage message, int index);
    }

    static final int NOT_IN_HEAP = -1;

    private final Kind kind;
    private StoredMessage[] messages = new StoredMessage[64];
    private Queue[] queues = new Queue[64];
    private int size;

    MessageDeadlines(final Kind kind)
    {
        this.kind = kind;
    }

    int size()
    {
        return size;
    }

    /** The message's deadline (of this kind) is set; it waits for it. */
    void add(final Queue queue, final StoredMessage message)
    {
        if (size == messages.length)
        {
            messages = Arrays.copyOf(messages, size * 2);
            queues = Arrays.copyOf(queues, size * 2);
        }
        place(size, queue, message);
        siftUp(size++);
    }

    /** The message left its queue before its deadline; nothing if it was not waiting. */
    void remove(final StoredMessage message)
    {
        final int index = kind.index(message);
        if (NOT_IN_HEAP == index)
        {
            return;
        }
        kind.index(message, NOT_IN_HEAP);
        final int last = --size;
        if (index != last)
        {
            place(index, queues[last], messages[last]);
            siftDown(index);
            siftUp(index);
        }
        messages[last] = null;
        queues[last] = null;
    }

    boolean isDue(final long nowNs)
    {
        return size > 0 && kind.deadline(messages[0]) <= nowNs;
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE} if none waits. */
    long nextDeadlineNs()
    {
        return 0 == size ? Long.MAX_VALUE : kind.deadline(messages[0]);
    }

    StoredMessage earliest()
    {
        return messages[0];
    }

    Queue earliestQueue()
    {
        return queues[0];
    }

    private void place(final int index, final Queue queue, final StoredMessage message)
    {
        messages[index] = message;
        queues[index] = queue;
        kind.index(message, index);
    }

    private void siftUp(final int start)
    {
        int index = start;
        while (index > 0)
        {
            final int parent = (index - 1) >>> 1;
            if (!before(index, parent))
            {
                return;
            }
            swap(index, parent);
            index = parent;
        }
    }

    private void siftDown(final int start)
    {
        int index = start;
        while (true)
        {
            final int left = 2 * index + 1;
            if (left >= size)
            {
                return;
            }
            final int right = left + 1;
            final int child = right < size && before(right, left) ? right : left;
            if (!before(child, index))
            {
                return;
            }
            swap(index, child);
            index = child;
        }
    }

    private boolean before(final int a, final int b)
    {
        final long deadlineA = kind.deadline(messages[a]);
        final long deadlineB = kind.deadline(messages[b]);
        if (deadlineA != deadlineB)
        {
            return deadlineA < deadlineB;
        }
        final int byName = queues[a].name.compareTo(queues[b].name);
        return byName != 0 ? byName < 0 : messages[a].sequence < messages[b].sequence;
    }

    private void swap(final int a, final int b)
    {
        final StoredMessage message = messages[a];
        final Queue queue = queues[a];
        place(a, queues[b], messages[b]);
        place(b, queue, message);
    }
}
