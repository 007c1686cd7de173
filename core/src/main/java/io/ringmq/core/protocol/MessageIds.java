package io.ringmq.core.protocol;

import io.ringmq.codecs.PublishDecoder;

/** A message's id: set by its publisher, at most {@link #MAX_LENGTH} bytes of UTF-8, empty for none. Stateless. */
public final class MessageIds
{
    /** The schema's bound on a Publish's {@code messageId} field (its length type's maxValue). */
    public static final int MAX_LENGTH = (int)SchemaLayout.RINGMQ.message(PublishDecoder.TEMPLATE_ID).varData()
        .stream().filter(field -> "messageId".equals(field.name())).findFirst().orElseThrow().maxLength();

    private MessageIds()
    {
    }
}
