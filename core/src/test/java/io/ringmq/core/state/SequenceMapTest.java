package io.ringmq.core.state;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The window map agrees with a plain sorted map over random puts and removes, below, inside and above its window. */
class SequenceMapTest
{
    @Test
    void agreesWithASortedMapOverRandomOperations()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            final SplittableRandom random = new SplittableRandom(seed);
            final SequenceMap map = new SequenceMap(-1);
            final TreeMap<Long, Long> expected = new TreeMap<>();
            long base = 1 + random.nextInt(1000);
            for (int op = 0; op < 2_000; op++)
            {
                if (random.nextInt(50) == 0)
                {
                    base += random.nextInt(5_000); // the window moves on, as a queue's sequences do
                }
                final long key = base + random.nextInt(random.nextBoolean() ? 40 : 3_000);
                if (random.nextInt(3) == 0)
                {
                    assertEquals(expected.getOrDefault(key, -1L).longValue(), map.remove(key));
                    expected.remove(key);
                }
                else
                {
                    final long value = random.nextLong(1_000_000);
                    assertEquals(expected.getOrDefault(key, -1L).longValue(), map.put(key, value));
                    expected.put(key, value);
                }
                final long probe = base + random.nextInt(3_100) - 50;
                assertEquals(expected.getOrDefault(probe, -1L).longValue(), map.get(probe), "seed " + seed);
                assertEquals(expected.size(), map.size());
            }
            assertArrayEquals(expected.keySet().stream().mapToLong(Long::longValue).toArray(), map.keys());
        }
    }

    @Test
    void theMissingValueCannotBeStored()
    {
        assertThrows(IllegalArgumentException.class, () -> new SequenceMap(0).put(5, 0));
    }
}
