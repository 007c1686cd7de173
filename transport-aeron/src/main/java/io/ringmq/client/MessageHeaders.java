package io.ringmq.client;

import io.ringmq.core.protocol.HeadersLayout;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message's headers, read in place: a flyweight over the frame the message came in, reused for every message of
 * its consumer (or browse), valid only as long as the message it was handed with. Headers are an ordered set of
 * key -> value pairs; a value is text or bytes.
 * <p>
 * Looking a key up and walking the headers ({@link #forEach}) allocate nothing for ASCII keys; the methods that
 * return a String or an array copy out (they allocate), as does {@link #toMap()}. Owned by the client's thread.
 *
 * <pre>{@code
 * String trace = delivery.headers().text("trace-id");   // null if absent
 * delivery.headers().forEach((key, kind, buffer, offset, length) -> ...);
 * }</pre>
 */
public final class MessageHeaders
{
    /** Sees each header in order; the buffer and offsets are valid during the call only. */
    @FunctionalInterface
    public interface Visitor
    {
        /** @param text true for a text (UTF-8) value, false for bytes. */
        void onHeader(String key, boolean text, DirectBuffer buffer, int valueOffset, int valueLength);
    }

    private final UnsafeBuffer keyBytes = new UnsafeBuffer(new byte[256]);
    private DirectBuffer buffer = new UnsafeBuffer(new byte[0]);
    private int offset;
    private int length;

    MessageHeaders wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** The headers' bytes as they came, copied (for a copy of the message that outlives its frame). */
    byte[] copyBytes()
    {
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        return copy;
    }

    /** How many headers the message has. */
    public int count()
    {
        int count = 0;
        for (int entry = offset, end = offset + length; entry < end; entry = HeadersLayout.next(buffer, entry))
        {
            count++;
        }
        return count;
    }

    public boolean isEmpty()
    {
        return 0 == length;
    }

    public boolean contains(final String key)
    {
        return find(key) >= 0;
    }

    /** The value of a text header, or of a byte header read as UTF-8; null if the message has no such header. */
    public String text(final String key)
    {
        final int entry = find(key);
        return entry < 0 ? null : buffer.getStringWithoutLengthUtf8(
            HeadersLayout.valueOffset(buffer, entry), HeadersLayout.valueLength(buffer, entry));
    }

    /** A copy of the header's value bytes; null if the message has no such header. */
    public byte[] bytes(final String key)
    {
        final int entry = find(key);
        if (entry < 0)
        {
            return null;
        }
        final byte[] value = new byte[HeadersLayout.valueLength(buffer, entry)];
        buffer.getBytes(HeadersLayout.valueOffset(buffer, entry), value);
        return value;
    }

    /** Whether the header's value is text; false also when absent. */
    public boolean isText(final String key)
    {
        final int entry = find(key);
        return entry >= 0 && HeadersLayout.TEXT == HeadersLayout.kind(buffer, entry);
    }

    /** Each header in order. The key is a String made per header (allocates); the value is read in place. */
    public void forEach(final Visitor visitor)
    {
        for (int entry = offset, end = offset + length; entry < end; entry = HeadersLayout.next(buffer, entry))
        {
            final String key = buffer.getStringWithoutLengthUtf8(
                HeadersLayout.keyOffset(entry), HeadersLayout.keyLength(buffer, entry));
            visitor.onHeader(key, HeadersLayout.TEXT == HeadersLayout.kind(buffer, entry), buffer,
                HeadersLayout.valueOffset(buffer, entry), HeadersLayout.valueLength(buffer, entry));
        }
    }

    /** A copy: key -> String for text values, byte[] for byte values, in order (allocates; for tools). */
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        forEach((key, text, value, valueOffset, valueLength) ->
        {
            final byte[] bytes = new byte[valueLength];
            value.getBytes(valueOffset, bytes);
            map.put(key, text ? new String(bytes, StandardCharsets.UTF_8) : bytes);
        });
        return map;
    }

    public String toString()
    {
        return toMap().toString();
    }

    /** Where the header with this key starts, or -1. */
    private int find(final String key)
    {
        final int keyLength = encodeKey(key);
        return HeadersLayout.findKey(buffer, offset, offset + length, keyBytes, 0, keyLength);
    }

    /** The key's UTF-8 bytes into the reused buffer: ASCII without allocating. */
    private int encodeKey(final String key)
    {
        final int chars = key.length();
        boolean ascii = chars <= keyBytes.capacity();
        for (int i = 0; ascii && i < chars; i++)
        {
            ascii = key.charAt(i) < 0x80;
        }
        if (ascii)
        {
            for (int i = 0; i < chars; i++)
            {
                keyBytes.putByte(i, (byte)key.charAt(i));
            }
            return chars;
        }
        final byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > keyBytes.capacity())
        {
            keyBytes.wrap(new byte[utf8.length]);
        }
        keyBytes.putBytes(0, utf8);
        return utf8.length;
    }
}
