package io.ringmq.core.state;

/** One consumer attached to one group of one queue, belonging to one session. */
final class Consumer
{
    final long id;
    final long sessionId;
    final ConsumerGroup group;
    final int prefetch;
    final long visibilityTimeoutNs;
    int inFlight;

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
    }

    boolean hasCapacity()
    {
        return inFlight < prefetch;
    }
}
