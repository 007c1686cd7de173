package io.ringmq.client;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Correlation ids name their owner, never repeat soon, are never 0, and do not start where another client expects. */
class CorrelationIdsTest
{
    @Test
    void idsCountUpFromARandomStartUnderTheirOwner()
    {
        final CorrelationIds ids = new CorrelationIds(7, new SecureRandom());
        final long first = ids.next();
        assertEquals(7, CorrelationIds.ownerOf(first));
        assertEquals(first + 1, ids.next());
        assertEquals(7, CorrelationIds.ownerOf(first + 1));
    }

    @Test
    void twoClientsDoNotStartAtTheSameId()
    {
        // 40 random bits each: equal starts, or a start of 1 as before, would mean the randomness is gone.
        final long a = new CorrelationIds(0, new SecureRandom()).next();
        final long b = new CorrelationIds(0, new SecureRandom()).next();
        assertNotEquals(a, b);
        assertTrue(a != 1 || b != 1);
    }

    @Test
    void theCountWrapsWithinItsOwnerAndSkipsZero()
    {
        final CorrelationIds client = new CorrelationIds(0, fixedStart(-2)); // the count's last value
        assertEquals((1L << CorrelationIds.OWNER_SHIFT) - 1, client.next());
        assertEquals(1, client.next(), "0 means no correlation id: skipped");

        final CorrelationIds publisher = new CorrelationIds(3, fixedStart(-1));
        assertEquals(3L << CorrelationIds.OWNER_SHIFT, publisher.next(), "a publisher's id is never 0 anyway");
        assertEquals(3, CorrelationIds.ownerOf(publisher.next()));
    }

    private static Random fixedStart(final long value)
    {
        return new Random()
        {
            public long nextLong()
            {
                return value;
            }
        };
    }
}
