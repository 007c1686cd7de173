package io.ringmq.core.testing;

import io.ringmq.core.protocol.HeadersLayout;
import org.agrona.DirectBuffer;

import java.util.List;

/**
 * Headers as one line of text for tests to compare: {@code [key=text, key=0xhex]} in their order. The reference
 * model writes the same line from its own list of entries ({@link #of(List)}), the sink from the bytes.
 */
public final class HeadersText
{
    /** One header as a test holds it: a text value, or bytes. */
    public record Entry(String key, boolean text, byte[] value)
    {
    }

    private HeadersText()
    {
    }

    public static String of(final DirectBuffer buffer, final int offset, final int length)
    {
        final StringBuilder out = new StringBuilder("[");
        for (int entry = offset; entry < offset + length; entry = HeadersLayout.next(buffer, entry))
        {
            final byte[] value = new byte[HeadersLayout.valueLength(buffer, entry)];
            buffer.getBytes(HeadersLayout.valueOffset(buffer, entry), value);
            final String key = buffer.getStringWithoutLengthUtf8(
                HeadersLayout.keyOffset(entry), HeadersLayout.keyLength(buffer, entry));
            append(out, key, HeadersLayout.TEXT == HeadersLayout.kind(buffer, entry), value);
        }
        return out.append(']').toString();
    }

    public static String of(final List<Entry> entries)
    {
        final StringBuilder out = new StringBuilder("[");
        for (final Entry entry : entries)
        {
            append(out, entry.key(), entry.text(), entry.value());
        }
        return out.append(']').toString();
    }

    private static void append(final StringBuilder out, final String key, final boolean text, final byte[] value)
    {
        if (out.length() > 1)
        {
            out.append(", ");
        }
        out.append(key).append('=');
        if (text)
        {
            out.append(new String(value, java.nio.charset.StandardCharsets.UTF_8));
        }
        else
        {
            out.append("0x");
            for (final byte b : value)
            {
                out.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
        }
    }
}
