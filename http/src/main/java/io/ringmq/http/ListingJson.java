package io.ringmq.http;

import io.ringmq.client.GroupListing;
import io.ringmq.client.QueueListing;
import io.ringmq.client.QueueStats;

import java.util.List;

/**
 * Replies about queues and groups: each object's fields are {@link JsonShapes}', which {@code ringmq queues --json},
 * {@code ringmq stats --json} and {@code ringmq groups --json} print too.
 */
final class ListingJson
{
    private ListingJson()
    {
    }

    /** {@code {"queues": [...]}}; dlqDepth is null when the queue has no dead-letter queue. */
    static byte[] queues(final List<QueueListing> queues)
    {
        return JsonBody.object((out) ->
        {
            out.writeArrayFieldStart("queues");
            for (final QueueListing queue : queues)
            {
                out.writeStartObject();
                JsonShapes.queue(out, queue);
                out.writeEndObject();
            }
            out.writeEndArray();
        });
    }

    static byte[] stats(final String queue, final QueueStats stats)
    {
        return JsonBody.object((out) -> JsonShapes.stats(out, queue, stats));
    }

    /** {@code {"groups": [...]}}; filter is null when the group has none. */
    static byte[] groups(final String queue, final List<GroupListing> groups)
    {
        return JsonBody.object((out) ->
        {
            out.writeArrayFieldStart("groups");
            for (final GroupListing group : groups)
            {
                out.writeStartObject();
                JsonShapes.group(out, queue, group);
                out.writeEndObject();
            }
            out.writeEndArray();
        });
    }
}
