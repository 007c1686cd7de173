package io.ringmq.core.state;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageDeadlinesTest
{
    private final MessageDeadlines held = new MessageDeadlines(MessageDeadlines.Kind.HELD);
    private final Queue a = new Queue("a");
    private final Queue b = new Queue("b");

    private static StoredMessage message(final long sequence, final long heldUntilNs)
    {
        final StoredMessage message = new StoredMessage();
        message.sequence = sequence;
        message.heldUntilNs = heldUntilNs;
        return message;
    }

    private List<String> drain(final long nowNs)
    {
        final List<String> due = new ArrayList<>();
        while (held.isDue(nowNs))
        {
            due.add(held.earliestQueue().name + held.earliest().sequence);
            held.remove(held.earliest());
        }
        return due;
    }

    @Test
    void dueMessagesComeOutByDeadlineThenQueueNameThenSequence()
    {
        held.add(b, message(1, 300));
        held.add(a, message(7, 300));
        held.add(a, message(2, 300));
        held.add(b, message(9, 100));
        held.add(a, message(5, 400));

        assertEquals(100, held.nextDeadlineNs());
        assertEquals(List.of("b9", "a2", "a7", "b1"), drain(300));
        assertEquals(400, held.nextDeadlineNs());
        assertFalse(held.isDue(399));
        assertEquals(1, held.size());
    }

    @Test
    void aMessageThatLeavesEarlyIsRemovedFromAnywhereAndForgetsItsPlace()
    {
        final StoredMessage middle = message(2, 200);
        held.add(a, message(1, 100));
        held.add(a, middle);
        held.add(a, message(3, 300));

        held.remove(middle);
        held.remove(middle); // no longer waiting: nothing to do

        assertEquals(MessageDeadlines.NOT_IN_HEAP, middle.heldIndex);
        assertEquals(List.of("a1", "a3"), drain(Long.MAX_VALUE - 1));
        assertEquals(Long.MAX_VALUE, held.nextDeadlineNs());
    }

    @Test
    void anyOrderOfAddsAndRemovesGivesTheSortedOrder()
    {
        final SplittableRandom random = new SplittableRandom(16);
        final List<StoredMessage> kept = new ArrayList<>();
        for (int i = 1; i <= 500; i++)
        {
            final StoredMessage message = message(i, random.nextInt(50));
            held.add(a, message);
            if (random.nextInt(4) == 0)
            {
                held.remove(message);
            }
            else
            {
                kept.add(message);
            }
        }
        kept.sort((x, y) -> x.heldUntilNs != y.heldUntilNs ? Long.compare(x.heldUntilNs, y.heldUntilNs) :
            Long.compare(x.sequence, y.sequence));

        final List<String> expected = new ArrayList<>();
        kept.forEach((m) -> expected.add("a" + m.sequence));
        assertEquals(expected, drain(50));
        assertTrue(kept.stream().allMatch((m) -> MessageDeadlines.NOT_IN_HEAP == m.heldIndex));
    }
}
