package io.ringmq.core.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Trial B, finding 5: a queue of the longest name got a dead-letter queue ({@code <queue>.dlq}, 4 longer) that no
 * command could name. A name ending in {@code .dlq} may be 4 longer than any other.
 */
class NamesTest
{
    private static final String LONGEST = "q".repeat(Names.MAX_LENGTH);

    @Test
    void theDeadLetterQueueOfEveryValidNameIsValidAndNothingLonger()
    {
        assertValid(true, "q");
        assertValid(true, LONGEST);
        assertValid(true, LONGEST + ".dlq");
        assertValid(true, "q".repeat(Names.MAX_LENGTH - 4) + ".dlq.dlq");

        assertValid(false, "");
        assertValid(false, LONGEST + "q");
        assertValid(false, LONGEST + ".dl");
        assertValid(false, LONGEST + "xdlq");
        assertValid(false, LONGEST + ".DLQ");
        assertValid(false, LONGEST + "q.dlq");
        assertValid(false, LONGEST + ".dlq.dlq");
        assertValid(false, "bad name.dlq");
        assertEquals(Names.MAX_DEAD_LETTER_LENGTH, (LONGEST + Names.DEAD_LETTER_SUFFIX).length());
    }

    private static void assertValid(final boolean valid, final String name)
    {
        assertEquals(valid, Names.isValid(name), name);
        final byte[] bytes = ("xx" + name + "yy").getBytes(StandardCharsets.US_ASCII);
        assertEquals(valid, Names.isValid(new UnsafeBuffer(bytes), 2, name.length()), name + " in a buffer");
    }
}
