package io.ringmq.core.state;

import io.ringmq.codecs.DispatchStrategy;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Hands ready messages to consumers with capacity, now or, while time advances, once it has (timers fire before
 * deliveries go out, so every deadline due at a command's time is handled before anything is delivered).
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class Dispatcher
{
    private final SharedState state;
    private final MessageStore store;
    private final DeliveryTimers deliveryTimers;
    private final ArrayList<ConsumerGroup> groupsToDeliver = new ArrayList<>();

    Dispatcher(final SharedState state, final MessageStore store)
    {
        this.state = state;
        this.store = store;
        this.deliveryTimers = state.deliveryTimers;
    }

    /**
     * Delayed messages whose deliver-at has come join their lanes, earliest first (the order
     * {@link MessageDeadlines} states), and their groups deliver once time has finished advancing.
     */
    void releaseHeldMessages()
    {
        final MessageDeadlines held = state.heldMessages;
        final long nowNs = state.nowNs;
        while (held.isDue(nowNs))
        {
            final Queue queue = held.earliestQueue();
            store.release(queue, held.earliest());
            final ArrayList<ConsumerGroup> groups = queue.groups;
            for (int i = 0, size = groups.size(); i < size; i++)
            {
                deliverLater(groups.get(i));
            }
        }
    }

    /** Hands ready messages to consumers with capacity until one side runs out. */
    void deliverReady(final ConsumerGroup group)
    {
        final Queue queue = group.queue;
        state.queues.figuresChanged(queue); // deliveries, and positions moved past messages not for the group (lag)
        final DispatchStrategy strategy = group.effectiveStrategy();
        final long queueVisibilityTimeoutNs = TimeUnit.MILLISECONDS.toNanos(queue.policy.visibilityTimeoutMs());
        final long nowNs = state.nowNs;
        final OutputSink sink = state.sink;
        Consumer consumer;
        while (group.hasReady() && null != (consumer = group.nextConsumerWithCapacity(strategy)))
        {
            final long sequence = group.pollReadySequence();
            final StoredMessage message = queue.messages.get(sequence);
            final int attempt = (int)group.attempts.get(sequence) + 1;
            group.attempts.put(sequence, attempt);
            group.inFlight.put(sequence, consumer.id);
            consumer.deliveryStarted();
            final long timeoutNs = 0 != consumer.visibilityTimeoutNs ?
                consumer.visibilityTimeoutNs : queueVisibilityTimeoutNs;
            deliveryTimers.schedule(group, sequence, nowNs + timeoutNs);
            queue.activity.delivered(attempt);
            sink.onDeliver(consumer.sessionId, consumer.id, attempt, message);
        }
    }

    void deliverToAllGroups(final Queue queue)
    {
        final ArrayList<ConsumerGroup> groups = queue.groups;
        for (int i = 0, size = groups.size(); i < size; i++)
        {
            deliverReady(groups.get(i));
        }
    }

    /** Queues a group for delivery once time has finished advancing (timers fire before deliveries go out). */
    void deliverLater(final ConsumerGroup group)
    {
        if (!group.deliveryPending)
        {
            group.deliveryPending = true;
            groupsToDeliver.add(group);
        }
    }

    void deliverToPendingGroups()
    {
        for (int i = 0; i < groupsToDeliver.size(); i++)
        {
            final ConsumerGroup group = groupsToDeliver.get(i);
            group.deliveryPending = false;
            deliverReady(group);
        }
        groupsToDeliver.clear();
    }
}
