package io.ringmq.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.ringmq.http.ServiceCalls.call;

/** The routes about messages: send, send a batch, receive, and settle a received one by its receipt handle. */
final class MessageEndpoints
{
    static final int MAX_BATCH = 10;

    private static final Set<String> BATCH_FIELDS = Set.of("messages");
    private static final Set<String> DELETE_BATCH_FIELDS = Set.of("receiptHandles");
    private static final Set<String> VISIBILITY_FIELDS = Set.of("timeoutMs");

    private final QueueService service;

    MessageEndpoints(final QueueService service)
    {
        this.service = service;
    }

    /** POST /queues/{q}/messages: 200 {"queue","seq"}. */
    CompletableFuture<HttpReply> send(final Exchange exchange)
    {
        exchange.query(Set.of());
        final MessageToSend message = MessageReader.read(JsonFields.ofBody(exchange.body()));
        final String queue = exchange.queue();
        return exchange.reply(call(() -> service.send(queue, message.body(), message.message())),
            (seq) -> HttpReply.ok(JsonBody.object((out) ->
            {
                out.writeStringField("queue", queue);
                out.writeNumberField("seq", seq);
            })));
    }

    /**
     * POST /queues/{q}/messages/batch: 200 {"results":[{"seq"} | {"error","message"}]} in request order. Each message
     * is read and sent on its own: one that is wrong, or refused, fails alone.
     */
    CompletableFuture<HttpReply> sendBatch(final Exchange exchange)
    {
        exchange.query(Set.of());
        final JsonFields body = exchange.body(BATCH_FIELDS);
        final List<Object> messages = body.array("messages");
        if (null == messages || messages.isEmpty() || messages.size() > MAX_BATCH)
        {
            throw RefusedRequest.badRequest("field 'messages' must hold 1 to " + MAX_BATCH + " messages, not " +
                (null == messages ? "none" : messages.size()));
        }
        final String queue = exchange.queue();
        final List<CompletableFuture<Long>> sent = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++)
        {
            CompletableFuture<Long> one;
            try
            {
                final MessageToSend message = MessageReader.read(JsonFields.element("messages", i, messages.get(i)));
                one = call(() -> service.send(queue, message.body(), message.message()));
            }
            catch (final RefusedRequest ex)
            {
                one = CompletableFuture.failedFuture(ex);
            }
            sent.add(one);
        }
        final CompletableFuture<Void> all = CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0]))
            .exceptionally((failure) -> null); // each result, failed or not, is read below
        return exchange.reply(all, (ignored) -> HttpReply.ok(batchResults(sent)));
    }

    private static byte[] batchResults(final List<CompletableFuture<Long>> sent)
    {
        return JsonBody.object((out) ->
        {
            out.writeArrayFieldStart("results");
            for (final CompletableFuture<Long> one : sent)
            {
                out.writeStartObject();
                try
                {
                    out.writeNumberField("seq", one.join());
                }
                catch (final CompletionException | CancellationException ex)
                {
                    final ErrorReplies.Failure failure = ErrorReplies.describe(ex);
                    JsonBody.writeError(out, failure.code(), failure.message());
                }
                out.writeEndObject();
            }
            out.writeEndArray();
        });
    }

    /** POST /queues/{q}/messages/receive [parameters in the body or the query]: 200 {"messages":[...]}. */
    CompletableFuture<HttpReply> receive(final Exchange exchange)
    {
        final ReceiveReader.Receive receive = ReceiveReader.read(exchange.body(), exchange.query());
        final String queue = exchange.queue();
        final CompletableFuture<List<ReceivedMessage>> received = call(() -> service.receive(queue, receive.request()));
        // A client that goes away while its receive waits: it stops waiting, and what it holds goes back at once.
        final Runnable answered = exchange.onClientGone(() -> received.cancel(false));
        return exchange.reply(received, (messages) -> HttpReply.ok(MessageJson.received(messages, receive.format())))
            .whenComplete((reply, failure) -> answered.run());
    }

    /** DELETE /queues/{q}/messages/{handle}: 204. */
    CompletableFuture<HttpReply> delete(final Exchange exchange)
    {
        exchange.takesNothing();
        return exchange.reply(call(() -> service.delete(exchange.queue(), exchange.handle())),
            (done) -> HttpReply.noContent());
    }

    /**
     * POST /queues/{q}/messages/delete {"receiptHandles":[1..10]}: 200 {"results":[{"deleted":true} |
     * {"error","message"}]} in request order, SQS's DeleteMessageBatch: each handle is deleted, or refused, alone.
     */
    CompletableFuture<HttpReply> deleteBatch(final Exchange exchange)
    {
        exchange.query(Set.of());
        final List<Object> handles = exchange.body(DELETE_BATCH_FIELDS).array("receiptHandles");
        if (null == handles || handles.isEmpty() || handles.size() > MAX_BATCH)
        {
            throw RefusedRequest.badRequest("field 'receiptHandles' must hold 1 to " + MAX_BATCH + " handles, not " +
                (null == handles ? "none" : handles.size()));
        }
        final String queue = exchange.queue();
        final List<CompletableFuture<Void>> deleted = new ArrayList<>(handles.size());
        for (int i = 0; i < handles.size(); i++)
        {
            if (handles.get(i) instanceof String handle)
            {
                deleted.add(call(() -> service.delete(queue, handle)));
            }
            else
            {
                deleted.add(CompletableFuture.failedFuture(RefusedRequest.badRequest(
                    "field 'receiptHandles[" + i + "]' must be a string")));
            }
        }
        final CompletableFuture<Void> all = CompletableFuture.allOf(deleted.toArray(new CompletableFuture<?>[0]))
            .exceptionally((failure) -> null); // each result, failed or not, is read below
        return exchange.reply(all, (ignored) -> HttpReply.ok(JsonBody.object((out) ->
        {
            out.writeArrayFieldStart("results");
            for (final CompletableFuture<Void> one : deleted)
            {
                out.writeStartObject();
                try
                {
                    one.join();
                    out.writeBooleanField("deleted", true);
                }
                catch (final CompletionException | CancellationException ex)
                {
                    final ErrorReplies.Failure failure = ErrorReplies.describe(ex);
                    JsonBody.writeError(out, failure.code(), failure.message());
                }
                out.writeEndObject();
            }
            out.writeEndArray();
        })));
    }

    /** POST /queues/{q}/messages/{handle}/visibility {"timeoutMs": 0..12h}: 204. */
    CompletableFuture<HttpReply> changeVisibility(final Exchange exchange)
    {
        exchange.query(Set.of());
        final Long timeoutMs = exchange.body(VISIBILITY_FIELDS)
            .integer("timeoutMs", 0, ReceiveRequest.MAX_VISIBILITY_TIMEOUT_MS);
        if (null == timeoutMs)
        {
            throw RefusedRequest.badRequest("field 'timeoutMs' is required: 0 (give the message back now) to " +
                ReceiveRequest.MAX_VISIBILITY_TIMEOUT_MS);
        }
        return exchange.reply(call(() -> service.changeVisibility(exchange.queue(), exchange.handle(), timeoutMs)),
            (done) -> HttpReply.noContent());
    }

    /** POST /queues/{q}/messages/{handle}/reject: 204. */
    CompletableFuture<HttpReply> reject(final Exchange exchange)
    {
        exchange.takesNothing();
        return exchange.reply(call(() -> service.reject(exchange.queue(), exchange.handle())),
            (done) -> HttpReply.noContent());
    }
}
