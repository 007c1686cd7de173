package io.ringmq.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.ringmq.client.QueueOptions;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.ringmq.http.ServiceCalls.call;

/** The routes about queues as a whole: health, list, declare, stats, delete, purge, groups (list, delete). */
final class QueueEndpoints
{
    private final QueueService service;

    QueueEndpoints(final QueueService service)
    {
        this.service = service;
    }

    /** GET /health: 200 {"status":"ok"} while the service has a daemon, else 503 {"status":"disconnected"}. */
    CompletableFuture<HttpReply> health(final Exchange exchange)
    {
        exchange.takesNothing();
        final boolean connected = service.connected();
        return CompletableFuture.completedFuture(HttpReply.of(
            connected ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
            JsonBody.object((out) -> out.writeStringField("status", connected ? "ok" : "disconnected"))));
    }

    /** GET /queues[?pattern=P]: 200 {"queues":[...]}. */
    CompletableFuture<HttpReply> list(final Exchange exchange)
    {
        exchange.body(Set.of());
        final String pattern = exchange.query(Set.of("pattern")).text("pattern");
        return exchange.reply(call(() -> service.queues(null == pattern ? "" : pattern)),
            (queues) -> HttpReply.ok(ListingJson.queues(queues)));
    }

    /** PUT /queues/{q} [settings]: 201 {"queue","created":true} or 200 {"queue","created":false}. */
    CompletableFuture<HttpReply> declare(final Exchange exchange)
    {
        exchange.query(Set.of());
        final QueueOptions options = QueueSettingsReader.read(JsonFields.ofBody(exchange.body()));
        final String queue = exchange.queue();
        return exchange.reply(call(() -> service.declareQueue(queue, options)), (created) -> HttpReply.of(
            created ? HttpResponseStatus.CREATED : HttpResponseStatus.OK,
            JsonBody.object((out) ->
            {
                out.writeStringField("queue", queue);
                out.writeBooleanField("created", created);
            })));
    }

    /** GET /queues/{q}: 200 with the queue's stats. */
    CompletableFuture<HttpReply> stats(final Exchange exchange)
    {
        exchange.takesNothing();
        final String queue = exchange.queue();
        return exchange.reply(call(() -> service.stats(queue)), (stats) -> HttpReply.ok(ListingJson.stats(queue, stats)));
    }

    /** DELETE /queues/{q}[?force=true]: 200 {"queue","deleted":n}. */
    CompletableFuture<HttpReply> delete(final Exchange exchange)
    {
        exchange.body(Set.of());
        final Boolean force = exchange.query(Set.of("force")).bool("force");
        final String queue = exchange.queue();
        return exchange.reply(call(() -> service.deleteQueue(queue, Boolean.TRUE.equals(force))),
            (deleted) -> HttpReply.ok(count(queue, "deleted", deleted)));
    }

    /** POST /queues/{q}/purge: 200 {"queue","purged":n}. */
    CompletableFuture<HttpReply> purge(final Exchange exchange)
    {
        exchange.takesNothing();
        final String queue = exchange.queue();
        return exchange.reply(call(() -> service.purge(queue)), (purged) -> HttpReply.ok(count(queue, "purged", purged)));
    }

    /** GET /queues/{q}/groups: 200 {"groups":[...]}. */
    CompletableFuture<HttpReply> groups(final Exchange exchange)
    {
        exchange.takesNothing();
        final String queue = exchange.queue();
        return exchange.reply(call(() -> service.groups(queue)),
            (groups) -> HttpReply.ok(ListingJson.groups(queue, groups)));
    }

    /**
     * DELETE /queues/{q}/groups/{g}[?force=true]: 200 {"queue","group","deleted":n} (messages only the group still
     * needed, which leave the queue); as {@code ringmq delete group}: 404 UNKNOWN_GROUP, 409 HAS_CONSUMERS.
     */
    CompletableFuture<HttpReply> deleteGroup(final Exchange exchange)
    {
        exchange.body(Set.of());
        final Boolean force = exchange.query(Set.of("force")).bool("force");
        final String queue = exchange.queue();
        final String group = exchange.routed().group();
        return exchange.reply(call(() -> service.deleteGroup(queue, group, Boolean.TRUE.equals(force))),
            (deleted) -> HttpReply.ok(JsonBody.object((out) ->
            {
                out.writeStringField("queue", queue);
                out.writeStringField("group", group);
                out.writeNumberField("deleted", deleted);
            })));
    }

    /** {@code {"queue": q, <name>: n}}. */
    static byte[] count(final String queue, final String name, final long count)
    {
        return JsonBody.object((out) ->
        {
            out.writeStringField("queue", queue);
            out.writeNumberField(name, count);
        });
    }
}
