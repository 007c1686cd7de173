package io.ringmq.core.state;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * The state the parts of a {@link QueueStateMachine} work on together, and what the command being applied brings:
 * its place in the log, its time and where outputs go. Kept in one place so each part is handed the same instances
 * by construction, and so the sink can be replaced once for all of them.
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class SharedState
{
    final QueuePolicies policies;
    final QueueIndex queues;
    final Long2ObjectHashMap<Consumer> consumers = new Long2ObjectHashMap<>();
    final MessagePool messagePool = new MessagePool();
    final DeliveryTimers deliveryTimers = new DeliveryTimers();
    final AgedQueues agedQueues;
    final LimitCounts limitCounts = new LimitCounts();

    OutputSink sink;
    /** Log sequence of the command being applied (of the last one once applied); 0 before the first. */
    long lastLogSequence;
    /** Time of the command being applied. */
    long nowNs;
    /** True while expiries are handled: deliveries they cause wait until every due deadline is handled. */
    boolean timeAdvancing;
    /**
     * How this run redrives dead letters: to the group that dead-lettered each (true), or, in a run whose NodeStarted
     * predates schema version {@value AdminCommands#OWN_GROUP_REDRIVE_SINCE_VERSION}, to every group of its queue.
     */
    boolean redrivesToOwnGroup = true;
    /** The run's bounds on sessions, queues and consumers per session (from its NodeStarted). */
    ClientLimits clientLimits = ClientLimits.NONE;

    SharedState(final QueuePolicy defaults, final OutputSink sink)
    {
        this.policies = new QueuePolicies(defaults);
        this.queues = new QueueIndex(policies);
        this.agedQueues = new AgedQueues(queues.queues());
        this.sink = sink;
    }
}
