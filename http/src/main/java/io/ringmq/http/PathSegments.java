package io.ringmq.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * A request path split at its slashes, each segment percent-decoded as UTF-8 after the split, so that {@code %2F}
 * is part of a name rather than a separator. A {@code +} stays a plus: that is form encoding, which paths do not use.
 */
final class PathSegments
{
    private PathSegments()
    {
    }

    /**
     * @param rawPath the path as the request line has it, before any decoding.
     * @return the decoded segments after the leading slash; an empty segment where two slashes meet or one ends it.
     * @throws RefusedRequest BAD_REQUEST for a path that is not absolute, a broken escape or bytes that are not UTF-8.
     */
    static String[] split(final String rawPath)
    {
        if (!rawPath.startsWith("/"))
        {
            throw RefusedRequest.badRequest("the path '" + rawPath + "' must start with /");
        }
        final String[] segments = rawPath.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++)
        {
            segments[i] = decode(segments[i]);
        }
        return segments;
    }

    private static String decode(final String segment)
    {
        if (isPlainAscii(segment))
        {
            return segment;
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++)
        {
            final char c = segment.charAt(i);
            if ('%' == c)
            {
                final int high = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
                final int low = high >= 0 ? Character.digit(segment.charAt(i + 2), 16) : -1;
                if (low < 0)
                {
                    throw RefusedRequest.badRequest("the path segment '" + segment + "' has a broken %-escape");
                }
                bytes.write(high << 4 | low);
                i += 2;
            }
            else
            {
                bytes.write(c); // the request line reaches us one char per byte (ISO-8859-1), raw UTF-8 included
            }
        }
        try
        {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw RefusedRequest.badRequest("the path segment '" + segment + "' is not UTF-8 once decoded");
        }
    }

    private static boolean isPlainAscii(final String segment)
    {
        for (int i = 0; i < segment.length(); i++)
        {
            final char c = segment.charAt(i);
            if ('%' == c || c >= 0x80)
            {
                return false;
            }
        }
        return true;
    }
}
