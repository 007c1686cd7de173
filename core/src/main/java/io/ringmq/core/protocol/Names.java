package io.ringmq.core.protocol;

import org.agrona.DirectBuffer;

/**
 * Rules for queue and group names: 1 to {@value #MAX_LENGTH} characters from {@code [A-Za-z0-9._-]}. Dots separate
 * the levels of a hierarchy ({@code orders.eu}); {@code *} and {@code >} are kept back for subscription wildcards.
 */
public final class Names
{
    public static final int MAX_LENGTH = 255;
    public static final String RULE = "1-" + MAX_LENGTH + " characters from [A-Za-z0-9._-]";

    private Names()
    {
    }

    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1 || length > MAX_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (!isNameChar(buffer.getByte(offset + i)))
            {
                return false;
            }
        }
        return true;
    }

    public static boolean isValid(final CharSequence name)
    {
        if (name == null || name.length() < 1 || name.length() > MAX_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c > 127 || !isNameChar((byte)c))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameChar(final byte b)
    {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
            b == '.' || b == '_' || b == '-';
    }
}
