package io.ringmq.http;

import io.ringmq.client.OutgoingMessage;
import io.ringmq.client.Producer;
import io.ringmq.client.Publisher;
import io.ringmq.client.ReceiptListener;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.ErrorCode;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The gateway's publishers, one per queue, and the sends waiting for their receipts: many HTTP sends are in flight at
 * once and each completes when its own receipt comes. Runs on the client's poller thread only.
 */
final class PublishReceipts implements ReceiptListener
{
    private final Map<String, Publisher> publishers = new HashMap<>();
    private final Long2ObjectHashMap<Pending> pending = new Long2ObjectHashMap<>();
    private final UnsafeBuffer body = new UnsafeBuffer(new byte[0]);
    private final LongSupplier clockMs;
    private final Producer producer;

    /**
     * @param producer the idempotent producer every send goes as (resent after a reconnect, stored once), or null to
     *                 send plainly (a send unanswered when the node is lost then fails: it may or may not be stored).
     */
    PublishReceipts(final LongSupplier clockMs, final Producer producer)
    {
        this.clockMs = clockMs;
        this.producer = producer;
    }

    void send(
        final RingmqClient client,
        final String queue,
        final byte[] payload,
        final OutgoingMessage message,
        final CompletableFuture<Long> result)
    {
        Publisher publisher = publishers.get(queue);
        if (null == publisher)
        {
            publisher = client.publisher(queue, this);
            if (null != producer)
            {
                publisher.idempotent(producer);
            }
            publishers.put(queue, publisher);
        }
        body.wrap(payload);
        final long correlationId = publisher.publish(body, 0, payload.length, message);
        pending.put(correlationId, new Pending(result, clockMs.getAsLong()));
    }

    public void onReceipt(final long correlationId, final long sequence)
    {
        final Pending waiting = pending.remove(correlationId);
        if (null != waiting)
        {
            waiting.result.complete(sequence);
        }
    }

    public void onError(final long correlationId, final ErrorCode code, final String message)
    {
        final Pending waiting = pending.remove(correlationId);
        if (null != waiting)
        {
            waiting.result.completeExceptionally(new RingmqException(code, message));
        }
    }

    /** Fails every send that has waited longer than {@code timeoutMs} for its receipt. */
    void failOlderThan(final long timeoutMs)
    {
        final long now = clockMs.getAsLong();
        pending.values().removeIf((p) ->
        {
            if (now - p.sentMs < timeoutMs)
            {
                return false;
            }
            p.result.completeExceptionally(new RingmqException(ErrorCode.REQUEST_TIMEOUT, "no receipt within " +
                timeoutMs + " ms: the message may or may not be stored; send it again with the same id to be sure " +
                "it is stored once"));
            return true;
        });
    }

    /**
     * The node was lost. Plain sends not yet receipted will never be (the client does not send them again): they
     * fail. An idempotent producer's are resent by the client after it reconnects, and their receipts still come.
     */
    void onNodeLost(final String reason)
    {
        if (null == producer)
        {
            failAll("the connection to the daemon was lost (" + reason + ") before the receipt came: the message " +
                "may or may not be stored; send it again with the same id to be sure it is stored once");
        }
    }

    void failAll(final String why)
    {
        pending.values().forEach((p) -> p.result.completeExceptionally(new RingmqException(why)));
        pending.clear();
    }

    int waiting()
    {
        return pending.size();
    }

    private record Pending(CompletableFuture<Long> result, long sentMs)
    {
    }
}
