package io.ringmq.core.state;

import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.PublishDecoder;
import io.ringmq.codecs.ReplyDecoder;

/**
 * What a client is told about a frame the ingress refused (a FrameRejected): the code, and for a frame too large the
 * limit it passed and why that limit is what it is. Stateless.
 */
final class FrameRejections
{
    private FrameRejections()
    {
    }

    /**
     * @param maxLength for MESSAGE_TOO_LARGE the most bytes allowed (a Publish's payload, else the frame), for
     *                  HEADERS_TOO_LARGE the most header bytes; 0 or less
     *                  when not known (other codes, or a FrameRejected journaled before schema version 6).
     */
    static String describe(final int templateId, final ErrorCode code, final int maxLength)
    {
        if (ErrorCode.STORAGE_FULL == code)
        {
            return "publish refused, nothing stored: the journal's disk has less free space than " +
                "ringmq.journal.min.free.space; publishes are taken again once space is freed (all else goes on)";
        }
        if (ErrorCode.HEADERS_TOO_LARGE == code)
        {
            return "publish refused: its headers take more than " + maxLength + " bytes (ringmq.max.header.bytes), " +
                "or are not well formed (an entry cut short, an empty or repeated key, an unknown value kind, a key or " +
                "text value that is not UTF-8)";
        }
        if (ErrorCode.MESSAGE_TOO_LARGE != code || maxLength <= 0)
        {
            return "the daemon refused a frame (template " + templateId + "): " + code;
        }
        if (PublishDecoder.TEMPLATE_ID == templateId || ReplyDecoder.TEMPLATE_ID == templateId)
        {
            return (PublishDecoder.TEMPLATE_ID == templateId ? "publish" : "reply") + " refused: its payload is larger than " + maxLength + " bytes, the most a message may " +
                "carry: every frame a message can travel in must fit ringmq.max.message.bytes, and the largest, " +
                "a dead letter browsed with its queue and group names, adds more to the payload than the publish does";
        }
        return "the daemon refused a frame (template " + templateId + "): " + code + ": frames may be at most " +
            maxLength + " bytes (ringmq.max.message.bytes)";
    }
}
