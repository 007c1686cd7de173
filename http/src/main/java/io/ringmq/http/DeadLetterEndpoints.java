package io.ringmq.http;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.ringmq.http.ServiceCalls.call;

/** The routes about a queue's dead letters ({@code <queue>.dlq}): list them, move them back. */
final class DeadLetterEndpoints
{
    private static final String DLQ_SUFFIX = ".dlq";
    private static final Set<String> LIST_PARAMETERS = Set.of("group", "max", "bodyFormat");
    private static final Set<String> REDRIVE_FIELDS = Set.of("group", "count");

    private final QueueService service;

    DeadLetterEndpoints(final QueueService service)
    {
        this.service = service;
    }

    /** GET /queues/{q}/dlq[?group=G&max=N&bodyFormat=text|base64]: 200 {"messages":[...]}, oldest first. */
    CompletableFuture<HttpReply> list(final Exchange exchange)
    {
        exchange.body(Set.of());
        final QueryParameters query = exchange.query(LIST_PARAMETERS);
        final String group = group(query);
        final Long max = query.integer("max", 0, Long.MAX_VALUE);
        final BodyFormat format = BodyFormat.read(query);
        final String queue = exchange.queue();
        return exchange.reply(call(() -> service.deadLetters(queue, group, null == max ? 0 : max)),
            (letters) -> HttpReply.ok(MessageJson.deadLetters(queue + DLQ_SUFFIX, letters, format)));
    }

    /** POST /queues/{q}/dlq/redrive [{"group": "" (all), "count": 0 (all)}]: 200 {"queue","redriven":n}. */
    CompletableFuture<HttpReply> redrive(final Exchange exchange)
    {
        exchange.query(Set.of());
        final JsonFields body = exchange.body(REDRIVE_FIELDS);
        final String group = group(body);
        final Long count = body.integer("count", 0, Long.MAX_VALUE);
        final String queue = exchange.queue();
        return exchange.reply(call(() -> service.redrive(queue, group, null == count ? 0 : count)),
            (redriven) -> HttpReply.ok(QueueEndpoints.count(queue, "redriven", redriven)));
    }

    /** The group to act for: "" (not given) for every group, else a checked name. */
    private static String group(final NamedValues values)
    {
        final String group = values.text("group");
        return null == group || group.isEmpty() ? "" : Names.checked("group", group);
    }
}
