package io.ringmq.client;

import io.ringmq.core.protocol.HeadersLayout;
import io.ringmq.core.protocol.MessageIds;
import io.ringmq.core.protocol.Priority;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * What a publish carries besides its payload: headers (an ordered set of key -> value pairs, text or bytes), a
 * message id (at most 128 bytes of UTF-8, kept with the message everywhere; a second publish of the same id to the same
 * queue within the daemon's ringmq.dedup.id.window is answered with the first one's receipt and not enqueued again),
 * and delivery control: a priority (0-9, default 4), a delay or a deliver-at (one or the other: the last set wins) and
 * a time to live. Reusable: {@link #clear()} and fill it again; its buffers only grow, and setting the delivery
 * control allocates nothing. Owned by the client's thread.
 *
 * <pre>{@code
 * OutgoingMessage message = new OutgoingMessage().header("trace-id", "abc").messageId("order-17")
 *     .priority(7).delayMs(5_000).ttlMs(60_000);
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
    private int priority = Priority.DEFAULT;
    private long delayMs;
    private long deliverAtMs;
    private long ttlMs;

    /** Forgets the headers, the id and the delivery control, to build the next message. */
    public OutgoingMessage clear()
    {
        headersLength = 0;
        messageIdLength = 0;
        priority = Priority.DEFAULT;
        delayMs = 0;
        deliverAtMs = 0;
        ttlMs = 0;
        return this;
    }

    /** 0 (lowest) to 9 (highest), 4 by default: a group delivers higher priorities first, FIFO within one. */
    public OutgoingMessage priority(final int priority)
    {
        this.priority = Priority.checked(priority);
        return this;
    }

    /** No group sees the message until this long after the daemon stores it (0: at once); replaces a deliver-at. */
    public OutgoingMessage delayMs(final long delayMs)
    {
        this.delayMs = notNegative(delayMs, "delayMs");
        this.deliverAtMs = 0;
        return this;
    }

    /** No group sees the message before this time, epoch milliseconds (0: at once); replaces a delay. */
    public OutgoingMessage deliverAtMs(final long deliverAtEpochMs)
    {
        this.deliverAtMs = notNegative(deliverAtEpochMs, "deliverAtMs");
        this.delayMs = 0;
        return this;
    }

    /**
     * The message expires this long after the daemon stores it (0: never), delivered or not, and leaves its queue as
     * the queue's max age makes messages leave: dead-lettered or dropped per the queue's expired action.
     */
    public OutgoingMessage ttlMs(final long ttlMs)
    {
        this.ttlMs = notNegative(ttlMs, "ttlMs");
        return this;
    }

    private static long notNegative(final long value, final String name)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException(name + "=" + value + " is invalid: must be 0 (none) or more");
        }
        return value;
    }

    int priority()
    {
        return priority;
    }

    long delayMs()
    {
        return delayMs;
    }

    long deliverAtMs()
    {
        return deliverAtMs;
    }

    long ttlMs()
    {
        return ttlMs;
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
