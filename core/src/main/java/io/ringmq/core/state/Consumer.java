package io.ringmq.core.state;

/**
 * One consumer attached to one group of one queue, belonging to one session.
 * <p>
 * Flow control is by credit: each delivery spends one, and the daemon never sends a consumer more than it has been
 * granted. With a prefetch window (prefetch > 0) every delivery that ends (acked, nacked, timed out) earns its
 * credit back, so at most prefetch are in flight (RabbitMQ's basic.qos). With prefetch 0 nothing comes back by
 * itself: the consumer pulls by granting credits explicitly (AMQP 1.0 link credit, a JetStream pull). Explicit
 * grants add to the window too.
 */
final class Consumer
{
    final long id;
    final long sessionId;
    final ConsumerGroup group;
    final int prefetch;
    /** 0: the queue's visibility timeout applies. */
    final long visibilityTimeoutNs;
    /** The pattern subscription that attached it, or null for a consumer subscribed to its queue by name. */
    PatternSubscription subscription;
    int inFlight;
    /** A long: in a window, deliveries that end add back to a credit a grant may already have taken to the limit. */
    long credit;

    Consumer(
        final long id,
        final long sessionId,
        final ConsumerGroup group,
        final int prefetch,
        final long visibilityTimeoutNs)
    {
        this.id = id;
        this.sessionId = sessionId;
        this.group = group;
        this.prefetch = prefetch;
        this.visibilityTimeoutNs = visibilityTimeoutNs;
        this.credit = prefetch;
    }

    boolean hasCapacity()
    {
        return credit > 0;
    }

    void deliveryStarted()
    {
        inFlight++;
        credit--;
    }

    /** A delivery to this consumer ended without it taking more: acked, nacked, timed out or purged. */
    void deliveryEnded()
    {
        inFlight--;
        if (prefetch > 0)
        {
            credit++;
        }
    }

    /** @return false if the grant would take the credit past {@link Integer#MAX_VALUE} (nothing changes then). */
    boolean grant(final int credits)
    {
        if (credits > Integer.MAX_VALUE - credit)
        {
            return false;
        }
        credit += credits;
        return true;
    }
}
