package io.ringmq.core.state;

import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.StartPoint;
import io.ringmq.core.protocol.HeaderFilter;
import io.ringmq.core.protocol.Names;
import org.agrona.DirectBuffer;

import java.util.ArrayList;

/**
 * Creates queues and consumer groups when clients first name them, checking the names, and answers declarations:
 * a queue or group is created with the settings declared, or an existing one is confirmed to have them. A command
 * that is refused creates nothing: it checks everything before it creates (frames older than schema version 7 aside,
 * whose replay must do what their run did).
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class Declarations
{
    private final SharedState state;
    private final QueueIndex queues;
    private final QueuePolicies policies;
    private final AgedQueues agedQueues;
    private final Retention retention;
    private final GroupExpiry groupExpiry;
    private long nextGroupId = 1;

    Declarations(final SharedState state, final Retention retention, final GroupExpiry groupExpiry)
    {
        this.state = state;
        this.retention = retention;
        this.groupExpiry = groupExpiry;
        this.queues = state.queues;
        this.policies = state.policies;
        this.agedQueues = state.agedQueues;
    }

    /** Id the next group created will get; a snapshot records it so ids never repeat. */
    long nextGroupId()
    {
        return nextGroupId;
    }

    void nextGroupId(final long nextGroupId)
    {
        this.nextGroupId = nextGroupId;
    }

    /**
     * The queue of that name, created with the configured settings if it does not exist yet.
     *
     * @return the queue, or null if the name is invalid (after reporting why).
     */
    Queue queueFor(final long sessionId, final long correlationId, final DirectBuffer name)
    {
        final Queue queue = existing(name);
        if (null != queue)
        {
            return queue;
        }
        return admitsNewQueue(sessionId, correlationId, name, true) ? create(name) : null;
    }

    /** @return the queue of that name, or null if there is none (nothing is reported). */
    Queue existing(final DirectBuffer name)
    {
        return queues.get(name, 0, name.capacity());
    }

    /** @return the queue of that name, or null if there is none, after answering UNKNOWN_QUEUE. */
    Queue existingOrRefused(final long sessionId, final long correlationId, final DirectBuffer name)
    {
        final Queue queue = existing(name);
        if (null == queue)
        {
            state.sink.onError(sessionId, correlationId, ErrorCode.UNKNOWN_QUEUE,
                "queue '" + printable(name) + "' does not exist");
        }
        return queue;
    }

    /**
     * Whether a queue of that name, which does not exist, may be created now: the command asks to create it, the name
     * is valid and the bound on queues leaves room. If not, the session has been told why; nothing is created either
     * way, so that a command checks everything else before it creates the queue (a refused one creates nothing).
     */
    boolean admitsNewQueue(
        final long sessionId, final long correlationId, final DirectBuffer name, final boolean createRequested)
    {
        final int length = name.capacity();
        if (!createRequested)
        {
            state.sink.onError(sessionId, correlationId, ErrorCode.UNKNOWN_QUEUE, "queue '" + printable(name) +
                "' does not exist" + QueueStateMachine.UNKNOWN_QUEUE_CREATE_HINT);
            return false;
        }
        if (!Names.isValid(name, 0, length))
        {
            state.sink.onError(sessionId, correlationId, ErrorCode.INVALID_NAME,
                "queue name '" + printable(name) + "' is invalid: " + Names.RULE);
            return false;
        }
        if (!state.clientLimits.admitsQueue(queues.size()))
        {
            state.sink.onError(sessionId, correlationId, ErrorCode.TOO_MANY_QUEUES, "queue '" +
                name.getStringWithoutLengthAscii(0, length) + "' does not exist, and the daemon holds " +
                queues.size() + " queues, the most ringmq.max.queues allows");
            return false;
        }
        return true;
    }

    /** Creates the queue of that name, which {@link #admitsNewQueue} admitted, with the configured settings. */
    Queue create(final DirectBuffer name)
    {
        return queues.create(name.getStringWithoutLengthAscii(0, name.capacity()));
    }

    /** @return whether the name is valid; if not, the session has been told why. */
    boolean isValidGroupName(final long sessionId, final long correlationId, final String groupName)
    {
        if (Names.isValid(groupName))
        {
            return true;
        }
        state.sink.onError(sessionId, correlationId, ErrorCode.INVALID_NAME,
            "group name '" + groupName + "' is invalid: " + Names.RULE);
        return false;
    }

    /** The queue's group of that (valid) name, created with the default settings if it does not exist yet. */
    ConsumerGroup groupFor(final Queue queue, final String groupName)
    {
        final ConsumerGroup group = queue.group(groupName);
        return null != group ? group : createGroup(queue, groupName, StartPoint.OLDEST_UNCONSUMED, 0, null);
    }

    /**
     * Creates a queue with the settings a client gives, or confirms an existing queue has them. Settings left at 0
     * or DEFAULT come from the configured rules and defaults. Retention is the declaration's own (no rule or default
     * sets it): declared on an existing queue, it must be what the queue has.
     */
    void declareQueue(
        final long sessionId,
        final long correlationId,
        final QueuePolicy declared,
        final QueueRetention retention,
        final long delayMs,
        final DirectBuffer name)
    {
        final OutputSink sink = state.sink;
        final String problem = null != retention.problem() ? retention.problem() : declared.problem();
        if (null != problem)
        {
            sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT, "queue settings: " + problem);
            return;
        }
        if (delayMs < 0 || delayMs > MessageTiming.MAX_MS)
        {
            sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT,
                "queue delayMs=" + delayMs + " is invalid: must be 0 (none) to " + MessageTiming.MAX_MS);
            return;
        }
        final boolean exists = null != existing(name);
        final Queue queue = queueFor(sessionId, correlationId, name);
        if (null == queue)
        {
            return;
        }
        if (exists)
        {
            if (retention.keepsAny() && !retention.equals(queue.retention))
            {
                sink.onError(sessionId, correlationId, ErrorCode.SETTINGS_CONFLICT, "queue '" + queue.name +
                    "' exists with " + queue.retention + "; declared " + retention);
                return;
            }
            if (queue.policy.isContradictedBy(declared))
            {
                sink.onError(sessionId, correlationId, ErrorCode.SETTINGS_CONFLICT, "queue '" + queue.name +
                    "' exists with " + queue.policy + "; declared " + declared.orElse(queue.policy));
                return;
            }
            if (0 != delayMs && delayMs != queue.defaultDelayMs)
            {
                sink.onError(sessionId, correlationId, ErrorCode.SETTINGS_CONFLICT, "queue '" + queue.name +
                    "' exists with default delay " + queue.defaultDelayMs + " ms; declared " + delayMs + " ms");
                return;
            }
            sink.onAdminDone(sessionId, correlationId, 0);
            return;
        }
        queue.declared = declared;
        queue.retain(retention);
        queue.defaultDelayMs = delayMs;
        queue.policy = policies.resolve(queue.name, declared);
        agedQueues.rebuild();
        sink.onAdminDone(sessionId, correlationId, 1);
    }

    /**
     * Creates a group with its own dispatch strategy and dead-letter queue, or confirms an existing group has them;
     * what is left DEFAULT or empty matches anything. A refused declaration changes nothing, unless it is a frame of a
     * schema version before 7 ({@code checksBeforeCreating} false): those created the group's queue before checking
     * the rest, and their replay must too.
     */
    void declareGroup(
        final long sessionId,
        final long correlationId,
        final DispatchStrategy strategy,
        final DirectBuffer queueName,
        final String groupName,
        final String deadLetterQueue,
        final StartPoint start,
        final long startValue,
        final String filterExpression,
        final boolean checksBeforeCreating)
    {
        final OutputSink sink = state.sink;
        if (DispatchStrategy.NULL_VAL == strategy)
        {
            sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT,
                "strategy is not one of DEFAULT, ROUND_ROBIN, LEAST_OUTSTANDING");
            return;
        }
        final String startProblem = Seeks.problem(start, startValue);
        if (null != startProblem)
        {
            sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT, startProblem);
            return;
        }
        final HeaderFilter filter;
        try
        {
            filter = filterExpression.isEmpty() ? null : HeaderFilter.parse(filterExpression);
        }
        catch (final IllegalArgumentException ex)
        {
            sink.onError(sessionId, correlationId, ErrorCode.INVALID_FILTER, ex.getMessage());
            return;
        }
        Queue queue = existing(queueName);
        if (null == queue)
        {
            if (!admitsNewQueue(sessionId, correlationId, queueName, true))
            {
                return;
            }
            if (!checksBeforeCreating)
            {
                queue = create(queueName);
            }
        }
        final String name = null != queue ? queue.name : queueName.getStringWithoutLengthAscii(0, queueName.capacity());
        if (!isValidGroupName(sessionId, correlationId, groupName))
        {
            return;
        }
        if (!deadLetterQueue.isEmpty() && !Names.isValid(deadLetterQueue))
        {
            sink.onError(sessionId, correlationId, ErrorCode.INVALID_NAME, "dead-letter queue name '" +
                deadLetterQueue + "' is invalid: " + Names.RULE);
            return;
        }
        if (deadLetterQueue.equals(name))
        {
            sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT, "dead-letter queue '" +
                deadLetterQueue + "' is the group's own queue: a group's dead-letter queue cannot be its own queue " +
                "(its dead letters would be delivered to it again)");
            return;
        }

        ConsumerGroup group = null == queue ? null : queue.group(groupName);
        if (null != group)
        {
            if ((DispatchStrategy.DEFAULT != strategy && strategy != group.strategy) ||
                (!deadLetterQueue.isEmpty() && !deadLetterQueue.equals(group.deadLetterQueue)) ||
                (null != filter && !filter.expression().equals(group.filterExpression())))
            {
                sink.onError(sessionId, correlationId, ErrorCode.SETTINGS_CONFLICT, "group '" + groupName +
                    "' of queue '" + name + "' exists with strategy " + Spelling.of(group.strategy) +
                    ", dead-letter queue '" + group.deadLetterQueue + "'" + (null == group.filter ?
                    " and no filter" : " and filter '" + group.filterExpression() + "'"));
                return;
            }
            sink.onAdminDone(sessionId, correlationId, 0);
            return;
        }
        if (closesDeadLetterCycle(sessionId, correlationId, name, groupName, deadLetterQueue))
        {
            return;
        }
        if (null == queue)
        {
            queue = queues.create(name);
        }
        group = createGroup(queue, groupName, start, startValue, filter);
        group.strategy = strategy;
        if (!deadLetterQueue.isEmpty())
        {
            group.deadLetterQueue = deadLetterQueue;
        }
        sink.onAdminDone(sessionId, correlationId, 1);
    }

    /**
     * Whether a new group of the queue, dead-lettering to {@code deadLetterQueue}, would close a dead-letter cycle
     * (see {@link DeadLetterCycles}); if so, the session has been told which. Only a run of schema version 5 rules
     * refuses one: an older run accepted it, and its replay must too. A group with the default dead-letter queue
     * (declared so, or made by a subscribe) adds only an edge the check always assumes, so it is never refused.
     */
    private boolean closesDeadLetterCycle(
        final long sessionId,
        final long correlationId,
        final String queueName,
        final String groupName,
        final String deadLetterQueue)
    {
        if (!state.followsVersion5Rules || deadLetterQueue.isEmpty() ||
            deadLetterQueue.equals(queueName + QueueStateMachine.DLQ_SUFFIX))
        {
            return false;
        }
        final String cycle = DeadLetterCycles.closedBy(queues, queueName, groupName, deadLetterQueue);
        if (null == cycle)
        {
            return false;
        }
        state.sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT, "dead-letter queue '" +
            deadLetterQueue + "' would make a dead-letter cycle: " + cycle + ": a message failing in it would be " +
            "copied round it without end");
        return true;
    }

    /** The name as text for a message, cut short: a refused name may be long. */
    private static String printable(final DirectBuffer name)
    {
        return name.getStringWithoutLengthAscii(0, Math.min(name.capacity(), 300));
    }

    /**
     * A new group starts at its start point ({@link Seeks#floorOf}; by default the oldest message not yet consumed,
     * which without retention is the oldest the queue holds): it needs every message from there on but the dead
     * letters redriven for another group, kept consumed ones included (they are no longer only kept), and, with a
     * filter, but those the filter refuses: it settles those at once, counted as filtered (kept ones too: they are in
     * its range), and one that no other group needs either (the queue held it for a first group) is consumed, kept if
     * the queue retains, as if every group had acked it.
     */
    private ConsumerGroup createGroup(
        final Queue queue,
        final String groupName,
        final StartPoint start,
        final long startValue,
        final HeaderFilter filter)
    {
        final ConsumerGroup group = new ConsumerGroup(nextGroupId++, groupName, queue);
        groupExpiry.idleFromNow(group);
        group.floorSequence = Seeks.floorOf(queue, start, startValue);
        group.filter = filter;
        final ArrayList<StoredMessage> unwanted = new ArrayList<>();
        queue.messages.forEach((message) ->
        {
            if (group.needs(message))
            {
                if (message.isKept())
                {
                    queue.consumed.forget(message);
                }
                message.unsettledGroups++;
            }
            else if (StoredMessage.EVERY_GROUP == message.onlyForGroupId && message.sequence >= group.floorSequence &&
                !group.accepts(message))
            {
                group.filtered++;
                if (0 == message.unsettledGroups && !message.isKept())
                {
                    unwanted.add(message);
                }
            }
        });
        queue.groups.add(group);
        state.queues.touch(queue);
        for (final StoredMessage message : unwanted)
        {
            retention.consumed(queue, message);
        }
        return group;
    }
}
