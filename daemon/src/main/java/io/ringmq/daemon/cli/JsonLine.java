package io.ringmq.daemon.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** One JSON object on one line, for the commands whose {@code --json} prints an object per queue, group or message. */
final class JsonLine
{
    private static final JsonFactory JSON = new JsonFactory();

    @FunctionalInterface
    interface Fields
    {
        void write(JsonGenerator out) throws IOException;
    }

    private JsonLine()
    {
    }

    static String of(final Fields fields)
    {
        final StringWriter line = new StringWriter(160);
        try (JsonGenerator out = JSON.createGenerator(line))
        {
            out.writeStartObject();
            fields.write(out);
            out.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return line.toString();
    }
}
