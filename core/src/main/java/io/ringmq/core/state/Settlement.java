package io.ringmq.core.state;

import io.ringmq.codecs.DeadLetterReason;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * How a delivery ends: settled, so the group is done with the message; or given back for another attempt, at once
 * or after a backoff, until the group has tried it the maximum number of times and dead-letters it. Deadlines that
 * come are handled here: a delivery not settled in time is given back, a delayed one is ready again.
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class Settlement implements DeliveryTimers.ExpiryHandler
{
    private final SharedState state;
    private final Long2ObjectHashMap<Consumer> consumers;
    private final MessagePool messagePool;
    private final DeliveryTimers deliveryTimers;
    private final MessageStore store;
    private final Dispatcher dispatcher;
    private final LimitEnforcer limits;
    private final Retention retention;

    Settlement(
        final SharedState state,
        final MessageStore store,
        final Dispatcher dispatcher,
        final LimitEnforcer limits,
        final Retention retention)
    {
        this.retention = retention;
        this.state = state;
        this.consumers = state.consumers;
        this.messagePool = state.messagePool;
        this.deliveryTimers = state.deliveryTimers;
        this.store = store;
        this.dispatcher = dispatcher;
        this.limits = limits;
    }

    /** The consumer settled its delivery: the group is done with this message. */
    void settle(final ConsumerGroup group, final Consumer consumer, final long sequence)
    {
        endDelivery(group, consumer, sequence);
        group.queue.activity.acked++;
        forget(group, sequence);
    }

    /** The consumer rejected its delivery: the group is done with the message, and its dead-letter queue gets it. */
    void reject(final ConsumerGroup group, final Consumer consumer, final long sequence)
    {
        endDelivery(group, consumer, sequence);
        group.queue.activity.nacked++;
        deadLetterAndForget(group, sequence, DeadLetterReason.REJECTED);
    }

    /** The consumer gave its delivery back unsettled: another attempt after {@code delayNs}, or a dead letter. */
    void requeue(final ConsumerGroup group, final Consumer consumer, final long sequence, final long delayNs)
    {
        endDelivery(group, consumer, sequence);
        group.queue.activity.nacked++;
        giveBack(group, sequence, delayNs);
    }

    /** The delivery in flight to the consumer is over, however it ended: no longer in flight, no deadline. */
    private void endDelivery(final ConsumerGroup group, final Consumer consumer, final long sequence)
    {
        state.queues.figuresChanged(group.queue);
        group.inFlight.remove(sequence);
        deliveryTimers.cancel(group, sequence);
        consumer.deliveryEnded();
    }

    /** The consumer left releasing its deliveries: each one in flight to it comes back unsettled at once. */
    void releaseInFlight(final Consumer consumer)
    {
        final ConsumerGroup group = consumer.group;
        state.queues.figuresChanged(group.queue);
        // Oldest first, so that redelivery keeps queue order.
        final long[] returned = new long[consumer.inFlight];
        final int[] count = {0};
        group.inFlight.forEach((sequence, consumerId) ->
        {
            if (consumerId == consumer.id)
            {
                returned[count[0]++] = sequence;
            }
        });
        for (int i = 0; i < count[0]; i++)
        {
            if (!group.queue.messages.contains(returned[i]))
            {
                // Giving back an earlier one dead-lettered it, and making room for that copy pushed this one out of
                // its queue (groups naming each other's queues as DLQs, in a run before cycles were refused): it went
                // with all its bookkeeping, so there is nothing to give back (a redelivery of it would find nothing).
                continue;
            }
            group.inFlight.remove(returned[i]);
            deliveryTimers.cancel(group, returned[i]);
            giveBack(group, returned[i], 0);
        }
        consumer.inFlight = 0;
    }

    /**
     * A deadline came. For a delivery in flight it was not settled in time: give it back for another attempt (after
     * the queue's backoff), or dead-letter it once the group has tried it the maximum number of times. For a message
     * given back with a delay, the delay is over: it is ready again. Called while time advances; deliveries follow
     * once it has.
     */
    public void onExpired(final ConsumerGroup group, final long sequence)
    {
        state.queues.figuresChanged(group.queue);
        if (!group.queue.messages.contains(sequence))
        {
            return; // a limit took it out earlier in this same advance of time, after its deadline was collected
        }
        dispatcher.deliverLater(group);
        if (!group.inFlight.containsKey(sequence))
        {
            group.offerRedelivery(sequence);
            return;
        }

        final Consumer consumer = consumers.get(group.inFlight.remove(sequence));
        if (null != consumer)
        {
            consumer.deliveryEnded();
        }
        state.timeAdvancing = true;
        giveBack(group, sequence, backoffNs(group, sequence));
        state.timeAdvancing = false;
    }

    /**
     * A delivery came back unsettled (timed out, nacked, its consumer gone): it waits for another attempt, at once
     * or after {@code delayNs}, or goes to the dead-letter queue once the group has delivered it the maximum number of
     * times.
     */
    void giveBack(final ConsumerGroup group, final long sequence, final long delayNs)
    {
        if (group.attempts.get(sequence) >= group.queue.policy.maxAttempts())
        {
            deadLetterAndForget(group, sequence, DeadLetterReason.MAX_ATTEMPTS);
        }
        else if (delayNs > 0)
        {
            deliveryTimers.schedule(group, sequence, state.nowNs + delayNs);
        }
        else
        {
            group.offerRedelivery(sequence);
        }
    }

    /** The queue's retry backoff after the group's latest (failed) delivery of this message. */
    static long backoffNs(final ConsumerGroup group, final long sequence)
    {
        return group.queue.policy.redeliveryDelayNs((int)group.attempts.get(sequence));
    }

    /**
     * The group gave up on a message: it is done with it, and a copy goes to the group's dead-letter queue
     * ({@code <queue>.dlq} unless the group declared another), saying why.
     * <p>
     * The group lets go of the message before the copy is made, and the message leaves its queue first if no other
     * group needs it: making room in a full dead-letter queue can push messages back into this very queue (groups
     * naming each other's queues as their DLQs), which may push this one out, and that must find this group done
     * with it (not dead-letter it a second time) and must not free it while it is being copied.
     */
    private void deadLetterAndForget(final ConsumerGroup group, final long sequence, final DeadLetterReason reason)
    {
        final Queue queue = group.queue;
        state.queues.figuresChanged(queue);
        final int attempts = (int)group.attempts.remove(sequence);
        final StoredMessage message = queue.messages.get(sequence);
        final boolean lastGroup = --message.unsettledGroups == 0;
        if (lastGroup)
        {
            store.takeOut(queue, sequence);
        }
        limits.deadLetterTo(group.deadLetterQueue, queue, message, reason, attempts, group.name);
        if (lastGroup)
        {
            messagePool.release(message);
        }
    }

    /** The group is done with this message: forget it; once no group needs it, it is consumed (kept or freed). */
    private void forget(final ConsumerGroup group, final long sequence)
    {
        group.attempts.remove(sequence);
        final Queue queue = group.queue;
        state.queues.figuresChanged(queue);
        final StoredMessage message = queue.messages.get(sequence);
        if (--message.unsettledGroups == 0)
        {
            retention.consumed(queue, message);
        }
    }
}
