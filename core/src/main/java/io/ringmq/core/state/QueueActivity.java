package io.ringmq.core.state;

/**
 * What consumers and limits did with one queue's messages, counted as it happened since this state machine was made
 * (commands replayed at start included): for metrics only. Not part of the state: snapshots do not carry it and
 * {@link QueueStateMachine#describeState()} leaves it out, so two machines in the same state may count differently.
 * <p>
 * Plain increments on the thread that applies commands, no allocation; another thread reads them only through a copy
 * that thread made (the daemon's counters).
 */
public final class QueueActivity
{
    long delivered;
    long redelivered;
    long acked;
    long nacked;
    long deadLettered;

    void delivered(final int attempt)
    {
        delivered++;
        if (attempt > 1)
        {
            redelivered++;
        }
    }

    /** Deliveries made, first attempts and later ones. */
    public long delivered()
    {
        return delivered;
    }

    /** Of the deliveries, those after the first attempt (a nack, a timeout or a consumer gone gave it back). */
    public long redelivered()
    {
        return redelivered;
    }

    /** Deliveries settled by their consumer (an ack, or a reply to a request). */
    public long acked()
    {
        return acked;
    }

    /** Deliveries given back by a nack: requeued, requeued after a delay, or rejected to the dead-letter queue. */
    public long nacked()
    {
        return nacked;
    }

    /** Copies of this queue's messages sent to a dead-letter queue (rejected, too many attempts, a limit's action). */
    public long deadLettered()
    {
        return deadLettered;
    }
}
