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
    /** The schema version from which a run redrives to the dead-lettering group only and refuses dead-letter cycles. */
    static final int VERSION_5 = 5;

    final QueuePolicies policies;
    final QueueIndex queues;
    final Long2ObjectHashMap<Consumer> consumers = new Long2ObjectHashMap<>();
    final MessagePool messagePool = new MessagePool();
    final DeliveryTimers deliveryTimers = new DeliveryTimers();
    final AgedQueues agedQueues;
    final LimitCounts limitCounts = new LimitCounts();
    final ProducerWindows producerWindows = new ProducerWindows();
    final MessageIdWindow messageIds = new MessageIdWindow();
    /** Delayed messages, held off the lanes until their deliver-at. */
    final MessageDeadlines heldMessages = new MessageDeadlines(MessageDeadlines.Kind.HELD);
    /** Messages with a time to live, until they expire. */
    final MessageDeadlines expiringMessages = new MessageDeadlines(MessageDeadlines.Kind.EXPIRING);

    OutputSink sink;
    /** Log sequence of the command being applied (of the last one once applied); 0 before the first. */
    long lastLogSequence;
    /** Time of the command being applied. */
    long nowNs;
    /** The pair's epoch: 1 until an EpochStarted (a standby promoted) says otherwise. */
    long epoch = 1;
    /** Log sequence of the current epoch's first command (its EpochStarted; 1 for epoch 1). */
    long epochFirstLogSequence = 1;
    /** True while expiries are handled: deliveries they cause wait until every due deadline is handled. */
    boolean timeAdvancing;
    /**
     * Whether this run follows the rules of schema version {@value #VERSION_5}: its NodeStarted was journaled at that
     * version or later (or there was none yet). Such a run redrives a dead letter to the group that dead-lettered it
     * only, and refuses a group whose dead-letter queue would close a dead-letter cycle ({@link DeadLetterCycles}).
     * A run of an older daemon redrove every letter to every group of its queue and accepted any dead-letter queue but
     * the group's own; its replay keeps those ways.
     */
    boolean followsVersion5Rules = true;
    /** The run's bounds on sessions, queues and consumers per session (from its NodeStarted). */
    ClientLimits clientLimits = ClientLimits.NONE;
    /** Replies dropped because the requester's session was gone, since the state began. */
    long repliesDropped;
    /** How much the run remembers to recognise a publish applied already (from its NodeStarted). */
    DedupLimits dedupLimits = DedupLimits.NONE;
    /** The run's expiry of groups and queues (from its NodeStarted). */
    RunExpiry runExpiry = RunExpiry.NONE;

    void dedupLimits(final DedupLimits limits)
    {
        dedupLimits = limits;
        producerWindows.limits(limits);
        messageIds.limits(limits);
    }

    SharedState(final QueuePolicy defaults, final OutputSink sink)
    {
        this.policies = new QueuePolicies(defaults);
        this.queues = new QueueIndex(policies);
        this.agedQueues = new AgedQueues(queues.queues());
        this.sink = sink;
    }
}
