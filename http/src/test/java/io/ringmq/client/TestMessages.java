package io.ringmq.client;

import java.util.Map;

/**
 * A seam for the HTTP face's tests, in the client's package: reads what an {@link OutgoingMessage} was given (its
 * getters are the client's own) and builds {@link MessageHeaders} as a received message carries them.
 */
public final class TestMessages
{
    private TestMessages()
    {
    }

    public static int priority(final OutgoingMessage message)
    {
        return message.priority();
    }

    public static long delayMs(final OutgoingMessage message)
    {
        return message.delayMs();
    }

    public static long deliverAtMs(final OutgoingMessage message)
    {
        return message.deliverAtMs();
    }

    public static long ttlMs(final OutgoingMessage message)
    {
        return message.ttlMs();
    }

    /** The message id, "" for none. */
    public static String messageId(final OutgoingMessage message)
    {
        return message.messageIdBytes().getStringWithoutLengthUtf8(0, message.messageIdLength());
    }

    /** key -> String for text, byte[] for bytes, in order. */
    public static Map<String, Object> headers(final OutgoingMessage message)
    {
        return new MessageHeaders().wrap(message.headers(), 0, message.headersLength()).toMap();
    }

    /** Headers from key -> String (text) or byte[] (bytes), over a copy of their bytes. */
    public static MessageHeaders headers(final Map<String, Object> headers)
    {
        final byte[] bytes = headerBytes(headers);
        return new MessageHeaders().wrap(new org.agrona.concurrent.UnsafeBuffer(bytes), 0, bytes.length);
    }

    /** The headers' bytes, as a {@link BrowsedMessage} carries them. */
    public static byte[] headerBytes(final Map<String, Object> headers)
    {
        final OutgoingMessage message = new OutgoingMessage();
        headers.forEach((key, value) ->
        {
            if (value instanceof byte[] bytes)
            {
                message.header(key, bytes);
            }
            else
            {
                message.header(key, (String)value);
            }
        });
        final byte[] bytes = new byte[message.headersLength()];
        message.headers().getBytes(0, bytes);
        return bytes;
    }
}
