package io.ringmq.core.protocol;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the ingress takes as headers: whole entries, a key once, a known value kind, UTF-8 keys and text. */
class HeadersLayoutTest
{
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(128);

    private int put(final int at, final String key, final byte kind, final byte[] value)
    {
        return HeadersLayout.put(buffer, at, key.getBytes(StandardCharsets.UTF_8), kind, new UnsafeBuffer(value), 0,
            value.length);
    }

    @Test
    void wellFormedHeadersAreFoundByKeyInOrder()
    {
        int end = put(0, "trace", HeadersLayout.TEXT, "t-1".getBytes(StandardCharsets.UTF_8));
        final int second = end;
        end = put(end, "\u00e9t\u00e9", HeadersLayout.BYTES, new byte[]{(byte)0xFF, 0});
        assertNull(HeadersLayout.problem(buffer, 0, end));
        final byte[] key = "\u00e9t\u00e9".getBytes(StandardCharsets.UTF_8);
        assertEquals(second, HeadersLayout.findKey(buffer, 0, end, new UnsafeBuffer(key), 0, key.length));
        assertEquals(HeadersLayout.BYTES, HeadersLayout.kind(buffer, second));
        assertEquals(2, HeadersLayout.valueLength(buffer, second));
        assertEquals(end, HeadersLayout.next(buffer, second));
        assertNull(HeadersLayout.problem(buffer, 0, 0), "no headers at all");
    }

    @Test
    void cutShortRepeatedUnknownKindAndNotUtf8AreRefused()
    {
        final int one = put(0, "k", HeadersLayout.TEXT, "v".getBytes(StandardCharsets.UTF_8));
        assertTrue(HeadersLayout.problem(buffer, 0, one - 1).contains("a value longer than the headers"));
        assertTrue(HeadersLayout.problem(buffer, 0, 5).contains("cut short"));

        final int two = put(one, "k", HeadersLayout.BYTES, new byte[0]);
        assertTrue(HeadersLayout.problem(buffer, 0, two).contains("comes twice"));

        buffer.putByte(3, (byte)7); // the value kind of the first entry
        assertTrue(HeadersLayout.problem(buffer, 0, one).contains("value kind 7"));

        final int badKey = put(0, "k", HeadersLayout.TEXT, new byte[0]);
        buffer.putByte(2, (byte)0xC0); // an overlong lead byte as the key
        assertTrue(HeadersLayout.problem(buffer, 0, badKey).contains("key that is not UTF-8"));

        final int badText = put(0, "k", HeadersLayout.TEXT, new byte[]{(byte)0xE2, (byte)0x82});
        assertTrue(HeadersLayout.problem(buffer, 0, badText).contains("text value that is not UTF-8"));
        final int bytes = put(0, "k", HeadersLayout.BYTES, new byte[]{(byte)0xE2, (byte)0x82});
        assertNull(HeadersLayout.problem(buffer, 0, bytes), "a byte value may hold anything");
    }

    @Test
    void utf8IsCheckedAsTheStandardDefinesIt()
    {
        assertTrue(utf8("a\u00e9\u20ac\uD83D\uDE00".getBytes(StandardCharsets.UTF_8)));
        assertFalse(utf8(new byte[]{(byte)0xE0, (byte)0x80, (byte)0x80}), "overlong");
        assertFalse(utf8(new byte[]{(byte)0xED, (byte)0xA0, (byte)0x80}), "a surrogate");
        assertFalse(utf8(new byte[]{(byte)0xF4, (byte)0x90, (byte)0x80, (byte)0x80}), "above U+10FFFF");
        assertFalse(utf8(new byte[]{(byte)0x80}), "a continuation without a lead");
        assertFalse(utf8(new byte[]{(byte)0xF0, (byte)0x9F, (byte)0x98}), "cut short");
    }

    private static boolean utf8(final byte[] bytes)
    {
        return HeadersLayout.isUtf8(new UnsafeBuffer(bytes), 0, bytes.length);
    }
}
