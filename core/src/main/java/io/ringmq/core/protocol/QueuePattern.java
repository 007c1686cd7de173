package io.ringmq.core.protocol;

import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * A wildcard subscription's pattern of queue names, by the dot-separated segments of a name (NATS-style): {@code *}
 * stands for exactly one segment, {@code >} (last only) for one or more; any other token is a segment spelled out.
 * {@code orders.*} matches {@code orders.eu} but not {@code orders} or {@code orders.eu.paid}; {@code orders.>}
 * matches both of the latter two's longer forms.
 * <p>
 * Dead-letter queues: a name whose last segment is {@code dlq} is matched only by a pattern whose last token is
 * {@code dlq} spelled out ({@code orders.*.dlq}). Otherwise {@code orders.>} would hand a consumer back the very
 * letters it rejected, and each rejection there would make one more {@code .dlq.dlq} queue for it to follow.
 * <p>
 * Unlike {@link Names} (queue names, which never hold {@code *} or {@code >}) and the shell-style patterns of queue
 * rules and listings, which ignore dots. Immutable; matching allocates nothing, parsing does (subscribe time only).
 */
public final class QueuePattern
{
    public static final String RULE = "dot-separated segments of [A-Za-z0-9_-], each spelled out or '*' (one " +
        "segment), optionally ending in '>' (one or more segments), at least one wildcard, at most " +
        Names.MAX_LENGTH + " characters";
    private static final String ONE = "*";
    private static final String REST = ">";
    private static final String DEAD_LETTER_SEGMENT = "dlq";

    private final String text;
    private final String[] tokens;

    private QueuePattern(final String text, final String[] tokens)
    {
        this.text = text;
        this.tokens = tokens;
    }

    /** Whether the text asks for a pattern (holds a wildcard character) rather than naming one queue. */
    public static boolean isPattern(final CharSequence text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if ('*' == c || '>' == c)
            {
                return true;
            }
        }
        return false;
    }

    /** Whether the name bytes of a frame ask for a pattern: no queue name holds a wildcard character. */
    public static boolean isPattern(final DirectBuffer buffer, final int offset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if ('*' == b || '>' == b)
            {
                return true;
            }
        }
        return false;
    }

    /** @return the pattern, or null if the text breaks {@link #RULE}. */
    public static QueuePattern parse(final String text)
    {
        if (text.isEmpty() || text.length() > Names.MAX_LENGTH || !isPattern(text))
        {
            return null;
        }
        final String[] tokens = text.split("\\.", -1);
        for (int i = 0; i < tokens.length; i++)
        {
            final String token = tokens[i];
            final boolean wildcard = ONE.equals(token) || (REST.equals(token) && i == tokens.length - 1);
            if (!wildcard && !isLiteral(token))
            {
                return null;
            }
        }
        return new QueuePattern(text, tokens);
    }

    public String text()
    {
        return text;
    }

    /** Whether the queue of that name is one this pattern stands for. */
    public boolean matches(final String name)
    {
        if (endsInDeadLetterSegment(name) && !DEAD_LETTER_SEGMENT.equals(tokens[tokens.length - 1]))
        {
            return false;
        }
        int start = 0;
        for (int i = 0; i < tokens.length; i++)
        {
            if (start > name.length())
            {
                return false; // the name ran out of segments before the pattern did
            }
            final String token = tokens[i];
            if (REST.equals(token))
            {
                return true; // at least one segment is left: start is within the name
            }
            int end = name.indexOf('.', start);
            if (end < 0)
            {
                end = name.length();
            }
            if (!ONE.equals(token) &&
                (end - start != token.length() || !name.regionMatches(start, token, 0, token.length())))
            {
                return false;
            }
            start = end + 1;
        }
        return start == name.length() + 1; // every segment used, none left over
    }

    private static boolean endsInDeadLetterSegment(final String name)
    {
        return name.endsWith("." + DEAD_LETTER_SEGMENT) || DEAD_LETTER_SEGMENT.equals(name);
    }

    private static boolean isLiteral(final String token)
    {
        if (token.isEmpty())
        {
            return false;
        }
        for (int i = 0; i < token.length(); i++)
        {
            final char c = token.charAt(i);
            if ('.' == c || c > 127 || !Names.isValid(String.valueOf(c)))
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof QueuePattern that && Arrays.equals(tokens, that.tokens);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(tokens);
    }

    @Override
    public String toString()
    {
        return text;
    }
}
