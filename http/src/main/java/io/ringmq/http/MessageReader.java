package io.ringmq.http;

import io.ringmq.client.OutgoingMessage;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * Reads one message to send from its JSON object:
 * <pre>{@code
 * {"body": "text" | "bodyBase64": "...",              exactly one; "" is an empty body
 *  "headers": {"key": "text", "key2": {"base64": "..."}},
 *  "id": "order-17", "priority": 0-9, "delayMs": n | "deliverAt": "YYYY-MM-DDThh:mm:ssZ", "ttlMs": n}
 * }</pre>
 */
final class MessageReader
{
    private static final Set<String> FIELDS =
        Set.of("body", "bodyBase64", "headers", "id", "priority", "delayMs", "deliverAt", "ttlMs");
    private static final Set<String> BYTES = Set.of("base64");
    private static final int MAX_PRIORITY = 9;

    private MessageReader()
    {
    }

    /** @throws RefusedRequest BAD_REQUEST naming the field that is wrong. */
    static MessageToSend read(final JsonFields fields)
    {
        fields.allowOnly(FIELDS);
        final OutgoingMessage message = new OutgoingMessage();
        final byte[] body = body(fields);
        final JsonFields headers = fields.object("headers");
        if (null != headers)
        {
            for (final Map.Entry<String, Object> header : headers.entries())
            {
                header(message, headers, header.getKey(), header.getValue());
            }
        }
        final String id = fields.text("id");
        if (null != id)
        {
            try
            {
                message.messageId(id);
            }
            catch (final IllegalArgumentException ex)
            {
                throw RefusedRequest.badRequest("field '" + fields.nameOf("id") + "': " + ex.getMessage());
            }
        }
        final Long priority = fields.integer("priority", 0, MAX_PRIORITY);
        if (null != priority)
        {
            message.priority(priority.intValue());
        }
        timing(fields, message);
        return new MessageToSend(body, message);
    }

    private static byte[] body(final JsonFields fields)
    {
        final String text = fields.text("body");
        final String base64 = fields.text("bodyBase64");
        if ((null == text) == (null == base64))
        {
            throw RefusedRequest.badRequest("give exactly one of '" + fields.nameOf("body") + "' (text) and '" +
                fields.nameOf("bodyBase64") + "'");
        }
        return null != text ? text.getBytes(StandardCharsets.UTF_8) : base64(fields.nameOf("bodyBase64"), base64);
    }

    private static void header(
        final OutgoingMessage message, final JsonFields headers, final String key, final Object value)
    {
        final String name = headers.nameOf(key);
        try
        {
            if (value instanceof String)
            {
                message.header(key, (String)value);
                return;
            }
            final String base64 = value instanceof Map ? headers.object(key).allowOnly(BYTES).text("base64") : null;
            if (null == base64)
            {
                throw RefusedRequest.badRequest("header '" + name + "' must be a string or {\"base64\": \"...\"}");
            }
            message.header(key, base64(name + ".base64", base64));
        }
        catch (final IllegalArgumentException ex)
        {
            throw RefusedRequest.badRequest("header '" + name + "': " + ex.getMessage());
        }
    }

    private static void timing(final JsonFields fields, final OutgoingMessage message)
    {
        final Long delayMs = fields.integer("delayMs", 0, Long.MAX_VALUE);
        final String deliverAt = fields.text("deliverAt");
        if (null != delayMs && null != deliverAt)
        {
            throw RefusedRequest.badRequest("give '" + fields.nameOf("delayMs") + "' or '" +
                fields.nameOf("deliverAt") + "', not both");
        }
        if (null != delayMs)
        {
            message.delayMs(delayMs);
        }
        if (null != deliverAt)
        {
            message.deliverAtMs(epochMillis(fields.nameOf("deliverAt"), deliverAt));
        }
        final Long ttlMs = fields.integer("ttlMs", 0, Long.MAX_VALUE);
        if (null != ttlMs)
        {
            message.ttlMs(ttlMs);
        }
    }

    private static long epochMillis(final String name, final String text)
    {
        final long ms;
        try
        {
            ms = Instant.parse(text).toEpochMilli();
        }
        catch (final DateTimeException | ArithmeticException ex)
        {
            throw RefusedRequest.badRequest("field '" + name + "' must be an ISO-8601 instant in UTC, " +
                "YYYY-MM-DDThh:mm:ss[.fff]Z, at most a year from now, not '" + text + "'");
        }
        if (ms < 0)
        {
            throw RefusedRequest.badRequest("field '" + name + "' must not be before 1970: " + text);
        }
        return ms;
    }

    private static byte[] base64(final String name, final String text)
    {
        try
        {
            return Base64.getDecoder().decode(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw RefusedRequest.badRequest("field '" + name + "' is not base64: " + ex.getMessage());
        }
    }
}
