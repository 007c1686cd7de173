package io.ringmq.http;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How a reply carries a message body: {@code text} as a {@code "body"} string (UTF-8; bytes that are not UTF-8 read as
 * U+FFFD), {@code base64} as a {@code "bodyBase64"} string with the bytes exact, for binary bodies.
 */
enum BodyFormat
{
    TEXT("text", "body"),
    BASE64("base64", "bodyBase64");

    private final String spelling;
    private final String field;

    BodyFormat(final String spelling, final String field)
    {
        this.spelling = spelling;
        this.field = field;
    }

    /** The {@code bodyFormat} parameter: text (the default, when not given) or base64. */
    static BodyFormat read(final NamedValues values)
    {
        final String text = values.text("bodyFormat");
        if (null == text || TEXT.spelling.equals(text))
        {
            return TEXT;
        }
        if (BASE64.spelling.equals(text))
        {
            return BASE64;
        }
        throw RefusedRequest.badRequest("bodyFormat must be text or base64, not '" + text + "'");
    }

    void write(final JsonGenerator out, final byte[] body) throws IOException
    {
        out.writeStringField(field, this == BASE64 ?
            Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8));
    }
}
