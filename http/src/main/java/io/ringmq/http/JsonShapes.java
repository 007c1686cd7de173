package io.ringmq.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ringmq.client.GroupListing;
import io.ringmq.client.MessageHeaders;
import io.ringmq.client.QueueListing;
import io.ringmq.client.QueueStats;
import io.ringmq.core.state.Spelling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * The fields of a queue listing, a queue's stats, a group listing and a message's headers, written into an object the
 * caller has opened: one place for the shapes that {@code ringmq queues|stats|groups|consume --json} print and the HTTP
 * face answers, so a script can move between the two.
 */
public final class JsonShapes
{
    private JsonShapes()
    {
    }

    /** dlqDepth is null when the queue has no dead-letter queue. */
    public static void queue(final JsonGenerator out, final QueueListing queue) throws IOException
    {
        out.writeStringField("queue", queue.name());
        out.writeNumberField("depth", queue.depth());
        out.writeNumberField("inFlight", queue.inFlight());
        out.writeNumberField("groups", queue.groups());
        out.writeNumberField("consumers", queue.consumers());
        if (queue.dlqDepth() < 0)
        {
            out.writeNullField("dlqDepth");
        }
        else
        {
            out.writeNumberField("dlqDepth", queue.dlqDepth());
        }
        out.writeNumberField("visibilityTimeoutMs", queue.visibilityTimeoutMs());
        out.writeNumberField("maxAttempts", queue.maxAttempts());
        out.writeStringField("backoff", Spelling.of(queue.backoff()));
        out.writeStringField("strategy", Spelling.of(queue.strategy()));
        out.writeNumberField("retained", queue.retained());
        out.writeNumberField("retainedBytes", queue.retainedBytes());
        out.writeNumberField("delayMs", queue.delayMs());
    }

    public static void stats(final JsonGenerator out, final String queue, final QueueStats stats) throws IOException
    {
        out.writeStringField("queue", queue);
        out.writeNumberField("messages", stats.messages());
        out.writeNumberField("bytes", stats.bytes());
        out.writeNumberField("inFlight", stats.inFlight());
        out.writeNumberField("groups", stats.groups());
        out.writeNumberField("consumers", stats.consumers());
        out.writeNumberField("expired", stats.expired());
        out.writeNumberField("overflowed", stats.overflowed());
        out.writeNumberField("dropped", stats.dropped());
        out.writeNumberField("refused", stats.refused());
    }

    /** filter is null when the group has none. */
    public static void group(final JsonGenerator out, final String queue, final GroupListing group) throws IOException
    {
        out.writeStringField("queue", queue);
        out.writeStringField("group", group.name());
        out.writeNumberField("lag", group.lag());
        out.writeNumberField("consumers", group.consumers());
        out.writeNumberField("inFlight", group.inFlight());
        out.writeStringField("strategy", Spelling.of(group.strategy()));
        out.writeStringField("dlq", group.deadLetterQueue());
        out.writeNumberField("filtered", group.filtered());
        JsonBody.writeTextOrNull(out, "filter", group.filter());
    }

    /**
     * {@code "headers": {...}}: a text value as a string, a bytes value as {@code {"base64": "..."}}, the shape a send
     * takes. No headers (null) is an empty object.
     */
    public static void headers(final JsonGenerator out, final MessageHeaders headers) throws IOException
    {
        out.writeObjectFieldStart("headers");
        if (null != headers)
        {
            try
            {
                headers.forEach((key, text, buffer, offset, length) ->
                {
                    try
                    {
                        if (text)
                        {
                            out.writeStringField(key, buffer.getStringWithoutLengthUtf8(offset, length));
                        }
                        else
                        {
                            final byte[] bytes = new byte[length];
                            buffer.getBytes(offset, bytes);
                            out.writeObjectFieldStart(key);
                            out.writeStringField("base64", Base64.getEncoder().encodeToString(bytes));
                            out.writeEndObject();
                        }
                    }
                    catch (final IOException ex)
                    {
                        throw new UncheckedIOException(ex);
                    }
                });
            }
            catch (final UncheckedIOException ex)
            {
                throw ex.getCause();
            }
        }
        out.writeEndObject();
    }
}
