package io.ringmq.http;

import io.ringmq.client.GroupListing;
import io.ringmq.client.QueueListing;
import io.ringmq.client.QueueStats;
import io.ringmq.core.state.Spelling;

import java.util.List;

/**
 * Replies about queues and groups, with each object's fields named and spelled as {@code ringmq queues --json},
 * {@code ringmq stats --json} and {@code ringmq groups --json} print them, so a script can move between the two.
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
                out.writeStringField("queue", queue.name());
                out.writeNumberField("depth", queue.depth());
                out.writeNumberField("inFlight", queue.inFlight());
                out.writeNumberField("groups", queue.groups());
                out.writeNumberField("consumers", queue.consumers());
                if (queue.dlqDepth() < 0)
                {
                    out.writeNullField("dlqDepth");
                }
                else
                {
                    out.writeNumberField("dlqDepth", queue.dlqDepth());
                }
                out.writeNumberField("visibilityTimeoutMs", queue.visibilityTimeoutMs());
                out.writeNumberField("maxAttempts", queue.maxAttempts());
                out.writeStringField("backoff", Spelling.of(queue.backoff()));
                out.writeStringField("strategy", Spelling.of(queue.strategy()));
                out.writeNumberField("retained", queue.retained());
                out.writeNumberField("retainedBytes", queue.retainedBytes());
                out.writeNumberField("delayMs", queue.delayMs());
                out.writeEndObject();
            }
            out.writeEndArray();
        });
    }

    static byte[] stats(final String queue, final QueueStats stats)
    {
        return JsonBody.object((out) ->
        {
            out.writeStringField("queue", queue);
            out.writeNumberField("messages", stats.messages());
            out.writeNumberField("bytes", stats.bytes());
            out.writeNumberField("inFlight", stats.inFlight());
            out.writeNumberField("groups", stats.groups());
            out.writeNumberField("consumers", stats.consumers());
            out.writeNumberField("expired", stats.expired());
            out.writeNumberField("overflowed", stats.overflowed());
            out.writeNumberField("dropped", stats.dropped());
            out.writeNumberField("refused", stats.refused());
        });
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
                out.writeStringField("queue", queue);
                out.writeStringField("group", group.name());
                out.writeNumberField("lag", group.lag());
                out.writeNumberField("consumers", group.consumers());
                out.writeNumberField("inFlight", group.inFlight());
                out.writeStringField("strategy", Spelling.of(group.strategy()));
                out.writeStringField("dlq", group.deadLetterQueue());
                out.writeNumberField("filtered", group.filtered());
                JsonBody.writeTextOrNull(out, "filter", group.filter());
                out.writeEndObject();
            }
            out.writeEndArray();
        });
    }
}
