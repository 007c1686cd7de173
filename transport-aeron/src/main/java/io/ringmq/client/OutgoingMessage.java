package io.ringmq.client;

import io.ringmq.core.protocol.HeadersLayout;
import io.ringmq.core.protocol.MessageIds;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * What a publish carries besides its payload: headers (an ordered set of key -> value pairs, text or bytes) and a
 * message id (at most 128 bytes of UTF-8, kept with the message everywhere; a second publish of the same id to the same
 * queue within the daemon's ringmq.dedup.id.window is answered with the first one's receipt and not enqueued again).
 * Reusable: {@link #clear()} and fill it again; its buffers only grow. Owned by the client's thread.
 *
 * <pre>{@code
 * OutgoingMessage message = new OutgoingMessage().header("trace-id", "abc").messageId("order-17");
 * publisher.publishAndWait("payload", message);
 * }</pre>
 */
public final class OutgoingMessage
{
    private final ExpandableArrayBuffer headers = new ExpandableArrayBuffer(64);
    private int headersLength;
    private final ExpandableArrayBuffer messageId = new ExpandableArrayBuffer(MessageIds.MAX_LENGTH);
    private int messageIdLength;
    private final UnsafeBuffer valueView = new UnsafeBuffer(new byte[0]);

    /** Forgets the headers and the id, to build the next message. */
    public OutgoingMessage clear()
    {
        headersLength = 0;
        messageIdLength = 0;
        return this;
    }

    /** Adds a text header. */
    public OutgoingMessage header(final String key, final String value)
    {
        return header(key, HeadersLayout.TEXT, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a header whose value is bytes. */
    public OutgoingMessage header(final String key, final byte[] value)
    {
        return header(key, HeadersLayout.BYTES, value);
    }

    private OutgoingMessage header(final String key, final byte kind, final byte[] value)
    {
        final byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        if (HeadersLayout.findKey(headers, 0, headersLength, new UnsafeBuffer(keyBytes), 0, keyBytes.length) >= 0)
        {
            throw new IllegalArgumentException("header '" + key + "' is set already: headers are a set of keys");
        }
        valueView.wrap(value);
        headersLength = HeadersLayout.put(headers, headersLength, keyBytes, kind, valueView, 0, value.length);
        return this;
    }

    /** The message id (empty for none); at most 128 bytes of UTF-8. */
    public OutgoingMessage messageId(final String id)
    {
        final byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MessageIds.MAX_LENGTH)
        {
            throw new IllegalArgumentException("a message id takes at most " + MessageIds.MAX_LENGTH +
                " bytes of UTF-8, not " + bytes.length + ": " + id);
        }
        messageId.putBytes(0, bytes);
        messageIdLength = bytes.length;
        return this;
    }

    DirectBuffer headers()
    {
        return headers;
    }

    int headersLength()
    {
        return headersLength;
    }

    DirectBuffer messageIdBytes()
    {
        return messageId;
    }

    int messageIdLength()
    {
        return messageIdLength;
    }
}
