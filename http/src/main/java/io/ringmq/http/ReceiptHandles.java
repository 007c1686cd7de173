package io.ringmq.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A receipt handle names one delivery: its group, sequence and attempt, as base64url text that fits a URL path
 * segment. A delivery's (sequence, attempt) is unique in its queue, since each delivery of a message is a new attempt,
 * so the handle needs no secret or gateway id: a handle whose attempt is no longer the one in flight is simply not
 * current, whichever gateway made it.
 */
final class ReceiptHandles
{
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private ReceiptHandles()
    {
    }

    static String encode(final String group, final long sequence, final int attempt)
    {
        return ENCODER.encodeToString((sequence + "." + attempt + "." + group).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws ReceiptHandleException (malformed) when the text is not a handle {@link #encode} makes. */
    static Decoded decode(final String handle)
    {
        final String text;
        try
        {
            text = new String(DECODER.decode(handle), StandardCharsets.UTF_8);
        }
        catch (final IllegalArgumentException ex)
        {
            throw malformed(handle);
        }
        final int firstDot = text.indexOf('.');
        final int secondDot = firstDot < 0 ? -1 : text.indexOf('.', firstDot + 1);
        if (secondDot < 0 || secondDot == text.length() - 1)
        {
            throw malformed(handle);
        }
        try
        {
            final long sequence = Long.parseLong(text, 0, firstDot, 10);
            final int attempt = Integer.parseInt(text, firstDot + 1, secondDot, 10);
            if (sequence < 1 || attempt < 1)
            {
                throw malformed(handle);
            }
            return new Decoded(text.substring(secondDot + 1), sequence, attempt);
        }
        catch (final NumberFormatException ex)
        {
            throw malformed(handle);
        }
    }

    private static ReceiptHandleException malformed(final String handle)
    {
        return new ReceiptHandleException("'" + handle + "' is not a receipt handle of this HTTP face", true);
    }

    record Decoded(String group, long sequence, int attempt)
    {
    }
}
