package io.ringmq.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A receipt handle names one hand-out of one delivery: its group, sequence and attempt, and the face's number for that
 * hand-out, as base64url text that fits a URL path segment.
 * <p>
 * (sequence, attempt) alone is not enough: a seek delivers a message again as attempt 1, and a queue deleted and
 * declared again numbers its messages from 1, so an old handle would name a new delivery and settle another client's
 * message. The hand-out number is the face's own, counted from a random start, so a handle names one hand-out only,
 * of this face process or of none.
 */
final class ReceiptHandles
{
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private ReceiptHandles()
    {
    }

    /** @param handOut the face's number for this hand-out, unique in this face process. */
    static String encode(final String group, final long sequence, final int attempt, final long handOut)
    {
        return ENCODER.encodeToString(
            (sequence + "." + attempt + "." + Long.toUnsignedString(handOut, 36) + "." + group)
                .getBytes(StandardCharsets.UTF_8));
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
        final int thirdDot = secondDot < 0 ? -1 : text.indexOf('.', secondDot + 1);
        if (thirdDot < 0 || thirdDot == text.length() - 1)
        {
            throw malformed(handle);
        }
        try
        {
            final long sequence = Long.parseLong(text, 0, firstDot, 10);
            final int attempt = Integer.parseInt(text, firstDot + 1, secondDot, 10);
            final long handOut = Long.parseUnsignedLong(text, secondDot + 1, thirdDot, 36);
            if (sequence < 1 || attempt < 1)
            {
                throw malformed(handle);
            }
            return new Decoded(text.substring(thirdDot + 1), sequence, attempt, handOut);
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

    record Decoded(String group, long sequence, int attempt, long handOut)
    {
    }
}
