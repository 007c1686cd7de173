package io.ringmq.daemon.counters;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The key of a ringmq counter in the CnC file, written by the daemon and read by {@code ringmq stat}:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 owner id (one per queue or group)             |
 *  +-------------------------------+-------------------------------+
 *  |    first name length          |    second name length         |
 *  +-------------------------------+-------------------------------+
 *  |  first name (queue, error code), then second name (group)  ...
 *  +---------------------------------------------------------------+
 * </pre>
 * An Aeron key holds {@value #MAX_KEY_LENGTH} bytes: names that do not fit are cut (their lengths say by how much),
 * and the owner id still tells two queues apart whose cut names agree.
 */
final class CounterKey
{
    /** Aeron's limit (CountersReader.MAX_KEY_LENGTH). */
    static final int MAX_KEY_LENGTH = 112;
    private static final int OWNER_OFFSET = 0;
    private static final int FIRST_LENGTH_OFFSET = 4;
    private static final int SECOND_LENGTH_OFFSET = 6;
    private static final int NAMES_OFFSET = 8;
    /** Shown after a name the key could not hold whole. */
    static final String CUT = "...";

    private CounterKey()
    {
    }

    /** @return the key's length. */
    static int write(final MutableDirectBuffer key, final int ownerId, final String first, final String second)
    {
        final byte[] firstBytes = first.getBytes(StandardCharsets.US_ASCII);
        final byte[] secondBytes = second.getBytes(StandardCharsets.US_ASCII);
        key.putInt(OWNER_OFFSET, ownerId);
        key.putShort(FIRST_LENGTH_OFFSET, (short)firstBytes.length);
        key.putShort(SECOND_LENGTH_OFFSET, (short)secondBytes.length);
        final int firstStored = Math.min(firstBytes.length, MAX_KEY_LENGTH - NAMES_OFFSET);
        key.putBytes(NAMES_OFFSET, firstBytes, 0, firstStored);
        final int secondStored = Math.min(secondBytes.length, MAX_KEY_LENGTH - NAMES_OFFSET - firstStored);
        key.putBytes(NAMES_OFFSET + firstStored, secondBytes, 0, secondStored);
        return NAMES_OFFSET + firstStored + secondStored;
    }

    static int ownerId(final DirectBuffer key, final int offset)
    {
        return key.getInt(offset + OWNER_OFFSET);
    }

    static String firstName(final DirectBuffer key, final int offset)
    {
        final int length = key.getShort(offset + FIRST_LENGTH_OFFSET);
        final int stored = Math.min(length, MAX_KEY_LENGTH - NAMES_OFFSET);
        return name(key, offset + NAMES_OFFSET, stored, length);
    }

    static String secondName(final DirectBuffer key, final int offset)
    {
        final int firstStored = Math.min(key.getShort(offset + FIRST_LENGTH_OFFSET), MAX_KEY_LENGTH - NAMES_OFFSET);
        final int length = key.getShort(offset + SECOND_LENGTH_OFFSET);
        final int stored = Math.min(length, MAX_KEY_LENGTH - NAMES_OFFSET - firstStored);
        return name(key, offset + NAMES_OFFSET + firstStored, stored, length);
    }

    private static String name(final DirectBuffer key, final int offset, final int stored, final int length)
    {
        final String name = key.getStringWithoutLengthAscii(offset, stored);
        return stored == length ? name : name + CUT;
    }
}
