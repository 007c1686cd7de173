package io.ringmq.http;

import io.ringmq.client.BrowsedMessage;

import java.util.List;

/**
 * Replies that carry messages: a receive's deliveries and a dead-letter queue's letters, fields named as
 * {@code ringmq consume --json} and {@code ringmq dlq list --json} name them, except that the body is {@code body}
 * (text) or {@code bodyBase64}. Headers are an object: a text value as a string, a bytes value as
 * {@code {"base64": "..."}}, the shape a send takes.
 */
final class MessageJson
{
    private MessageJson()
    {
    }

    static byte[] received(final List<ReceivedMessage> messages, final BodyFormat format)
    {
        return JsonBody.object((out) ->
        {
            out.writeArrayFieldStart("messages");
            for (final ReceivedMessage message : messages)
            {
                out.writeStartObject();
                out.writeStringField("receiptHandle", message.receiptHandle());
                out.writeStringField("queue", message.queue());
                out.writeStringField("group", message.group());
                out.writeNumberField("seq", message.sequence());
                out.writeNumberField("attempt", message.attempt());
                out.writeNumberField("publishTimestampNs", message.publishTimestampNs());
                format.write(out, message.body());
                JsonShapes.headers(out, message.headers());
                JsonBody.writeTextOrNull(out, "id", message.id());
                out.writeNumberField("producerId", message.producerId());
                out.writeNumberField("priority", message.priority());
                final ReceivedMessage.DeadLetter deadLetter = message.deadLetter();
                if (null != deadLetter) // received from a dead-letter queue: why, as the dead-letter listing says
                {
                    out.writeStringField("sourceQueue", deadLetter.sourceQueue());
                    JsonBody.writeTextOrNull(out, "sourceGroup", deadLetter.sourceGroup());
                    out.writeStringField("reason", deadLetter.reason());
                    out.writeNumberField("attempts", deadLetter.attempts());
                }
                out.writeEndObject();
            }
            out.writeEndArray();
        });
    }

    /** @param deadLetterQueue the queue the letters are in, {@code <queue>.dlq}. */
    static byte[] deadLetters(final String deadLetterQueue, final List<BrowsedMessage> letters, final BodyFormat format)
    {
        return JsonBody.object((out) ->
        {
            out.writeArrayFieldStart("messages");
            for (final BrowsedMessage letter : letters)
            {
                out.writeStartObject();
                out.writeStringField("queue", deadLetterQueue);
                out.writeNumberField("seq", letter.sequence());
                out.writeStringField("sourceQueue", letter.sourceQueue());
                JsonBody.writeTextOrNull(out, "sourceGroup", letter.sourceGroup());
                out.writeStringField("reason", letter.reason().name());
                out.writeNumberField("attempts", letter.deadLetterAttempts());
                out.writeNumberField("publishTimestampNs", letter.publishTimestampNs());
                format.write(out, letter.payload());
                JsonShapes.headers(out, letter.headers());
                JsonBody.writeTextOrNull(out, "id", letter.messageId());
                out.writeNumberField("priority", letter.priority());
                out.writeEndObject();
            }
            out.writeEndArray();
        });
    }
}
