package io.ringmq.core.protocol;

import org.agrona.DirectBuffer;

/**
 * Rules for queue and group names: 1 to {@value #MAX_LENGTH} characters from {@code [A-Za-z0-9._-]}, or up to
 * {@value #MAX_DEAD_LETTER_LENGTH} when the name ends in {@value #DEAD_LETTER_SUFFIX}, so that the dead-letter queue
 * the daemon makes for every valid name ({@code <queue>.dlq}) can itself be named: declared, received from, purged
 * and deleted. Dots separate the levels of a hierarchy ({@code orders.eu}); {@code *} and {@code >} are kept back for
 * subscription wildcards.
 * <p>
 * A queue of more than {@value #MAX_LENGTH} characters (the dead-letter queue of a long name) has no dead-letter queue
 * of its own by default: its name and another {@code .dlq} would break the rule (see {@link #isValid(CharSequence)}).
 * Frames make room for names of {@value #MAX_DEAD_LETTER_LENGTH} ({@link PayloadLimit}).
 */
public final class Names
{
    /** The longest name that does not end in {@link #DEAD_LETTER_SUFFIX}. */
    public static final int MAX_LENGTH = 255;
    /** What the name of a queue's default dead-letter queue adds to the queue's name. */
    public static final String DEAD_LETTER_SUFFIX = ".dlq";
    /** The longest name of all: a name of {@link #MAX_LENGTH} with {@link #DEAD_LETTER_SUFFIX} added. */
    public static final int MAX_DEAD_LETTER_LENGTH = MAX_LENGTH + 4;
    public static final String RULE = "1-" + MAX_LENGTH + " characters from [A-Za-z0-9._-] (up to " +
        MAX_DEAD_LETTER_LENGTH + " if it ends in " + DEAD_LETTER_SUFFIX + ")";

    private Names()
    {
    }

    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1 || length > MAX_DEAD_LETTER_LENGTH)
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
        return length <= MAX_LENGTH || endsWithDeadLetterSuffix(buffer, offset, length);
    }

    public static boolean isValid(final CharSequence name)
    {
        if (name == null || name.length() < 1 || name.length() > MAX_DEAD_LETTER_LENGTH)
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
        return name.length() <= MAX_LENGTH || endsWithDeadLetterSuffix(name);
    }

    private static boolean endsWithDeadLetterSuffix(final CharSequence name)
    {
        final int start = name.length() - DEAD_LETTER_SUFFIX.length();
        for (int i = 0; i < DEAD_LETTER_SUFFIX.length(); i++)
        {
            if (name.charAt(start + i) != DEAD_LETTER_SUFFIX.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean endsWithDeadLetterSuffix(final DirectBuffer buffer, final int offset, final int length)
    {
        final int start = offset + length - DEAD_LETTER_SUFFIX.length();
        for (int i = 0; i < DEAD_LETTER_SUFFIX.length(); i++)
        {
            if (buffer.getByte(start + i) != DEAD_LETTER_SUFFIX.charAt(i))
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
