package io.ringmq.client;

import io.ringmq.codecs.CreditMode;
import io.ringmq.codecs.NackAction;
import io.ringmq.core.protocol.QueuePattern;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One consumer in a group of a queue, or of every queue a pattern names ({@code orders.*}: one segment,
 * {@code orders.>}: one or more; see {@link #isPattern()}). Deliveries go to its {@link MessageHandler} during
 * {@link RingmqClient#poll()}; each must be settled with {@link #ack}, {@link #nack} or {@link #reject}, naming the
 * delivery by (sequence, attempt). Owned by the client's thread.
 * <p>
 * Acks made during a poll are collected and sent together when the poll returns (or once
 * {@link ClientContext#ackBatchLimit(int)} of them are waiting), as one AckBatch frame; acks made outside a poll go at
 * once. A nack, reject or extend sends the acks collected before it first: the daemon sees this consumer's
 * settlements in the order they were made.
 * <p>
 * {@link #close()} detaches this one consumer and leaves the client open.
 * <p>
 * A pattern's consumer stands for its subscription: the daemon attaches one consumer to each matching queue, those
 * there when it subscribes and those created later, and tells the client which ({@link #attached()}); each delivery
 * names its queue ({@link Delivery#queue()}) and is settled on that queue's consumer. Credits are per attached queue:
 * each has the prefetch window, and {@link #grant} gives each that many. Closing it detaches them all.
 */
public final class QueueConsumer
{
    private final RingmqClient client;
    /** The daemon's id of this consumer: a new one when a following client subscribes it again after a reconnect. */
    private long consumerId;
    private final String queue;
    private final String group;
    private final int prefetch;
    private final long visibilityTimeoutMs;
    private final boolean createQueue;
    private final MessageHandler handler;
    /** The pattern subscription that attached this consumer to its queue; null if subscribed by the queue's name. */
    private final QueueConsumer subscription;
    /** A pattern's consumers, one per queue it matched, in the order they were attached; empty otherwise. */
    private final ArrayList<QueueConsumer> attached = new ArrayList<>();
    private final Delivery delivery;
    private final PendingAcks pendingAcks;
    /** For sending the collected acks while the client closes; the public methods check it is open. */
    private final IngressSender sender;
    private boolean sendAcksAfterPoll;
    /** Credits granted and not yet used by a delivery: what a consumer of prefetch 0 gets again after a reconnect. */
    private long unusedCredits;
    private boolean closed;

    QueueConsumer(
        final RingmqClient client,
        final long consumerId,
        final String queue,
        final String group,
        final int prefetch,
        final long visibilityTimeoutMs,
        final boolean createQueue,
        final MessageHandler handler)
    {
        this(client, consumerId, queue, group, prefetch, visibilityTimeoutMs, createQueue, handler, null);
    }

    private QueueConsumer(
        final RingmqClient client,
        final long consumerId,
        final String queue,
        final String group,
        final int prefetch,
        final long visibilityTimeoutMs,
        final boolean createQueue,
        final MessageHandler handler,
        final QueueConsumer subscription)
    {
        this.subscription = subscription;
        this.client = client;
        this.consumerId = consumerId;
        this.queue = queue;
        this.group = group;
        this.prefetch = prefetch;
        this.visibilityTimeoutMs = visibilityTimeoutMs;
        this.createQueue = createQueue;
        this.handler = handler;
        this.delivery = new Delivery(this);
        this.pendingAcks = new PendingAcks(client.ackBatchLimit());
        this.sender = client.sender();
    }

    public long consumerId()
    {
        return consumerId;
    }

    /** The queue's name; for a pattern's consumer, the pattern (each delivery names its own queue). */
    public String queue()
    {
        return queue;
    }

    /** Whether this consumer subscribed to a pattern of queues rather than one queue. */
    public boolean isPattern()
    {
        return null == subscription && QueuePattern.isPattern(queue);
    }

    /** A pattern's consumers on the queues it matched so far (a view, valid on the client's thread); else empty. */
    public List<QueueConsumer> attached()
    {
        return Collections.unmodifiableList(attached);
    }

    /** The daemon attached the pattern subscription to one more queue: that queue's deliveries come to the child. */
    QueueConsumer attach(final long attachedConsumerId, final String attachedQueue)
    {
        final QueueConsumer child = new QueueConsumer(client, attachedConsumerId, attachedQueue, group, prefetch,
            visibilityTimeoutMs, false, handler, this);
        attached.add(child);
        return child;
    }

    /** The pattern subscription that attached this consumer, or null. */
    QueueConsumer subscription()
    {
        return subscription;
    }

    public String group()
    {
        return group;
    }

    /**
     * Settles the delivery: the message is done for this group. During a poll the ack waits, with this consumer's
     * other acks of the poll, until the poll returns; outside a poll it is sent at once.
     */
    public void ack(final long sequence, final int attempt)
    {
        final IngressSender sender = openSender();
        if (!client.isPolling())
        {
            sender.ack(consumerId, sequence, attempt);
            return;
        }
        if (!sendAcksAfterPoll)
        {
            sendAcksAfterPoll = true;
            client.sendAcksAfterPoll(this);
        }
        if (pendingAcks.add(sequence, attempt))
        {
            sender.acks(consumerId, pendingAcks); // full: this batch goes now, the next one collects
        }
    }

    /** Gives the delivery back for redelivery, at once unless the queue has a retry backoff. */
    public void nack(final long sequence, final int attempt)
    {
        senderAfterPendingAcks().nack(consumerId, sequence, attempt, NackAction.REQUEUE, 0);
    }

    /** Gives the delivery back to be delivered again once {@code delayMs} (0 to 12 h) has passed. */
    public void nack(final long sequence, final int attempt, final long delayMs)
    {
        senderAfterPendingAcks().nack(consumerId, sequence, attempt, NackAction.REQUEUE_DELAYED, delayMs);
    }

    /** Sends the message to the group's dead-letter queue. */
    public void reject(final long sequence, final int attempt)
    {
        senderAfterPendingAcks().nack(consumerId, sequence, attempt, NackAction.REJECT, 0);
    }

    /** Needs more time: the delivery's deadline becomes now + {@code visibilityTimeoutMs} (1 ms to 12 h). */
    public void extend(final long sequence, final int attempt, final long visibilityTimeoutMs)
    {
        senderAfterPendingAcks().extend(consumerId, sequence, attempt, visibilityTimeoutMs);
    }

    /** Answers a request delivery (acking it), after the acks collected so far. */
    public void reply(
        final long sequence, final int attempt, final org.agrona.DirectBuffer payload, final int offset,
        final int length)
    {
        senderAfterPendingAcks().reply(consumerId, sequence, attempt, payload, offset, length);
    }

    /** The sender, once the acks collected so far have gone ahead of what comes next. */
    private IngressSender senderAfterPendingAcks()
    {
        final IngressSender sender = openSender();
        sender.acks(consumerId, pendingAcks);
        return sender;
    }

    /** The poll that collected this consumer's acks returns (or the client closes): send them. */
    void sendPendingAcks()
    {
        sendAcksAfterPoll = false;
        sender.acks(consumerId, pendingAcks);
    }

    /**
     * Lets the daemon send this consumer {@code credits} more deliveries. A consumer subscribed with prefetch 0 gets
     * nothing until it grants; with a prefetch window a grant widens the window by that much.
     */
    public void grant(final int credits)
    {
        if (credits < 1)
        {
            throw new IllegalArgumentException("credits=" + credits + " must be at least 1");
        }
        if (isPattern())
        {
            openSender();
            for (int i = 0; i < attached.size(); i++)
            {
                attached.get(i).grant(credits);
            }
            return;
        }
        openSender().grant(consumerId, credits, CreditMode.ADD);
        unusedCredits += credits;
    }

    /**
     * Makes this pull consumer's credit exactly {@code credits} (AMQP 1.0 link credit): 0 withdraws what it granted and
     * has not been sent, so a pull whose wait is over is not sent messages nobody waits for. Deliveries the daemon sent
     * before it took this still arrive. For a consumer subscribed with prefetch 0 (the daemon refuses it for a
     * prefetch window, with {@code INVALID_ARGUMENT}); needs a daemon of schema version 11 or later.
     */
    public void setCredit(final int credits)
    {
        if (credits < 0)
        {
            throw new IllegalArgumentException("credits=" + credits + " must be 0 or more");
        }
        if (isPattern())
        {
            openSender();
            for (int i = 0; i < attached.size(); i++)
            {
                attached.get(i).setCredit(credits);
            }
            return;
        }
        openSender().grant(consumerId, credits, CreditMode.SET);
        unusedCredits = credits;
    }

    /**
     * Detaches this consumer; the client and its other consumers stay. The acks collected for it are sent first;
     * its unsettled deliveries go back to its group at once, as when the client closes (to the group's other
     * consumers, as the next attempt), and deliveries still on their way to it are dropped. The group stays, and its
     * credit is gone. Like ack and nack it does not wait for the daemon: a refusal comes to the error listener.
     * Closing it again does nothing; settling or granting after close throws {@link IllegalStateException}.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        for (int i = 0; i < attached.size(); i++)
        {
            final QueueConsumer child = attached.get(i);
            child.sender.acks(child.consumerId, child.pendingAcks);
            child.closed = true;
            client.removeConsumer(child);
        }
        senderAfterPendingAcks().unsubscribe(consumerId); // a pattern's id detaches every consumer it attached
        closed = true;
        client.removeConsumer(this);
    }

    public boolean isClosed()
    {
        return closed;
    }

    private IngressSender openSender()
    {
        if (closed)
        {
            throw new IllegalStateException("consumer " + consumerId + " of queue '" + queue + "' is closed");
        }
        return client.sender();
    }

    /** Subscribes again, with the settings it was made with, on a following client's new session. */
    void resubscribe(final long correlationId)
    {
        dropPendingAcks();
        for (int i = 0; i < attached.size(); i++)
        {
            attached.get(i).closed = true; // the new session attaches consumers of its own
        }
        attached.clear();
        sender.subscribe(correlationId, queue, group, prefetch, visibilityTimeoutMs, createQueue);
    }

    /** The node was lost: the acks collected for it go nowhere (its deliveries come again). */
    void dropPendingAcks()
    {
        pendingAcks.clear();
        sendAcksAfterPoll = false;
    }

    /** The new session's id of this consumer. */
    void rebind(final long consumerId)
    {
        this.consumerId = consumerId;
    }

    /** Its queue or group is gone from the new primary and it could not subscribe again: nothing more comes. */
    void lost()
    {
        closed = true;
    }

    /** After subscribing again: a consumer of prefetch 0 gets back the credits it had not used. */
    void restoreCredits()
    {
        if (0 == prefetch && unusedCredits > 0)
        {
            sender.grant(consumerId, (int)Math.min(Integer.MAX_VALUE, unusedCredits), CreditMode.ADD);
        }
    }

    void onDeliver(final DeliveredFrame frame)
    {
        if (unusedCredits > 0)
        {
            unusedCredits--;
        }
        handler.onMessage(delivery.wrap(frame));
    }
}
