package io.ringmq.core.protocol;

import io.ringmq.codecs.VarMessageIdEncodingEncoder;

/** A message's id: set by its publisher, at most {@link #MAX_LENGTH} bytes of UTF-8, empty for none. Stateless. */
public final class MessageIds
{
    /**
     * The schema's bound on a {@code messageId} field (its length type's maxValue), as the codecs generated from the
     * schema carry it: a client that publishes need not parse the schema's XML to know it.
     */
    public static final int MAX_LENGTH = (int)VarMessageIdEncodingEncoder.lengthMaxValue();

    private MessageIds()
    {
    }
}
