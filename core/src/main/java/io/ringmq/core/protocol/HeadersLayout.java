package io.ringmq.core.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * How a message's headers sit in the {@code headers} var-data field of a Publish, Deliver and Browsed: an ordered set
 * of entries, one after another to the end of the field, each a key (UTF-8, at least one byte, no two alike) and a
 * value that is text (UTF-8) or bytes. The daemon checks them at its ingress ({@link #problem}) and then carries the
 * bytes unchanged: through the journal, snapshots, deliveries, browses, dead letters and redrives.
 *
 * <pre>
 *   One entry
 *  +------------+-----------+------------+-------------+-------------+
 *  | key length | key       | value kind | value length| value       |
 *  | uint16     | UTF-8     | uint8      | int32       | bytes       |
 *  +------------+-----------+------------+-------------+-------------+
 *   value kind: 0 = text (UTF-8), 1 = bytes
 * </pre>
 * Stateless and allocation-free.
 */
public final class HeadersLayout
{
    public static final byte TEXT = 0;
    public static final byte BYTES = 1;
    /** Key length prefix, value kind and value length prefix of one entry. */
    public static final int ENTRY_OVERHEAD = Short.BYTES + Byte.BYTES + Integer.BYTES;
    public static final int MAX_KEY_LENGTH = 0xFFFF;

    private HeadersLayout()
    {
    }

    /**
     * What is wrong with the headers at {@code offset}, or null when each entry is whole, has a key and a known value
     * kind, and no key comes twice. Allocation-free but for the answer to a bad field.
     */
    public static String problem(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int entry = offset;
        while (entry < end)
        {
            if (entry + ENTRY_OVERHEAD > end)
            {
                return "an entry at byte " + (entry - offset) + " is cut short";
            }
            final int keyLength = keyLength(buffer, entry);
            final int kindAt = entry + Short.BYTES + keyLength;
            if (0 == keyLength)
            {
                return "an entry at byte " + (entry - offset) + " has an empty key";
            }
            if (kindAt + Byte.BYTES + Integer.BYTES > end)
            {
                return "an entry at byte " + (entry - offset) + " is cut short";
            }
            final byte kind = buffer.getByte(kindAt);
            if (TEXT != kind && BYTES != kind)
            {
                return "an entry at byte " + (entry - offset) + " has value kind " + kind + " (0 text, 1 bytes)";
            }
            final int valueLength = buffer.getInt(kindAt + Byte.BYTES, LITTLE_ENDIAN);
            final int valueAt = kindAt + Byte.BYTES + Integer.BYTES;
            if (valueLength < 0 || valueLength > end - valueAt)
            {
                return "an entry at byte " + (entry - offset) + " has a value longer than the headers";
            }
            if (!isUtf8(buffer, entry + Short.BYTES, keyLength))
            {
                return "an entry at byte " + (entry - offset) + " has a key that is not UTF-8";
            }
            if (TEXT == kind && !isUtf8(buffer, valueAt, valueLength))
            {
                return "an entry at byte " + (entry - offset) + " has a text value that is not UTF-8";
            }
            if (findKey(buffer, offset, entry, buffer, entry + Short.BYTES, keyLength) >= 0)
            {
                return "the key '" + buffer.getStringWithoutLengthUtf8(entry + Short.BYTES, keyLength) +
                    "' comes twice";
            }
            entry = valueAt + valueLength;
        }
        return null;
    }

    /**
     * Where the entry whose key equals the given bytes starts, among the entries of {@code [offset, end)}, or -1.
     * Headers that {@link #problem} passed only.
     */
    public static int findKey(
        final DirectBuffer buffer,
        final int offset,
        final int end,
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength)
    {
        for (int entry = offset; entry < end; entry = next(buffer, entry))
        {
            if (keyLength(buffer, entry) == keyLength && equal(buffer, entry + Short.BYTES, key, keyOffset, keyLength))
            {
                return entry;
            }
        }
        return -1;
    }

    /** Where the entry after the one at {@code entry} starts. */
    public static int next(final DirectBuffer buffer, final int entry)
    {
        final int valueAt = valueOffset(buffer, entry);
        return valueAt + valueLength(buffer, entry);
    }

    public static int keyLength(final DirectBuffer buffer, final int entry)
    {
        return buffer.getShort(entry, LITTLE_ENDIAN) & 0xFFFF;
    }

    public static int keyOffset(final int entry)
    {
        return entry + Short.BYTES;
    }

    public static byte kind(final DirectBuffer buffer, final int entry)
    {
        return buffer.getByte(entry + Short.BYTES + keyLength(buffer, entry));
    }

    public static int valueLength(final DirectBuffer buffer, final int entry)
    {
        return buffer.getInt(entry + Short.BYTES + keyLength(buffer, entry) + Byte.BYTES, LITTLE_ENDIAN);
    }

    public static int valueOffset(final DirectBuffer buffer, final int entry)
    {
        return entry + ENTRY_OVERHEAD + keyLength(buffer, entry);
    }

    /**
     * Writes one entry at {@code offset} (the buffer must have room, or expand).
     *
     * @return where the next entry goes.
     */
    public static int put(
        final MutableDirectBuffer buffer,
        final int offset,
        final byte[] key,
        final byte kind,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength)
    {
        if (0 == key.length || key.length > MAX_KEY_LENGTH)
        {
            throw new IllegalArgumentException("a header key takes 1 to " + MAX_KEY_LENGTH + " bytes, not " +
                key.length);
        }
        buffer.putShort(offset, (short)key.length, LITTLE_ENDIAN);
        buffer.putBytes(offset + Short.BYTES, key);
        final int kindAt = offset + Short.BYTES + key.length;
        buffer.putByte(kindAt, kind);
        buffer.putInt(kindAt + Byte.BYTES, valueLength, LITTLE_ENDIAN);
        buffer.putBytes(kindAt + Byte.BYTES + Integer.BYTES, value, valueOffset, valueLength);
        return kindAt + Byte.BYTES + Integer.BYTES + valueLength;
    }

    /**
     * Whether the bytes are well-formed UTF-8: each sequence of the length its lead byte says, no overlong forms, no
     * surrogates, nothing above U+10FFFF.
     */
    static boolean isUtf8(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int i = offset;
        while (i < end)
        {
            final int lead = buffer.getByte(i) & 0xFF;
            final int continuations;
            int min = 0x80;
            int max = 0xBF;
            if (lead < 0x80)
            {
                i++;
                continue;
            }
            else if (lead >= 0xC2 && lead <= 0xDF)
            {
                continuations = 1;
            }
            else if (lead >= 0xE0 && lead <= 0xEF)
            {
                continuations = 2;
                min = 0xE0 == lead ? 0xA0 : 0x80; // overlong
                max = 0xED == lead ? 0x9F : 0xBF; // surrogates
            }
            else if (lead >= 0xF0 && lead <= 0xF4)
            {
                continuations = 3;
                min = 0xF0 == lead ? 0x90 : 0x80; // overlong
                max = 0xF4 == lead ? 0x8F : 0xBF; // above U+10FFFF
            }
            else
            {
                return false;
            }
            if (i + continuations >= end)
            {
                return false; // cut short
            }
            for (int c = 1; c <= continuations; c++)
            {
                final int next = buffer.getByte(i + c) & 0xFF;
                if (next < (1 == c ? min : 0x80) || next > (1 == c ? max : 0xBF))
                {
                    return false;
                }
            }
            i += continuations + 1;
        }
        return true;
    }

    private static boolean equal(
        final DirectBuffer a, final int aOffset, final DirectBuffer b, final int bOffset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (a.getByte(aOffset + i) != b.getByte(bOffset + i))
            {
                return false;
            }
        }
        return true;
    }
}
