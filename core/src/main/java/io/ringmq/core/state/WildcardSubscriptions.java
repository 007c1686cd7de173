package io.ringmq.core.state;

import io.ringmq.core.protocol.QueuePattern;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.List;

/**
 * Pattern subscriptions ({@code orders.*}, {@code orders.>}) attaching consumers: to every queue the pattern matches
 * when it is made, and to every matching queue created later, by whatever creates it (publish, declare, a subscribe by
 * name, a dead letter, a reply queue, a redrive), at the end of the command that created it. The command that
 * creates a queue thus also attaches its consumers, before any later command can publish to it, so they miss nothing:
 * a group the attachment makes starts at the oldest message not consumed, and an attachment delivers at once.
 * <p>
 * Each attached consumer is an ordinary {@link Consumer} of its queue's group (acks, nacks, extends and grants name
 * it as any other); the client learns its queue from the Attached output. Not thread-safe: owned by the thread that
 * applies commands.
 */
final class WildcardSubscriptions
{
    private final SharedState state;
    private final Sessions sessions;
    private final Declarations declarations;
    private final Dispatcher dispatcher;
    private final Long2ObjectHashMap<Consumer> consumers;

    WildcardSubscriptions(
        final SharedState state, final Sessions sessions, final Declarations declarations, final Dispatcher dispatcher)
    {
        this.state = state;
        this.sessions = sessions;
        this.declarations = declarations;
        this.dispatcher = dispatcher;
        this.consumers = state.consumers;
    }

    /**
     * Makes the subscription (checked already), answers Subscribed with its id and attaches it to every queue it
     * matches now, in creation order.
     */
    void subscribe(
        final Session session,
        final long correlationId,
        final QueuePattern pattern,
        final String groupName,
        final int prefetch,
        final long visibilityTimeoutNs)
    {
        final PatternSubscription subscription = new PatternSubscription(
            sessions.nextConsumerId++, session.id, correlationId, pattern, groupName, prefetch, visibilityTimeoutNs);
        sessions.patterns.add(subscription);
        session.patterns.add(subscription);
        state.sink.onSubscribed(session.id, correlationId, subscription.id);
        final List<Queue> queues = state.queues.queues();
        for (int i = 0, size = queues.size(); i < size; i++)
        {
            final Queue queue = queues.get(i);
            if (pattern.matches(queue.name))
            {
                attach(subscription, queue);
            }
        }
    }

    /**
     * The end of a command: each queue it created (and did not delete again) gets a consumer of every subscription
     * that matches it, queues in creation order, subscriptions oldest first. Allocates nothing when none was created.
     */
    void attachToCreatedQueues()
    {
        final List<Queue> created = state.queues.created();
        if (created.isEmpty())
        {
            return;
        }
        for (int q = 0; q < created.size(); q++)
        {
            final Queue queue = created.get(q);
            if (queue != state.queues.get(queue.name))
            {
                continue;
            }
            for (int s = 0; s < sessions.patterns.size(); s++)
            {
                final PatternSubscription subscription = sessions.patterns.get(s);
                if (subscription.pattern.matches(queue.name))
                {
                    attach(subscription, queue);
                }
            }
        }
        state.queues.forgetCreated();
    }

    /** The subscription goes (unsubscribed, or its session closed); detaching its consumers is the caller's. */
    void remove(final Session session, final PatternSubscription subscription)
    {
        sessions.patterns.remove(subscription);
        session.patterns.remove(subscription);
    }

    /** A consumer went (its queue or group deleted, or unsubscribed by its own id): its subscription lets go of it. */
    static void detached(final Consumer consumer)
    {
        if (null != consumer.subscription)
        {
            consumer.subscription.attached.remove(consumer);
        }
    }

    /** The session's pattern subscription of that id, or null. */
    static PatternSubscription find(final Session session, final long subscriptionId)
    {
        for (int i = 0, size = session.patterns.size(); i < size; i++)
        {
            if (session.patterns.get(i).id == subscriptionId)
            {
                return session.patterns.get(i);
            }
        }
        return null;
    }

    private void attach(final PatternSubscription subscription, final Queue queue)
    {
        final Session session = sessions.byId.get(subscription.sessionId);
        final ConsumerGroup group = declarations.groupFor(queue, subscription.groupName);
        final Consumer consumer = new Consumer(sessions.nextConsumerId++, subscription.sessionId, group,
            subscription.prefetch, subscription.visibilityTimeoutNs);
        consumer.subscription = subscription;
        consumers.put(consumer.id, consumer);
        session.consumers.add(consumer);
        group.consumers.add(consumer);
        state.queues.touch(queue); // no longer idle: queue expiry looks again
        subscription.attached.add(consumer);
        state.sink.onAttached(session.id, subscription.correlationId, subscription.id, consumer.id, queue.name);
        dispatcher.deliverReady(group);
    }
}
