package io.ringmq.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A reply body: one JSON object written with jackson-core's generator, as UTF-8 bytes. */
final class JsonBody
{
    private static final JsonFactory JSON = new JsonFactory();

    /** Writes the object's fields; the braces are written around them. */
    @FunctionalInterface
    interface Fields
    {
        void write(JsonGenerator out) throws IOException;
    }

    private JsonBody()
    {
    }

    static byte[] object(final Fields fields)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator out = JSON.createGenerator(bytes))
        {
            out.writeStartObject();
            fields.write(out);
            out.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex); // into memory: only a bug in a writer gets here
        }
        return bytes.toByteArray();
    }

    /** {@code {"error": CODE, "message": ...}}: every error reply's body. */
    static byte[] error(final String code, final String message)
    {
        return object((out) -> writeError(out, code, message));
    }

    static void writeError(final JsonGenerator out, final String code, final String message) throws IOException
    {
        out.writeStringField("error", code);
        out.writeStringField("message", message);
    }

    /** A string field that is null when the value is null or empty (the client's "none"). */
    static void writeTextOrNull(final JsonGenerator out, final String name, final String value) throws IOException
    {
        if (null == value || value.isEmpty())
        {
            out.writeNullField(name);
        }
        else
        {
            out.writeStringField(name, value);
        }
    }
}
