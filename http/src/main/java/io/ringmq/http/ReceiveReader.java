package io.ringmq.http;

import java.util.Set;

/**
 * Reads a receive's parameters, {@code group} ("default"), {@code max} (1), {@code waitMs} (0),
 * {@code visibilityTimeoutMs} (0: the queue's) and {@code bodyFormat} (text), from a JSON body or, when the body is
 * empty, from the query: one or the other, so that no value is silently ignored. The ranges are
 * {@link ReceiveRequest}'s own.
 */
final class ReceiveReader
{
    /** The parameters of one receive: what to ask the service, and how to write the bodies it answers with. */
    record Receive(ReceiveRequest request, BodyFormat format)
    {
    }

    static final String DEFAULT_GROUP = "default";

    private static final Set<String> NAMES = Set.of("group", "max", "waitMs", "visibilityTimeoutMs", "bodyFormat");

    private ReceiveReader()
    {
    }

    /** @throws RefusedRequest BAD_REQUEST (with ReceiveRequest's message for a value out of range), INVALID_NAME. */
    static Receive read(final byte[] body, final QueryParameters query)
    {
        final NamedValues values;
        if (JsonFields.isEmpty(body))
        {
            values = query.allowOnly(NAMES);
        }
        else if (!query.isEmpty())
        {
            throw RefusedRequest.badRequest("give a receive's parameters in the body or in the query, not both");
        }
        else
        {
            values = JsonFields.ofBody(body).allowOnly(NAMES);
        }
        final String group = values.text("group");
        final Long max = values.integer("max", Integer.MIN_VALUE, Integer.MAX_VALUE);
        final Long waitMs = values.integer("waitMs", Long.MIN_VALUE, Long.MAX_VALUE);
        final Long visibilityTimeoutMs = values.integer("visibilityTimeoutMs", Long.MIN_VALUE, Long.MAX_VALUE);
        final BodyFormat format = BodyFormat.read(values);
        try
        {
            return new Receive(new ReceiveRequest(
                null == group ? DEFAULT_GROUP : Names.checked("group", group),
                null == max ? 1 : max.intValue(),
                null == waitMs ? 0 : waitMs,
                null == visibilityTimeoutMs ? 0 : visibilityTimeoutMs), format);
        }
        catch (final IllegalArgumentException ex)
        {
            throw RefusedRequest.badRequest(ex.getMessage());
        }
    }
}
