package io.ringmq.core.state;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;

/**
 * A map's keys in ascending order: hash order is deterministic but says nothing to a reader, so descriptions and
 * snapshots list state by key. Allocates one array, no boxing; for snapshots, admin and diagnostics only.
 */
final class SortedKeys
{
    private SortedKeys()
    {
    }

    static long[] of(final Long2ObjectHashMap<?> map)
    {
        final long[] keys = new long[map.size()];
        int i = 0;
        for (final Long2ObjectHashMap<?>.KeyIterator it = map.keySet().iterator(); it.hasNext(); )
        {
            keys[i++] = it.nextLong();
        }
        Arrays.sort(keys);
        return keys;
    }

    static long[] of(final Long2LongHashMap map)
    {
        final long[] keys = new long[map.size()];
        int i = 0;
        for (final Long2LongHashMap.KeyIterator it = map.keySet().iterator(); it.hasNext(); )
        {
            keys[i++] = it.nextValue();
        }
        Arrays.sort(keys);
        return keys;
    }
}
