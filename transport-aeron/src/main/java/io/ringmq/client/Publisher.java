package io.ringmq.client;

import io.ringmq.codecs.ErrorCode;
import io.ringmq.core.protocol.Names;
import io.ringmq.core.protocol.Priority;
import io.ringmq.core.protocol.ProducerIds;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Publishes to one queue. {@link #publish} is asynchronous: it returns the correlation id and the receipt reaches
 * the {@link ReceiptListener} during a later {@link RingmqClient#poll()}. {@link #publishAndWait} blocks until the
 * receipt and returns the message's sequence. Owned by the client's thread.
 */
public final class Publisher
{
    private static final String AWAITED_PRODUCER_ROOM = "the receipt of an idempotent producer's unanswered publish";

    private final RingmqClient client;
    private final String queue;
    private final UnsafeBuffer queueName;
    private final ReceiptListener listener;
    private final CorrelationIds correlationIds;
    private final UnsafeBuffer wrapBuffer = new UnsafeBuffer(0, 0);
    /** Made once: a publisher that runs ahead of its receipts waits on it at every publish. */
    private final BooleanSupplier producerHasRoom = this::producerHasRoom;
    private Producer producer;
    /** Publishes sent and not yet answered by a receipt or a refusal. */
    private long unanswered;
    private long lastReceiptEpoch;

    Publisher(
        final RingmqClient client,
        final CorrelationIds correlationIds,
        final String queue,
        final ReceiptListener listener)
    {
        if (!Names.isValid(queue))
        {
            throw new RingmqException(ErrorCode.INVALID_NAME, "queue name '" + queue + "' is invalid: " + Names.RULE);
        }
        this.client = client;
        this.queue = queue;
        this.queueName = new UnsafeBuffer(queue.getBytes(StandardCharsets.US_ASCII));
        this.listener = listener;
        this.correlationIds = correlationIds;
    }

    public String queue()
    {
        return queue;
    }

    /**
     * Makes this publisher's publishes idempotent: each carries the producer's id and its next sequence, and the
     * producer keeps it until the daemon answers (see {@link Producer}).
     */
    public Publisher idempotent(final Producer producer)
    {
        this.producer = producer;
        return this;
    }

    /**
     * Sends a message with headers and/or a message id; the outcome arrives at the listener. An idempotent publisher
     * whose producer already has {@link ProducerIds#REMEMBERED_SEQUENCES} publishes unanswered polls for an answer
     * first (see {@link Producer}).
     *
     * @return the correlation id the receipt will carry.
     * @throws RingmqException if it was not sent (for an idempotent one: also when its producer got no answer in time).
     */
    public long publish(
        final DirectBuffer payload, final int offset, final int length, final OutgoingMessage message)
    {
        if (null != producer && !producerHasRoom())
        {
            awaitProducerRoom();
        }
        final long correlationId = correlationIds.next();
        long producerId = 0;
        long producerSequence = 0;
        if (null != producer)
        {
            producerId = producer.producerId();
            producerSequence = producer.track(correlationId, queue, payload, offset, length, message);
        }
        try
        {
            send(correlationId, payload, offset, length, producerId, producerSequence, message, 0, null);
        }
        catch (final RingmqException ex)
        {
            if (null == producer || !client.followsLostNode())
            {
                throw ex; // not sent, and nothing will send it: the caller decides
            }
            // The producer keeps it: the client, looking for the primary now, sends it there.
        }
        unanswered++;
        return correlationId;
    }

    public long publish(final String text, final OutgoingMessage message)
    {
        final byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        wrapBuffer.wrap(payload);
        return publish(wrapBuffer, 0, payload.length, message);
    }

    /** Sends a message with headers and/or a message id and waits for its receipt: the message's sequence. */
    public long publishAndWait(
        final DirectBuffer payload, final int offset, final int length, final OutgoingMessage message)
    {
        client.ensureCanBlock("publish to " + queue);
        final long correlationId = publish(payload, offset, length, message);
        return awaitReceipt(correlationId, "publish to " + queue);
    }

    public long publishAndWait(final byte[] payload, final OutgoingMessage message)
    {
        wrapBuffer.wrap(payload);
        return publishAndWait(wrapBuffer, 0, payload.length, message);
    }

    public long publishAndWait(final String text, final OutgoingMessage message)
    {
        return publishAndWait(text.getBytes(StandardCharsets.UTF_8), message);
    }

    private boolean producerHasRoom()
    {
        return producer.unreceiptedCount() < ProducerIds.REMEMBERED_SEQUENCES;
    }

    /**
     * The daemon remembers a producer's latest {@value ProducerIds#REMEMBERED_SEQUENCES} sequences only: with more
     * unanswered, a resend after a lost node (or by hand after a restart) could repeat a publish applied before those
     * and be stored twice. So the producer waits for an answer first, polling as a blocking call does (a following
     * client reconnects and resends meanwhile). Not sent, and thrown, when no answer comes in the response timeout,
     * or inside a handler, which cannot poll.
     */
    private void awaitProducerRoom()
    {
        if (client.isPolling())
        {
            throw new RingmqException(producerFull() + ": not sent; from a handler, publish no faster than the " +
                "receipts come back");
        }
        // A publisher running ahead of its receipts comes here on every publish: nothing is allocated on the way.
        if (!client.pollUntil(producerHasRoom, client.responseTimeoutNs(), AWAITED_PRODUCER_ROOM))
        {
            throw new RingmqException(producerFull() + ", and none was answered within the response timeout: not " +
                "sent (a producer handed to a new client after a restart resends what it holds first, " +
                "Producer.resendUnreceipted)");
        }
    }

    private String producerFull()
    {
        return "producer " + producer.producerId() + " has " + producer.unreceiptedCount() + " publishes " +
            "unanswered, the most the daemon remembers for a producer (" + ProducerIds.REMEMBERED_SEQUENCES +
            "): a resend beyond them could be stored twice";
    }

    /** A request: its correlation id is its request id, which its reply carries. */
    long request(
        final DirectBuffer payload,
        final int offset,
        final int length,
        final OutgoingMessage message,
        final DirectBuffer replyTo)
    {
        final long requestId = correlationIds.next();
        send(requestId, payload, offset, length, 0, 0, message, requestId, replyTo);
        unanswered++;
        return requestId;
    }

    /** One publish (a request when requestId is not 0) with what the message carries, if anything. */
    private void send(
        final long correlationId,
        final DirectBuffer payload,
        final int offset,
        final int length,
        final long producerId,
        final long producerSequence,
        final OutgoingMessage message,
        final long requestId,
        final DirectBuffer replyTo)
    {
        final boolean plain = null == message;
        client.sender().publish(correlationId, queueName, queueName.capacity(), payload, offset, length, producerId,
            producerSequence, plain ? null : message.headers(), plain ? 0 : message.headersLength(),
            plain ? null : message.messageIdBytes(), plain ? 0 : message.messageIdLength(), requestId, replyTo,
            null == replyTo ? 0 : replyTo.capacity(), plain ? Priority.DEFAULT : message.priority(),
            plain ? 0 : message.delayMs(), plain ? 0 : message.deliverAtMs(), plain ? 0 : message.ttlMs());
    }

    /** Sends a producer's unanswered publish again, same producer id and sequence, and waits for the answer. */
    long resend(final Producer producer, final Producer.Unreceipted publish)
    {
        client.ensureCanBlock("resend to " + queue);
        final long correlationId = correlationIds.next();
        producer.tracking(correlationId, publish.sequence);
        this.producer = producer;
        client.sender().publish(correlationId, queueName, queueName.capacity(), publish.payload, 0,
            publish.payloadLength, producer.producerId(), publish.sequence, publish.headers, publish.headersLength,
            publish.messageId, publish.messageIdLength, 0, null, 0, publish.priority, publish.delayMs,
            publish.deliverAtMs, publish.ttlMs);
        unanswered++;
        return awaitReceipt(correlationId, "resend to " + queue);
    }

    /**
     * After a reconnect: sends a producer's unanswered publish again, under the correlation id it had when this
     * publisher sent it (so its receipt answers what the application waits for), else under a new one; does not wait.
     */
    void resendAfterReconnect(final Producer producer, final Producer.Unreceipted publish, final boolean sentHere)
    {
        if (!sentHere)
        {
            this.producer = producer;
            producer.tracking(correlationIds.next(), publish.sequence);
        }
        client.sender().publish(publish.correlationId, queueName, queueName.capacity(), publish.payload, 0,
            publish.payloadLength, producer.producerId(), publish.sequence, publish.headers, publish.headersLength,
            publish.messageId, publish.messageIdLength, 0, null, 0, publish.priority, publish.delayMs,
            publish.deliverAtMs, publish.ttlMs);
        unanswered++;
    }

    /**
     * A reconnect: what was unanswered on the lost node will not be answered (the resent ones count again).
     *
     * @return how many were unanswered.
     */
    long forgetUnanswered()
    {
        final long forgotten = unanswered;
        unanswered = 0;
        return forgotten;
    }

    Producer producer()
    {
        return producer;
    }

    /**
     * Sends a message; the outcome arrives at the listener.
     *
     * @return the correlation id the receipt will carry.
     */
    public long publish(final DirectBuffer payload, final int offset, final int length)
    {
        return publish(payload, offset, length, null);
    }

    public long publish(final byte[] payload)
    {
        wrapBuffer.wrap(payload);
        return publish(wrapBuffer, 0, payload.length);
    }

    public long publish(final String text)
    {
        return publish(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends a message and waits for its receipt.
     *
     * @return the message's sequence in the queue.
     * @throws RingmqException if the daemon refuses it or does not answer within the response timeout.
     */
    public long publishAndWait(final DirectBuffer payload, final int offset, final int length)
    {
        client.ensureCanBlock("publish to " + queue);
        final long correlationId = publish(payload, offset, length);
        return awaitReceipt(correlationId, "publish to " + queue);
    }

    public long publishAndWait(final byte[] payload)
    {
        wrapBuffer.wrap(payload);
        return publishAndWait(wrapBuffer, 0, payload.length);
    }

    public long publishAndWait(final String text)
    {
        return publishAndWait(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Publishes sent and not yet answered (receipted or refused). */
    public long unanswered()
    {
        return unanswered;
    }

    /**
     * Polls until every publish sent so far is answered, receipted or refused (the listener hears each), or the
     * timeout passes: for an asynchronous publisher that must know its messages are stored before it goes on.
     *
     * @return true if all were answered; false on the timeout, with {@link #unanswered()} still waiting.
     * @throws RingmqException if the daemon is lost meanwhile.
     */
    public boolean awaitReceipts(final java.time.Duration timeout)
    {
        return client.pollUntil(() -> 0 == unanswered, timeout.toNanos(), "the receipts of " + queue);
    }

    /**
     * The pair's epoch of the receipt {@link #publishAndWait} last returned: the epoch the primary that stored the
     * message served in (it moves on with each failover); 0 before any, or from a daemon before schema version 10.
     * Asynchronous receipts carry theirs to {@link ReceiptListener#onReceipt(long, long, long)}.
     */
    public long lastReceiptEpoch()
    {
        return lastReceiptEpoch;
    }

    void onReceipt(final long correlationId, final long sequence, final long epoch)
    {
        answered();
        if (null != producer)
        {
            producer.answered(correlationId);
        }
        if (null != listener)
        {
            listener.onReceipt(correlationId, sequence, epoch);
        }
    }

    /** The receipt of a publish waited for; a refusal answers it too (it is thrown, the listener does not hear it). */
    private long awaitReceipt(final long correlationId, final String what)
    {
        try
        {
            final long sequence = client.awaitPublishReceipt(correlationId, what);
            lastReceiptEpoch = client.awaitedReceiptEpoch();
            return sequence;
        }
        catch (final RingmqException ex)
        {
            if (null != ex.code())
            {
                answered();
            }
            throw ex;
        }
    }

    private void answered()
    {
        if (unanswered > 0)
        {
            unanswered--;
        }
    }

    /** @return true if a listener took the error. */
    boolean onError(final long correlationId, final ErrorCode code, final String message)
    {
        answered();
        if (null != producer)
        {
            producer.answered(correlationId);
        }
        if (null != listener)
        {
            listener.onError(correlationId, code, message);
            return true;
        }
        return false;
    }
}
