package io.ringmq.http;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
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
        final List<Object> messages = batch(exchange.body(BATCH_FIELDS).array("messages"), "messages", "messages");
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
        return batchResults(exchange, sent, (out, seq) -> out.writeNumberField("seq", seq));
    }

    /** A batch field's items, 1 to {@link #MAX_BATCH} of them. */
    private static List<Object> batch(final List<Object> items, final String field, final String what)
    {
        if (null == items || items.isEmpty() || items.size() > MAX_BATCH)
        {
            throw RefusedRequest.badRequest("field '" + field + "' must hold 1 to " + MAX_BATCH + " " + what +
                ", not " + (null == items ? "none" : items.size()));
        }
        return items;
    }

    /**
     * 200 {"results":[...]} once every item of a batch is answered, in request order: each its own success fields, or
     * {"error","message"}: one refused does not fail the others.
     */
    private static <T> CompletableFuture<HttpReply> batchResults(
        final Exchange exchange, final List<CompletableFuture<T>> items, final Success<T> success)
    {
        final CompletableFuture<Void> all = CompletableFuture.allOf(items.toArray(new CompletableFuture<?>[0]))
            .exceptionally((failure) -> null); // each result, failed or not, is read below
        return exchange.reply(all, (ignored) -> HttpReply.ok(JsonBody.object((out) ->
        {
            out.writeArrayFieldStart("results");
            for (final CompletableFuture<T> one : items)
            {
                out.writeStartObject();
                try
                {
                    success.write(out, one.join());
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

    /** What a batch's result says of an item that succeeded. */
    @FunctionalInterface
    private interface Success<T>
    {
        void write(JsonGenerator out, T value) throws IOException;
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
        final List<Object> handles =
            batch(exchange.body(DELETE_BATCH_FIELDS).array("receiptHandles"), "receiptHandles", "handles");
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
        return batchResults(exchange, deleted, (out, done) -> out.writeBooleanField("deleted", true));
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
