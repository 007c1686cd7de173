package io.ringmq.http;

import io.ringmq.client.Delivery;
import io.ringmq.client.KeptDelivery;
import io.ringmq.client.MessageHandler;
import io.ringmq.client.QueueConsumer;
import io.ringmq.codecs.DeadLetterReason;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The gateway's one pull consumer of a queue's group, shared by every HTTP receive for that group. Runs on the
 * client's poller thread only.
 * <p>
 * Its credit is what the waiting receives still want: it grants what a new receive adds, and when a receive answers
 * before it got all it asked for (it had one message and the daemon had no more, or its wait ended) it sets the credit
 * back to what the others want, often nothing, so the daemon does not deliver what nobody waits for. Only a delivery
 * already on its way when that credit went can arrive with no receive waiting: it waits here for the next receive for
 * half its timeout, then goes back to the group. Each message handed out is extended by its timeout (the request's,
 * or the queue's), so a handle always comes with the whole of it, counted from the answer, as SQS counts it. What it
 * has handed out it remembers (sequence, attempt, hand-out number, deadline) until settled or past its deadline, so
 * that a settle naming a delivery that is no longer current is refused here at once; one it sends is answered once
 * the daemon is known to have taken it ({@link SettleConfirmations}). A receive whose HTTP client has gone stops
 * wanting messages, and what it had goes back to the group at once.
 */
final class GatewayConsumer implements MessageHandler
{
    private final String queue;
    private final String group;
    private long queueVisibilityMs;
    private final LongSupplier clockMs;
    private final LongSupplier handOuts;
    private final SettleConfirmations confirmations;
    private final Executor afterPoll;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final ArrayDeque<Waiting> ready = new ArrayDeque<>();
    private final Long2ObjectHashMap<InFlight> inFlight = new Long2ObjectHashMap<>();
    private QueueConsumer consumer;
    private int outstandingCredits;
    private long lastUsedMs;

    /**
     * @param handOuts      the face's next hand-out number, unique in this face process (see {@link ReceiptHandles}).
     * @param confirmations where a settle sent waits for the daemon to have taken it.
     * @param afterPoll     runs a task on the poller thread after the poll under way, so that a receive that got its
     *                      first message takes the rest of the same batch too.
     */
    GatewayConsumer(
        final String queue,
        final String group,
        final LongSupplier clockMs,
        final LongSupplier handOuts,
        final SettleConfirmations confirmations,
        final Executor afterPoll)
    {
        this.queue = queue;
        this.group = group;
        this.clockMs = clockMs;
        this.handOuts = handOuts;
        this.confirmations = confirmations;
        this.afterPoll = afterPoll;
        this.lastUsedMs = clockMs.getAsLong();
    }

    /**
     * The subscription this serves, once the daemon has attached it, and the queue's visibility timeout, which its
     * deliveries have (it asks for none of its own). No delivery comes before the first grant, after this.
     */
    void attach(final QueueConsumer consumer, final long queueVisibilityMs)
    {
        this.consumer = consumer;
        this.queueVisibilityMs = queueVisibilityMs;
    }

    String queue()
    {
        return queue;
    }

    String group()
    {
        return group;
    }

    /** Hands out what is waiting here, or waits for the daemon's deliveries; {@link #expire} ends the wait. */
    Waiter receive(final ReceiveRequest request, final CompletableFuture<List<ReceivedMessage>> result)
    {
        final long now = clockMs.getAsLong();
        lastUsedMs = now;
        releaseExpired(now);
        final Waiter waiter = new Waiter(request, result);
        while (!ready.isEmpty() && waiter.wants() > 0)
        {
            handOut(waiter, ready.poll().delivery, now);
        }
        if (waiter.wants() == 0 || (!waiter.messages.isEmpty()))
        {
            complete(waiter);
            return waiter;
        }
        waiters.add(waiter);
        grantWhatIsWanted();
        return waiter;
    }

    /** The receive's wait is over: it answers with what it has, perhaps nothing. */
    void expire(final Waiter waiter)
    {
        if (!waiter.done)
        {
            complete(waiter);
        }
    }

    /**
     * The receive's HTTP client went away before its answer: it stops wanting messages (the credit it added goes), and
     * any it was handed go back to the group now rather than after their visibility timeout.
     */
    void clientGone(final Waiter waiter)
    {
        if (!waiter.done)
        {
            waiter.done = true;
            waiters.remove(waiter);
            withdrawUnwantedCredit();
            giveBack(waiter.messages);
        }
    }

    public void onMessage(final Delivery delivery)
    {
        outstandingCredits = Math.max(0, outstandingCredits - 1);
        final long now = clockMs.getAsLong();
        final Waiter waiter = waiters.peek();
        if (null == waiter)
        {
            // Handed out only while half its timeout is left: the daemon's clock started it a little earlier than ours.
            ready.add(new Waiting(delivery.keep(), now + queueVisibilityMs / 2));
            return;
        }
        handOut(waiter, delivery.keep(), now);
        if (waiter.wants() == 0)
        {
            complete(waiter);
        }
        else if (!waiter.completionScheduled)
        {
            waiter.completionScheduled = true;
            afterPoll.execute(() -> expire(waiter));
        }
    }

    /**
     * Acks, gives back, extends or rejects the delivery a handle names; {@code result} completes once the daemon is
     * known to have taken it, or fails with a {@link ReceiptHandleException} if it refused it.
     *
     * @throws ReceiptHandleException when that delivery is not in flight to the gateway any more (settled, past its
     *                                deadline, or delivered again, as a later attempt or after a seek).
     */
    void settle(final ReceiptHandles.Decoded handle, final Settle how, final long timeoutMs,
        final CompletableFuture<Void> result)
    {
        final long now = clockMs.getAsLong();
        lastUsedMs = now;
        final InFlight current = inFlight.get(handle.sequence());
        if (null == current || current.attempt != handle.attempt() || current.handOut != handle.handOut() ||
            current.deadlineMs <= now)
        {
            if (null != current && current.deadlineMs <= now)
            {
                inFlight.remove(handle.sequence());
            }
            throw notCurrent(handle);
        }
        final long sequence = handle.sequence();
        final int attempt = handle.attempt();
        switch (how)
        {
            case ACK ->
            {
                consumer.ack(sequence, attempt);
                inFlight.remove(sequence);
            }
            case VISIBILITY ->
            {
                if (0 == timeoutMs)
                {
                    consumer.nack(sequence, attempt);
                    inFlight.remove(sequence);
                }
                else
                {
                    consumer.extend(sequence, attempt, timeoutMs);
                    current.deadlineMs = now + timeoutMs;
                }
            }
            case REJECT ->
            {
                consumer.reject(sequence, attempt);
                inFlight.remove(sequence);
            }
        }
        confirmations.sent(queue, consumer.consumerId(), sequence, attempt, () ->
        {
            if (inFlight.get(sequence) == current)
            {
                inFlight.remove(sequence); // the daemon has ended it: the extend was refused
            }
            result.completeExceptionally(notCurrent(handle));
        }, result);
    }

    /**
     * Forgets deliveries past their deadline.
     *
     * @return true when nothing has used this consumer for {@code idleMs} and nothing is in flight, waiting or wanted:
     * it may be closed.
     */
    boolean sweep(final long idleMs)
    {
        final long now = clockMs.getAsLong();
        releaseExpired(now);
        inFlight.values().removeIf((f) -> f.deadlineMs <= now);
        return waiters.isEmpty() && ready.isEmpty() && inFlight.isEmpty() && now - lastUsedMs >= idleMs;
    }

    /**
     * The client lost its node and opened a new session: every delivery this consumer had went back to its group
     * there, so no handle it gave out is current, and what waited here is gone.
     */
    void forgetDeliveries()
    {
        inFlight.clear();
        ready.clear();
    }

    /** Answers every waiting receive (with what it has) and detaches the consumer: its deliveries go back. */
    void close()
    {
        abandon();
        if (null != consumer && !consumer.isClosed())
        {
            consumer.close();
        }
    }

    /**
     * Answers every waiting receive with what it has and forgets everything, without a word to the daemon: for a
     * client that has given up its node, whose session, and deliveries, are gone with it.
     */
    void abandon()
    {
        while (!waiters.isEmpty())
        {
            answer(waiters.peek());
        }
        ready.clear();
        inFlight.clear();
    }

    int receivesWaiting()
    {
        return waiters.size();
    }

    int inFlightCount()
    {
        return inFlight.size();
    }

    int waitingHere()
    {
        return ready.size();
    }

    private void handOut(final Waiter waiter, final KeptDelivery delivery, final long now)
    {
        final long sequence = delivery.sequence();
        final int attempt = delivery.attempt();
        final long visibilityMs = waiter.request.visibilityTimeoutMs();
        final long timeoutMs = visibilityMs > 0 ? visibilityMs : queueVisibilityMs;
        // The daemon started the timeout when it delivered; the extend starts it again now, so the handle comes with
        // the whole of it, and the deadline kept here falls a little before the daemon's, never after.
        consumer.extend(sequence, attempt, timeoutMs);
        final long deadlineMs = now + timeoutMs;
        final long handOut = handOuts.getAsLong();
        inFlight.put(sequence, new InFlight(attempt, handOut, deadlineMs));
        waiter.messages.add(new ReceivedMessage(
            ReceiptHandles.encode(group, sequence, attempt, handOut),
            queue,
            group,
            sequence,
            attempt,
            delivery.publishTimestampNs(),
            delivery.payload(),
            delivery.headers(),
            delivery.messageId(),
            delivery.producerId(),
            delivery.priority(),
            DeadLetterReason.NONE == delivery.deadLetterReason() ? null : new ReceivedMessage.DeadLetter(
                delivery.deadLetterReason().name(), delivery.deadLetterAttempts(), delivery.sourceQueue(),
                delivery.sourceGroup())));
    }

    private void grantWhatIsWanted()
    {
        final int more = wanted() - outstandingCredits;
        if (more > 0)
        {
            consumer.grant(more);
            outstandingCredits += more;
        }
    }

    private void complete(final Waiter waiter)
    {
        waiter.done = true;
        waiters.remove(waiter);
        withdrawUnwantedCredit(); // before the answer: what its client does next reaches the daemon after this
        if (!waiter.result.complete(List.copyOf(waiter.messages)))
        {
            giveBack(waiter.messages); // its client went away meanwhile: nobody will settle them
        }
    }

    /** Gives handed-out messages nobody will see back to the group, each as its next attempt. */
    private void giveBack(final List<ReceivedMessage> messages)
    {
        for (final ReceivedMessage message : messages)
        {
            final InFlight current = inFlight.get(message.sequence());
            if (null != current && current.attempt == message.attempt())
            {
                inFlight.remove(message.sequence());
                if (!consumer.isClosed())
                {
                    consumer.nack(message.sequence(), message.attempt());
                }
            }
        }
    }

    private void answer(final Waiter waiter)
    {
        waiter.done = true;
        waiters.remove(waiter);
        waiter.result.complete(List.copyOf(waiter.messages));
    }

    /**
     * A receive answered before it got all it asked for: the credit granted for the rest would bring messages nobody
     * waits for, which would sit here, invisible to the group's other consumers. Set it to what the receives still
     * waiting want.
     */
    private void withdrawUnwantedCredit()
    {
        final int wanted = wanted();
        if (outstandingCredits > wanted && null != consumer && !consumer.isClosed())
        {
            consumer.setCredit(wanted);
            outstandingCredits = wanted;
        }
    }

    /**
     * Gives back what waited here past half its timeout, so that the group's other consumers get it now rather than
     * when its timeout passes; either way it is the message's next attempt.
     */
    private void releaseExpired(final long now)
    {
        final Iterator<Waiting> it = ready.iterator();
        while (it.hasNext())
        {
            final Waiting waiting = it.next();
            if (waiting.deadlineMs <= now)
            {
                it.remove();
                consumer.nack(waiting.delivery.sequence(), waiting.delivery.attempt());
            }
        }
    }

    private int wanted()
    {
        int wanted = 0;
        for (final Waiter waiter : waiters)
        {
            wanted += waiter.wants();
        }
        return wanted;
    }

    private ReceiptHandleException notCurrent(final ReceiptHandles.Decoded handle)
    {
        return new ReceiptHandleException("delivery " + handle.sequence() + "/" + handle.attempt() + " of queue '" +
            queue + "' group '" + group + "' is not in flight: settled already, past its visibility timeout, or " +
            "delivered again", false);
    }

    enum Settle
    {
        ACK, VISIBILITY, REJECT
    }

    /** One HTTP receive waiting for messages. */
    static final class Waiter
    {
        private final ReceiveRequest request;
        private final CompletableFuture<List<ReceivedMessage>> result;
        private final List<ReceivedMessage> messages = new ArrayList<>();
        private boolean done;
        private boolean completionScheduled;

        Waiter(final ReceiveRequest request, final CompletableFuture<List<ReceivedMessage>> result)
        {
            this.request = request;
            this.result = result;
        }

        int wants()
        {
            return request.max() - messages.size();
        }
    }

    private static final class InFlight
    {
        private final int attempt;
        private final long handOut;
        private long deadlineMs;

        InFlight(final int attempt, final long handOut, final long deadlineMs)
        {
            this.attempt = attempt;
            this.handOut = handOut;
            this.deadlineMs = deadlineMs;
        }
    }

    private record Waiting(KeptDelivery delivery, long deadlineMs)
    {
    }
}
