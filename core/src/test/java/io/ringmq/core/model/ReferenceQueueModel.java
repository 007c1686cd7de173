package io.ringmq.core.model;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.BackoffKind;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.LimitAction;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.StartPoint;
import io.ringmq.core.testing.HeadersText;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A small, deliberately naive model of what the QueueStateMachine must do (README "What works today", DESIGN §2),
 * written to be checked line by line rather than to be fast: plain collections, no indexes, counts recomputed.
 * It speaks the {@code RecordingSink} line format, so its outputs compare with the real machine's as lists.
 * <p>
 * {@link Deviation}s are places where the real machine is known to differ from the semantics written down; with
 * one in {@link #mirrored} the model copies the real behaviour instead (so the randomized test stays useful while
 * the fix is pending). Without any, the model is the specification.
 */
public final class ReferenceQueueModel
{
    /** Known differences of the real machine from the stated semantics; see the reproductions in ModelFoundBugsTest. */
    public enum Deviation
    {
        /** A delivery given back by a nack or a closed session is redelivered even past max attempts. */
        GIVE_BACK_IGNORES_MAX_ATTEMPTS,
        /** A message dead-lettered while deadlines expire is delivered to the DLQ's groups before later expiries. */
        DLQ_DELIVERS_WHILE_TIME_ADVANCES,
        /**
         * Purge and redrive leave dropped sequences in redelivery FIFOs and the next delivery throws; mirrored by
         * {@link CommandGenerator} not purging or redriving a queue while one of its groups has redeliveries waiting.
         */
        DROP_LEAVES_STALE_REDELIVERIES
    }

    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9._-]{1,255}(\\.dlq)?");
    private static final long MAX_VISIBILITY_TIMEOUT_MS = 12L * 60 * 60 * 1000;
    /** The longest delay a message may be held: a year. */
    private static final long MAX_MESSAGE_DELAY_MS = 365L * 24 * 60 * 60 * 1000;
    private static final long NS_PER_MS = 1_000_000L;

    private final Set<Deviation> mirrored;
    private final List<String> outputs = new ArrayList<>();
    private long nextSessionId = 1;
    private long nextConsumerId = 1;
    private long nextGroupId = 1;
    private Settings defaults =
        new Settings(30_000, 5, BackoffKind.NONE, 0, 0, DispatchStrategy.ROUND_ROBIN, Limits.DEFAULTS);
    private final List<Rule> rules = new ArrayList<>();
    private long nowNs;
    private int transport;
    private long foreignCommands;
    private final TreeMap<Long, Session> sessions = new TreeMap<>();
    private final LinkedHashMap<String, Queue> queues = new LinkedHashMap<>(); // in creation order
    /** Pattern subscriptions of open sessions, oldest first. */
    private final List<PatternSubscription> patterns = new ArrayList<>();
    /** The queues there were after the last command: any other is new, and pattern subscriptions attach to it. */
    private final Set<Queue> queuesBefore = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private boolean timeAdvancing;
    /** Counts messages as they become available to their groups: within a priority, groups take them in this order. */
    private long nextAvailable;
    /** Runs started by a daemon of schema version 5 or later redrive a letter to its own group; older ones to all. */
    private boolean redrivesToOwnGroup = true;
    /** Runs of schema version 5 or later refuse a group whose dead letters could find their way back to its queue. */
    private boolean refusesDeadLetterCycles = true;
    private final List<Group> groupsToDeliver = new ArrayList<>();
    /**
     * The run's bounds (a NodeStarted of schema version 6 or later; 0, and any run before, none): sessions open at
     * once, queues clients may make exist, consumers one session may attach.
     */
    private int maxSessions;
    private int maxQueues;
    private int maxConsumersPerSession;

    /** How many of a producer's latest applied sequences a run remembers. */
    private static final int SEQUENCES_PER_PRODUCER = 256;
    /** What the run remembers to recognise publishes applied already (a NodeStarted of schema version 7 or later). */
    private Command.Dedup dedup = Command.Dedup.NONE;
    /** Producers remembered, least recently used first. */
    private final LinkedHashMap<Long, Producer> producers = new LinkedHashMap<>();
    /** Message ids remembered, oldest first. */
    private final List<RememberedId> messageIds = new ArrayList<>();
    private long evictedProducers;
    private long evictedIds;
    /** Replies whose requester's session was gone. */
    private long repliesDropped;
    /** The run's expiry (a NodeStarted of schema version 10 or later; before, none): of groups, of idle queues. */
    private long groupExpiryNs;
    private long queueExpiryNs;
    private long expiredGroups;
    private long expiredQueues;

    private static final class Producer
    {
        long lastUsedNs;
        /** Producer sequence -> the queue sequence its publish got, oldest first. */
        final LinkedHashMap<Long, Long> applied = new LinkedHashMap<>();
    }

    private record RememberedId(String queue, String messageId, long queueSequence, long publishedNs)
    {
    }

    private record Session(long id, int transport, List<Consumer> consumers)
    {
    }

    /**
     * A session's subscription to a pattern of queues (schema version 10): a consumer of {@code group} on every queue
     * it matches, those there when it was made and those made later, each made at the end of the command that made
     * its queue. Its id comes from the consumers' ids.
     */
    private record PatternSubscription(long id, long sessionId, long correlationId, String pattern, String group,
        int prefetch, long timeoutNs)
    {
    }

    /**
     * A consumer may have in flight its prefetch window plus everything it granted; without a window (prefetch 0)
     * it may be sent in total only what it granted.
     */
    private static final class Consumer
    {
        final long id;
        final long sessionId;
        final Group group;
        final int prefetch;
        final long visibilityTimeoutNs; // 0: the queue's
        /** The pattern subscription that made it; null: subscribed by its queue's name. */
        PatternSubscription subscription;
        long granted;
        long delivered;

        Consumer(final long id, final long sessionId, final Group group, final int prefetch, final long timeoutNs)
        {
            this.id = id;
            this.sessionId = sessionId;
            this.group = group;
            this.prefetch = prefetch;
            this.visibilityTimeoutNs = timeoutNs;
        }

        long id()
        {
            return id;
        }

        long sessionId()
        {
            return sessionId;
        }

        Group group()
        {
            return group;
        }
    }

    /**
     * A queue's bounds; 0 and DEFAULT mean "not set here", {@link #NONE} "no bound". What passes one leaves the queue
     * by the action: dead-lettered, dropped, or (size bounds only) the newcomer is refused.
     */
    record Limits(long maxAgeMs, long maxMessages, long maxBytes, LimitAction expired, LimitAction overflow)
    {
        static final long NONE = Long.MAX_VALUE;
        static final Limits UNSET = new Limits(0, 0, 0, LimitAction.DEFAULT, LimitAction.DEFAULT);
        static final Limits DEFAULTS =
            new Limits(NONE, NONE, NONE, LimitAction.DEAD_LETTER, LimitAction.DEAD_LETTER);

        boolean valid()
        {
            return maxAgeMs >= 0 && (maxAgeMs <= 365L * 24 * 3600 * 1000 || NONE == maxAgeMs) &&
                maxMessages >= 0 && (maxMessages <= 1L << 30 || NONE == maxMessages) && maxBytes >= 0 &&
                LimitAction.NULL_VAL != expired && LimitAction.REJECT_PUBLISH != expired &&
                LimitAction.NULL_VAL != overflow;
        }

        Limits or(final Limits fallback)
        {
            return new Limits(
                0 != maxAgeMs ? maxAgeMs : fallback.maxAgeMs,
                0 != maxMessages ? maxMessages : fallback.maxMessages,
                0 != maxBytes ? maxBytes : fallback.maxBytes,
                LimitAction.DEFAULT != expired ? expired : fallback.expired,
                LimitAction.DEFAULT != overflow ? overflow : fallback.overflow);
        }
    }

    /** Queue settings; in a declaration or a rule 0 and DEFAULT mean "not set here". */
    record Settings(long visibilityTimeoutMs, int maxAttempts, BackoffKind backoff, long initialDelayMs,
        long maxDelayMs, DispatchStrategy strategy, Limits limits)
    {
        static final Settings UNSET = new Settings(0, 0, BackoffKind.DEFAULT, 0, 0, DispatchStrategy.DEFAULT);

        Settings(final long visibilityTimeoutMs, final int maxAttempts, final BackoffKind backoff,
            final long initialDelayMs, final long maxDelayMs, final DispatchStrategy strategy)
        {
            this(visibilityTimeoutMs, maxAttempts, backoff, initialDelayMs, maxDelayMs, strategy, Limits.UNSET);
        }

        boolean valid()
        {
            final boolean delays = BackoffKind.FIXED == backoff || BackoffKind.EXPONENTIAL == backoff;
            return visibilityTimeoutMs >= 0 && visibilityTimeoutMs <= MAX_VISIBILITY_TIMEOUT_MS &&
                maxAttempts >= 0 && maxAttempts <= 1000 &&
                BackoffKind.NULL_VAL != backoff && DispatchStrategy.NULL_VAL != strategy &&
                initialDelayMs >= 0 && initialDelayMs <= MAX_VISIBILITY_TIMEOUT_MS &&
                maxDelayMs >= 0 && maxDelayMs <= MAX_VISIBILITY_TIMEOUT_MS &&
                (!delays || initialDelayMs >= 1) &&
                (BackoffKind.EXPONENTIAL != backoff || 0 == maxDelayMs || maxDelayMs >= initialDelayMs) &&
                (delays || (0 == initialDelayMs && 0 == maxDelayMs)) && limits.valid();
        }

        /** Each field from here if set, else from the fallback; the delays travel with the backoff kind. */
        Settings or(final Settings fallback)
        {
            final boolean ownBackoff = BackoffKind.DEFAULT != backoff;
            return new Settings(
                0 != visibilityTimeoutMs ? visibilityTimeoutMs : fallback.visibilityTimeoutMs,
                0 != maxAttempts ? maxAttempts : fallback.maxAttempts,
                ownBackoff ? backoff : fallback.backoff,
                ownBackoff ? initialDelayMs : fallback.initialDelayMs,
                ownBackoff ? maxDelayMs : fallback.maxDelayMs,
                DispatchStrategy.DEFAULT != strategy ? strategy : fallback.strategy,
                limits.or(fallback.limits));
        }

        /** Wait before the next delivery once delivery number {@code attempt} failed. */
        long delayNsAfter(final int attempt)
        {
            if (BackoffKind.FIXED == backoff)
            {
                return initialDelayMs * NS_PER_MS;
            }
            if (BackoffKind.EXPONENTIAL == backoff)
            {
                final long capMs = 0 == maxDelayMs ? MAX_VISIBILITY_TIMEOUT_MS : maxDelayMs;
                long delayMs = initialDelayMs;
                for (int i = 1; i < attempt && delayMs < capMs; i++)
                {
                    delayMs *= 2;
                }
                return Math.min(delayMs, capMs) * NS_PER_MS;
            }
            return 0;
        }
    }

    private record Rule(String pattern, Settings settings)
    {
        boolean matches(final String queueName)
        {
            if (pattern.endsWith("*"))
            {
                return queueName.startsWith(pattern.substring(0, pattern.length() - 1));
            }
            return pattern.startsWith("*") ? queueName.endsWith(pattern.substring(1)) : pattern.equals(queueName);
        }
    }

    /**
     * {@code onlyFor}: the one group a redriven dead letter went back to (no other group of its queue, now or later,
     * ever gets it); null for a message meant for every group.
     */
    private record Message(long sequence, long publishNs, long enqueuedNs, byte[] payload, Set<Long> neededByGroups,
        Letter letter, Group onlyFor, Command.Metadata metadata, long replySession)
    {
        /** A request answered to a session, or onto a queue; a reply enqueued on a queue only carries the id. */
        boolean isRequest()
        {
            return 0 != replySession || !metadata.replyTo().isEmpty();
        }
    }

    /** What a dead letter records: why, after how many deliveries, from which queue and group. */
    private record Letter(String reason, int attempts, String sourceQueue, String sourceGroup)
    {
    }

    private static final class Queue
    {
        final String name;
        long nextSequence = 1;
        Settings declared = Settings.UNSET;
        final TreeMap<Long, Message> messages = new TreeMap<>();
        final List<Group> groups = new ArrayList<>();
        /** Delayed messages not yet available: sequence to the time they become so (entries of gone ones ignored). */
        final TreeMap<Long, Long> heldUntil = new TreeMap<>();
        /** Messages with a time to live: sequence to the time they expire (entries of gone ones ignored). */
        final TreeMap<Long, Long> expiresAt = new TreeMap<>();
        /** Available messages: sequence to their place in {@link #nextAvailable}'s count. */
        final Map<Long, Long> availableOrder = new java.util.HashMap<>();
        long expired;
        long overflowed;
        long dropped;
        long refused;
        /** Retention (version 9): acked messages are kept this long after the last ack (0: no time bound)... */
        long retainMs;
        /** ... and only the newest up to this many payload bytes (0: no size bound); both 0: nothing is kept. */
        long retainBytes;
        /** Messages every group acked, kept for a seek back: sequence to when, in the order they were consumed. */
        final LinkedHashMap<Long, Long> kept = new LinkedHashMap<>();

        boolean retains()
        {
            return retainMs > 0 || retainBytes > 0;
        }

        long keptBytes()
        {
            return kept.keySet().stream().mapToLong((sequence) -> messages.get(sequence).payload().length).sum();
        }
        /** Held this long, a publish with no delay or deliver-at of its own (its declared default delay). */
        long defaultDelayMs;
        /** What it held and who was attached when last looked at ({@link #noteChanges}), and since when. */
        String lastSeen;
        long unchangedSinceNs;

        long bytes()
        {
            return messages.values().stream().mapToLong((m) -> m.payload().length).sum();
        }

        Queue(final String name)
        {
            this.name = name;
        }
    }

    private static final class Group
    {
        final long id;
        final String name;
        final Queue queue;
        final List<Consumer> consumers = new ArrayList<>();
        DispatchStrategy strategy = DispatchStrategy.DEFAULT; // DEFAULT: the queue's
        String deadLetterQueue; // null: <queue>.dlq
        int roundRobin;
        final TreeSet<Long> neverDelivered = new TreeSet<>();
        final ArrayDeque<Long> redeliveries = new ArrayDeque<>();
        final TreeMap<Long, Long> inFlight = new TreeMap<>(); // sequence -> consumer id
        final TreeMap<Long, Integer> attempts = new TreeMap<>(); // sequence -> deliveries so far
        final TreeMap<Long, Long> deadlines = new TreeMap<>(); // sequence -> visibility deadline
        final TreeMap<Long, Long> readyAt = new TreeMap<>(); // sequence given back with a delay -> when it is ready
        /** No message below this sequence is ever this group's: where it started, or was last sought to. */
        long floor = 1;
        ReferenceFilter filter; // null: every message
        long filtered; // messages the filter refused, each settled at once
        /** When it was made, or its last consumer left; whether it had one when last looked at. */
        long withoutConsumerSinceNs;
        boolean hadConsumers;

        Group(final long id, final String name, final Queue queue)
        {
            this.id = id;
            this.name = name;
            this.queue = queue;
        }
    }

    private record Due(long deadlineNs, Group group, long sequence, boolean delayOver)
    {
    }

    public ReferenceQueueModel(final Set<Deviation> mirrored)
    {
        this.mirrored = mirrored.isEmpty() ? EnumSet.noneOf(Deviation.class) : EnumSet.copyOf(mirrored);
    }

    public List<String> drainOutputs()
    {
        final List<String> copy = new ArrayList<>(outputs);
        outputs.clear();
        return copy;
    }

    /** Applies one command: time passes first (expiring what is due), then the command takes effect. */
    public void apply(final Command.Step step)
    {
        nowNs = step.timeNs();
        transport = step.transport();
        expireDueDeliveries();
        expireGroupsWithoutConsumers();
        noteChanges();
        expireIdleQueues();
        step.command().applyTo(this);
        for (final Queue queue : new ArrayList<>(queues.values()))
        {
            if (!queuesBefore.contains(queue))
            {
                for (final PatternSubscription subscription : List.copyOf(patterns))
                {
                    if (ReferencePattern.matches(subscription.pattern(), queue.name))
                    {
                        attach(subscription, queue);
                    }
                }
            }
        }
        queuesBefore.clear();
        queuesBefore.addAll(queues.values());
        noteChanges();
    }

    /** A consumer for the pattern subscription on a queue it matches, announced before anything is delivered to it. */
    private void attach(final PatternSubscription subscription, final Queue queue)
    {
        Group group = queue.groups.stream().filter((g) -> g.name.equals(subscription.group())).findFirst().orElse(null);
        if (null == group)
        {
            group = newGroup(queue, subscription.group());
        }
        final Consumer consumer = new Consumer(nextConsumerId++, subscription.sessionId(), group,
            subscription.prefetch(), subscription.timeoutNs());
        consumer.subscription = subscription;
        sessions.get(subscription.sessionId()).consumers().add(consumer);
        group.consumers.add(consumer);
        outputs.add("attached session=" + subscription.sessionId() + " corr=" + subscription.correlationId() +
            " subscription=" + subscription.id() + " consumer=" + consumer.id() + " queue=" + queue.name);
        deliver(group);
    }

    // ---- expiry (issue 17): of groups without a consumer, of idle queues; by command time ----

    /** The run's expiry settings, which a NodeStarted of schema version 10 or later carries; before, none. */
    void expiry(final int schemaVersion, final Command.Expiry expiry)
    {
        groupExpiryNs = schemaVersion >= 10 ? Math.max(0, expiry.groupMs()) * NS_PER_MS : 0;
        queueExpiryNs = schemaVersion >= 10 ? Math.max(0, expiry.queueMs()) * NS_PER_MS : 0;
    }

    /**
     * Looks at every queue after time's own changes and after the command: a group whose last consumer has gone
     * starts its clock now; a queue whose messages (its next sequence included: a message in and out at once),
     * groups or consumers differ from the last look changed now.
     */
    private void noteChanges()
    {
        for (final Queue queue : queues.values())
        {
            final StringBuilder seen = new StringBuilder().append(queue.nextSequence).append(queue.messages.keySet());
            for (final Group group : queue.groups)
            {
                final boolean hasConsumers = !group.consumers.isEmpty();
                if (group.hadConsumers && !hasConsumers)
                {
                    group.withoutConsumerSinceNs = nowNs;
                }
                group.hadConsumers = hasConsumers;
                seen.append(' ').append(group.id).append(group.consumers.stream().map((c) -> c.id).toList());
            }
            if (!seen.toString().equals(queue.lastSeen))
            {
                queue.lastSeen = seen.toString();
                queue.unchangedSinceNs = nowNs;
            }
        }
    }

    /** A group that has had no consumer for the run's group expiry goes, as a delete group without an answer. */
    private void expireGroupsWithoutConsumers()
    {
        if (0 == groupExpiryNs)
        {
            return;
        }
        for (final Queue queue : List.copyOf(queues.values()))
        {
            for (final Group group : List.copyOf(queue.groups))
            {
                if (group.consumers.isEmpty() && group.withoutConsumerSinceNs + groupExpiryNs <= nowNs)
                {
                    remove(queue, group.name);
                    expiredGroups++;
                }
            }
        }
    }

    /** A queue idle for the run's queue expiry, unchanged since, goes, as a delete queue without an answer. */
    private void expireIdleQueues()
    {
        if (0 == queueExpiryNs)
        {
            return;
        }
        for (final Queue queue : List.copyOf(queues.values()))
        {
            if (idle(queue) && queue.unchangedSinceNs + queueExpiryNs <= nowNs)
            {
                remove(queue, null);
                expiredQueues++;
            }
        }
    }

    /**
     * Idle: no consumer in any of its groups; nothing it holds is for a group it has (it has none, or holds nothing);
     * no dead letter (they wait for an operator); not declared to retain (made to keep its history).
     */
    private static boolean idle(final Queue queue)
    {
        return queue.groups.stream().allMatch((g) -> g.consumers.isEmpty()) &&
            (queue.groups.isEmpty() || queue.messages.isEmpty()) &&
            queue.messages.values().stream().allMatch((m) -> null == m.letter()) && !queue.retains();
    }

    /** When the next group or queue expires; {@link Long#MAX_VALUE} if none will. */
    private long nextExpiryNs()
    {
        long next = Long.MAX_VALUE;
        for (final Queue queue : queues.values())
        {
            if (0 != queueExpiryNs && idle(queue))
            {
                next = Math.min(next, queue.unchangedSinceNs + queueExpiryNs);
            }
            for (final Group group : queue.groups)
            {
                if (0 != groupExpiryNs && group.consumers.isEmpty())
                {
                    next = Math.min(next, group.withoutConsumerSinceNs + groupExpiryNs);
                }
            }
        }
        return next;
    }

    private void expireDueDeliveries()
    {
        final List<Due> due = new ArrayList<>();
        for (final Queue queue : queues.values())
        {
            for (final Group group : queue.groups)
            {
                group.deadlines.forEach((sequence, deadline) ->
                {
                    if (deadline <= nowNs)
                    {
                        due.add(new Due(deadline, group, sequence, false));
                    }
                });
                group.readyAt.forEach((sequence, readyAt) ->
                {
                    if (readyAt <= nowNs)
                    {
                        due.add(new Due(readyAt, group, sequence, true));
                    }
                });
            }
        }
        due.sort(Comparator.comparingLong(Due::deadlineNs)
            .thenComparingLong((d) -> d.group().id).thenComparingLong(Due::sequence));

        timeAdvancing = true;
        for (final Due expiry : due)
        {
            final Group group = expiry.group();
            if (!group.queue.messages.containsKey(expiry.sequence()))
            {
                continue; // a limit took it out while earlier deadlines were handled: nothing is due for it
            }
            deliverLater(group);
            if (expiry.delayOver())
            {
                group.readyAt.remove(expiry.sequence());
                group.redeliveries.addLast(expiry.sequence());
            }
            else
            {
                giveBack(group, expiry.sequence(), true,
                    settingsOf(group.queue).delayNsAfter(group.attempts.get(expiry.sequence())));
            }
        }
        expireAgedMessages();
        expireMessagesPastTtl();
        releaseKeptMessages();
        timeAdvancing = false;
        releaseHeldMessages();
        for (final Group group : groupsToDeliver)
        {
            deliver(group);
        }
        groupsToDeliver.clear();
    }

    /** After the deadlines: in each queue with a maximum age, messages that have been there that long leave. */
    private void expireAgedMessages()
    {
        for (final Queue queue : new ArrayList<>(queues.values())) // creation order; new queues hold nothing due
        {
            final Limits limits = settingsOf(queue).limits();
            if (Limits.NONE == limits.maxAgeMs())
            {
                continue;
            }
            for (final Message message : new ArrayList<>(queue.messages.values()))
            {
                if (message.enqueuedNs() + limits.maxAgeMs() * NS_PER_MS <= nowNs &&
                    queue.messages.containsKey(message.sequence()))
                {
                    removeByLimit(queue, message, "EXPIRED", limits.expired());
                    queue.expired++;
                }
            }
        }
    }

    /**
     * Room for a newcomer of {@code length} bytes: push out the oldest until it fits, or refuse it (REJECT_PUBLISH,
     * or larger than the byte bound). Counted either way.
     */
    private boolean makeRoom(final Queue queue, final int length)
    {
        final Limits limits = settingsOf(queue).limits();
        if (length > limits.maxBytes() ||
            (LimitAction.REJECT_PUBLISH == limits.overflow() && !fits(queue, limits, length)))
        {
            queue.refused++;
            return false;
        }
        while (!fits(queue, limits, length))
        {
            removeByLimit(queue, queue.messages.firstEntry().getValue(), "OVERFLOW", limits.overflow());
            queue.overflowed++;
        }
        return true;
    }

    private static boolean fits(final Queue queue, final Limits limits, final int length)
    {
        return queue.messages.size() + 1 <= limits.maxMessages() && queue.bytes() + length <= limits.maxBytes();
    }

    /**
     * Every group that still needs the message loses it (a delivery in flight ends, its ack goes stale); with
     * DEAD_LETTER each of them dead-letters it, unless it is a dead letter already (then it is dropped: limits on a
     * DLQ never cascade). No groups: the queue's own {@code .dlq} gets it.
     */
    private void removeByLimit(final Queue queue, final Message message, final String reason, final LimitAction action)
    {
        if (queue.kept.containsKey(message.sequence()))
        {
            drop(queue, message.sequence()); // consumed already: nobody to dead-letter it for
            queue.dropped++;
            return;
        }
        final boolean deadLetter = LimitAction.DEAD_LETTER == action && null == message.letter();
        // It leaves first, copies follow: a full DLQ making room may push messages back into this queue.
        final List<Group> needing = new ArrayList<>();
        final List<Integer> attempts = new ArrayList<>();
        for (final Group group : queue.groups)
        {
            if (message.neededByGroups().contains(group.id))
            {
                needing.add(group);
                attempts.add(group.attempts.getOrDefault(message.sequence(), 0));
                if (timeAdvancing)
                {
                    deliverLater(group);
                }
            }
        }
        drop(queue, message.sequence());
        if (!deadLetter)
        {
            queue.dropped++;
            return;
        }
        if (queue.groups.isEmpty())
        {
            deadLetterCopy(queue.name + ".dlq", message, new Letter(reason, 0, queue.name, ""));
        }
        for (int i = 0; i < needing.size(); i++)
        {
            final Group group = needing.get(i);
            deadLetterCopy(dlqOf(group), message, new Letter(reason, attempts.get(i), queue.name, group.name));
        }
    }
    void connect(final long correlationId, final String channel, final int streamId)
    {
        if (maxSessions > 0 && sessions.size() >= maxSessions)
        {
            connectRefused(correlationId, channel, streamId, "TOO_MANY_SESSIONS");
            return;
        }
        final long id = nextSessionId++;
        sessions.put(id, new Session(id, transport, new ArrayList<>()));
        outputs.add("opened session=" + id + " corr=" + correlationId + " " + channel + "/" + streamId);
    }

    /** A Connect refused before or at the machine: answered on its response channel, no session opened. */
    void connectRefused(final long correlationId, final String channel, final int streamId, final String code)
    {
        outputs.add("refused corr=" + correlationId + " " + channel + "/" + streamId + " " + code);
    }

    void disconnect(final long sessionId, final boolean releaseInFlight)
    {
        if (connected(sessionId))
        {
            closeSessions((session) -> session.id() == sessionId, releaseInFlight);
        }
    }

    /** The ingress refused a frame naming this session: only the session's own transport hears why. */
    void frameRejected(final long sessionId, final long correlationId, final io.ringmq.codecs.ErrorCode code)
    {
        if (connected(sessionId))
        {
            error(sessionId, correlationId, code.name());
        }
    }

    /** The daemon itself closes a session whose client stopped reading: no transport check, no error if gone. */
    void sessionLost(final long sessionId)
    {
        closeSessions((session) -> session.id() == sessionId, true);
    }

    void transportClosed(final int transportSessionId)
    {
        closeSessions((session) -> session.transport() == transportSessionId, true);
    }

    /** The bounds (0: none) count only from schema version 6 on: older daemons wrote none, and bounded nothing. */
    void nodeStarted(final long defaultVisibilityTimeoutMs, final int defaultMaxAttempts, final int schemaVersion,
        final Command.Bounds bounds, final Command.Dedup dedup)
    {
        // What was remembered stays (a retry after a restart is what it is for); only the windows and bounds change.
        this.dedup = schemaVersion >= 7 ? new Command.Dedup(Math.max(0, dedup.windowMs()),
            Math.max(0, dedup.maxProducers()), Math.max(0, dedup.idWindowMs()), Math.max(0, dedup.maxIds())) :
            Command.Dedup.NONE;
        redrivesToOwnGroup = schemaVersion >= 5;
        refusesDeadLetterCycles = schemaVersion >= 5;
        final boolean bounded = schemaVersion >= 6;
        maxSessions = bounded ? Math.max(0, bounds.maxSessions()) : 0;
        maxQueues = bounded ? Math.max(0, bounds.maxQueues()) : 0;
        maxConsumersPerSession = bounded ? Math.max(0, bounds.maxConsumersPerSession()) : 0;
        final long maxBytes =
            bounded && bounds.defaultMaxQueueBytes() > 0 ? bounds.defaultMaxQueueBytes() : Limits.NONE;
        defaults = new Settings(
            defaultVisibilityTimeoutMs > 0 && defaultVisibilityTimeoutMs <= MAX_VISIBILITY_TIMEOUT_MS ?
                defaultVisibilityTimeoutMs : defaults.visibilityTimeoutMs(),
            defaultMaxAttempts > 0 && defaultMaxAttempts <= 1000 ? defaultMaxAttempts : defaults.maxAttempts(),
            BackoffKind.NONE, 0, 0, DispatchStrategy.ROUND_ROBIN,
            new Limits(Limits.NONE, Limits.NONE, maxBytes, LimitAction.DEAD_LETTER, LimitAction.DEAD_LETTER));
        rules.clear();
        closeSessions((session) -> true, true);
    }

    void queueRule(final String pattern, final Settings settings)
    {
        final String literal = pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) :
            pattern.startsWith("*") ? pattern.substring(1) : pattern;
        if (settings.valid() && ("*".equals(pattern) || VALID_NAME.matcher(literal).matches()))
        {
            rules.add(new Rule(pattern, settings));
        }
    }

    void declareQueue(final long sessionId, final long correlationId, final String queueName, final Settings declared,
        final long retainMs, final long retainBytes, final long delayMs)
    {
        if (!connected(sessionId))
        {
            return;
        }
        if (retainMs < 0 || retainBytes < 0 || !declared.valid() || delayMs < 0 || delayMs > MAX_MESSAGE_DELAY_MS)
        {
            error(sessionId, correlationId, "INVALID_ARGUMENT");
            return;
        }
        final boolean exists = queues.containsKey(queueName);
        final Queue queue = queueFor(sessionId, correlationId, queueName);
        if (null == queue)
        {
            return;
        }
        if (exists)
        {
            final Settings current = settingsOf(queue);
            final boolean retentionDiffers = (retainMs > 0 || retainBytes > 0) &&
                (retainMs != queue.retainMs || retainBytes != queue.retainBytes);
            final boolean delayDiffers = 0 != delayMs && delayMs != queue.defaultDelayMs;
            if (retentionDiffers || delayDiffers || !declared.or(current).equals(current))
            {
                error(sessionId, correlationId, "SETTINGS_CONFLICT");
                return;
            }
            outputs.add("done session=" + sessionId + " corr=" + correlationId + " count=0");
            return;
        }
        queue.declared = declared;
        queue.retainMs = retainMs;
        queue.retainBytes = retainBytes;
        queue.defaultDelayMs = delayMs;
        outputs.add("done session=" + sessionId + " corr=" + correlationId + " count=1");
    }

    void extend(final long sessionId, final long consumerId, final long sequence, final int attempt,
        final long timeoutMs)
    {
        final Consumer consumer = currentDeliveryOwner(sessionId, consumerId, sequence, attempt);
        if (null == consumer)
        {
            return;
        }
        if (timeoutMs < 1 || timeoutMs > MAX_VISIBILITY_TIMEOUT_MS)
        {
            error(sessionId, 0, "INVALID_ARGUMENT");
            return;
        }
        consumer.group().deadlines.put(sequence, nowNs + timeoutMs * NS_PER_MS);
    }

    /**
     * A session lets go of one of its consumers while staying open: the consumer leaves its group as if its client
     * had gone, so what it held comes back now (to the group's other consumers, if any), and its credit is gone with
     * it. The group and its place in the queue stay. A consumer the session does not hold: UNKNOWN_CONSUMER.
     */
    void unsubscribe(final long sessionId, final long consumerId)
    {
        final PatternSubscription subscription = patterns.stream()
            .filter((p) -> p.id() == consumerId && p.sessionId() == sessionId).findFirst().orElse(null);
        if (null != subscription)
        {
            if (connected(sessionId))
            {
                // Each of its consumers goes as if unsubscribed on its own, the first attached first.
                patterns.remove(subscription);
                final Session session = sessions.get(sessionId);
                for (final Consumer consumer : new ArrayList<>(session.consumers()))
                {
                    if (consumer.subscription == subscription)
                    {
                        session.consumers().remove(consumer);
                        removeConsumer(consumer, true);
                        deliver(consumer.group());
                    }
                }
            }
            return;
        }
        final Consumer consumer = consumerOf(sessionId, consumerId);
        if (null == consumer)
        {
            return;
        }
        sessions.get(sessionId).consumers().remove(consumer);
        removeConsumer(consumer, true);
        deliver(consumer.group());
    }

    void grant(final long sessionId, final long consumerId, final int credits)
    {
        final Consumer consumer = consumerOf(sessionId, consumerId);
        if (null == consumer)
        {
            return;
        }
        if (credits < 1 || credits > Integer.MAX_VALUE - credit(consumer))
        {
            error(sessionId, 0, "INVALID_ARGUMENT");
            return;
        }
        consumer.granted += credits;
        deliver(consumer.group());
    }

    /** A pull consumer's credit becomes exactly {@code credits}: what it may still be sent from now on. */
    void setCredit(final long sessionId, final long consumerId, final int credits)
    {
        final Consumer consumer = consumerOf(sessionId, consumerId);
        if (null == consumer)
        {
            return;
        }
        if (credits < 0 || consumer.prefetch > 0)
        {
            error(sessionId, 0, "INVALID_ARGUMENT");
            return;
        }
        consumer.granted = consumer.delivered + credits;
        deliver(consumer.group());
    }

    void declareGroup(final long sessionId, final long correlationId, final String queueName, final String groupName,
        final DispatchStrategy strategy, final String deadLetterQueue, final StartPoint start, final long startValue,
        final String filterExpression)
    {
        if (!connected(sessionId))
        {
            return;
        }
        if (DispatchStrategy.NULL_VAL == strategy || !validPlace(start, startValue))
        {
            error(sessionId, correlationId, "INVALID_ARGUMENT");
            return;
        }
        final ReferenceFilter filter = filterExpression.isEmpty() ? null : ReferenceFilter.parse(filterExpression);
        if (!filterExpression.isEmpty() && null == filter)
        {
            error(sessionId, correlationId, "INVALID_FILTER");
            return;
        }
        // A refused declaration makes nothing: the queue is made last, once everything else was accepted.
        if (!queues.containsKey(queueName) && !mayMakeQueue(sessionId, correlationId, queueName))
        {
            return;
        }
        if (!VALID_NAME.matcher(groupName).matches() ||
            (!deadLetterQueue.isEmpty() && !VALID_NAME.matcher(deadLetterQueue).matches()))
        {
            error(sessionId, correlationId, "INVALID_NAME");
            return;
        }
        if (deadLetterQueue.equals(queueName)) // a valid name, but its letters would come straight back to it
        {
            error(sessionId, correlationId, "INVALID_ARGUMENT");
            return;
        }
        final Group existing = !queues.containsKey(queueName) ? null : queues.get(queueName).groups.stream()
            .filter((g) -> g.name.equals(groupName)).findFirst().orElse(null);
        if (null != existing)
        {
            final boolean strategyDiffers = DispatchStrategy.DEFAULT != strategy && strategy != existing.strategy;
            final boolean dlqDiffers = !deadLetterQueue.isEmpty() && !deadLetterQueue.equals(dlqOf(existing));
            final boolean filterDiffers = null != filter &&
                (null == existing.filter || !filter.canonical().equals(existing.filter.canonical()));
            if (strategyDiffers || dlqDiffers || filterDiffers)
            {
                error(sessionId, correlationId, "SETTINGS_CONFLICT");
                return;
            }
            outputs.add("done session=" + sessionId + " corr=" + correlationId + " count=0");
            return;
        }
        // Dead letters to <queue>.dlq are assumed of every queue anyway: only another queue can make a new way back.
        if (refusesDeadLetterCycles && !deadLetterQueue.isEmpty() && !deadLetterQueue.equals(queueName + ".dlq") &&
            deadLettersCanReach(deadLetterQueue, queueName))
        {
            error(sessionId, correlationId, "INVALID_ARGUMENT");
            return;
        }
        final Queue queue = queueFor(sessionId, correlationId, queueName);
        final Group group = newGroup(queue, groupName, floorOf(queue, start, startValue), filter);
        group.strategy = strategy;
        group.deadLetterQueue = deadLetterQueue.isEmpty() ? null : deadLetterQueue;
        outputs.add("done session=" + sessionId + " corr=" + correlationId + " count=1");
    }

    private static String dlqOf(final Group group)
    {
        return null != group.deadLetterQueue ? group.deadLetterQueue : group.queue.name + ".dlq";
    }

    /**
     * Whether a message failing in queue {@code from} could, dead-lettered again and again, arrive in queue {@code to}.
     * A queue's letters go to its groups' dead-letter queues, and (whether or not it has groups, or exists: a group
     * made by a subscribe, or a limit on a queue without groups, would send them there) to {@code <queue>.dlq}. The
     * names that matter are finitely many: the two asked about, the queues with groups and where those send letters;
     * between two of them, any other name passed on the way only adds {@code .dlq} to the one before.
     */
    private boolean deadLettersCanReach(final String from, final String to)
    {
        final Set<String> names = new TreeSet<>(List.of(from, to));
        for (final Queue queue : queues.values())
        {
            for (final Group group : queue.groups)
            {
                names.add(queue.name);
                names.add(dlqOf(group));
            }
        }
        final Set<String> reached = new TreeSet<>(List.of(from));
        boolean more = true;
        while (more)
        {
            more = false;
            for (final String name : List.copyOf(reached))
            {
                for (final String next : names)
                {
                    if (!reached.contains(next) && lettersGoStraightOrByDefaults(name, next))
                    {
                        reached.add(next);
                        more = true;
                    }
                }
            }
        }
        return reached.contains(to);
    }

    private boolean lettersGoStraightOrByDefaults(final String name, final String next)
    {
        if (next.startsWith(name) && next.substring(name.length()).matches("(\\.dlq)+"))
        {
            return true;
        }
        final Queue queue = queues.get(name);
        return null != queue && queue.groups.stream().anyMatch((group) -> dlqOf(group).equals(next));
    }

    /** A new group made by a subscribe starts at the oldest message not consumed yet, with no filter. */
    private Group newGroup(final Queue queue, final String groupName)
    {
        return newGroup(queue, groupName, floorOf(queue, StartPoint.OLDEST_UNCONSUMED, 0), null);
    }

    /**
     * A new group needs every message the queue holds from {@code floor} on, kept ones included (no longer kept), but
     * letters redriven for another group and those its filter refuses: it counts those as filtered, and one no group
     * needs now (the queue held it for a first group) is consumed, as if acked: kept if the queue retains.
     */
    private Group newGroup(final Queue queue, final String groupName, final long floor, final ReferenceFilter filter)
    {
        final Group group = new Group(nextGroupId++, groupName, queue);
        group.withoutConsumerSinceNs = nowNs;
        group.floor = floor;
        group.filter = filter;
        final List<Long> refusedByAll = new ArrayList<>();
        for (final Message message : queue.messages.values())
        {
            if (null != message.onlyFor() || message.sequence() < floor)
            {
                continue; // a letter redriven for another group, or before where the group starts: never its
            }
            if (refuses(group, message.metadata()))
            {
                group.filtered++; // in its range but refused: settled for it at once, kept ones counted too
                if (message.neededByGroups().isEmpty() && !queue.kept.containsKey(message.sequence()))
                {
                    refusedByAll.add(message.sequence()); // held for a first group, which does not want it
                }
            }
            else
            {
                needAgain(queue, group, message);
            }
        }
        queue.groups.add(group);
        refusedByAll.forEach((sequence) -> consumed(queue, sequence));
        return group;
    }

    private static void needAgain(final Queue queue, final Group group, final Message message)
    {
        queue.kept.remove(message.sequence());
        message.neededByGroups().add(group.id);
        if (!isHeld(queue, message.sequence()))
        {
            group.neverDelivered.add(message.sequence());
        }
    }

    private static boolean validPlace(final StartPoint to, final long value)
    {
        return StartPoint.NULL_VAL != to && !(StartPoint.SEQUENCE == to && value < 1) &&
            !(StartPoint.TIME == to && value < 0);
    }

    /**
     * The lowest sequence a group at this place may have: the oldest message held that no group has consumed (a new
     * group's default), the oldest held, past the newest, the sequence named, or the first message that entered the
     * queue at or after the time (ms); with no such message, the next sequence.
     */
    private static long floorOf(final Queue queue, final StartPoint to, final long value)
    {
        final long next = queue.nextSequence;
        return switch (to)
        {
            case SEQUENCE -> Math.min(value, next);
            case NEWEST -> next;
            case OLDEST -> queue.messages.isEmpty() ? next : queue.messages.firstKey();
            case TIME -> queue.messages.values().stream()
                .filter((m) -> java.math.BigInteger.valueOf(m.enqueuedNs())
                    .compareTo(java.math.BigInteger.valueOf(value).multiply(java.math.BigInteger.valueOf(NS_PER_MS))) >= 0)
                .mapToLong(Message::sequence).findFirst().orElse(next);
            default -> queue.messages.keySet().stream().filter((sequence) -> !queue.kept.containsKey(sequence))
                .findFirst().orElse(next);
        };
    }

    /**
     * Moves a group: everything it had in flight or waiting ends (acks of it are stale), and it needs exactly the
     * messages held for it from the place on, delivered anew from attempt 1. Messages it needed below the place are
     * settled for it: one no group needs any more is consumed (kept, if the queue retains).
     */
    void seek(final long sessionId, final long correlationId, final String queueName, final String groupName,
        final StartPoint to, final long value)
    {
        if (!connected(sessionId))
        {
            return;
        }
        final Queue queue = queues.get(queueName);
        final Group group = null == queue ? null :
            queue.groups.stream().filter((g) -> g.name.equals(groupName)).findFirst().orElse(null);
        if (null == group)
        {
            error(sessionId, correlationId, null == queue ? "UNKNOWN_QUEUE" : "UNKNOWN_GROUP");
            return;
        }
        if (!validPlace(to, value))
        {
            error(sessionId, correlationId, "INVALID_ARGUMENT");
            return;
        }
        final long floor = floorOf(queue, to, value);
        final List<Message> neededBefore = queue.messages.values().stream()
            .filter((m) -> m.neededByGroups().contains(group.id)).toList();
        group.neverDelivered.clear();
        group.redeliveries.clear();
        group.inFlight.clear();
        group.attempts.clear();
        group.deadlines.clear();
        group.readyAt.clear();
        group.floor = floor;
        long needed = 0;
        for (final Message message : queue.messages.values())
        {
            final boolean forGroup = null == message.onlyFor() ? !refuses(group, message.metadata()) :
                group == message.onlyFor();
            if (message.sequence() >= floor && forGroup) // never one its filter refuses; filtered counts nothing
            {
                needAgain(queue, group, message);
                needed++;
            }
        }
        for (final Message message : neededBefore)
        {
            if (message.sequence() < floor && queue.messages.containsKey(message.sequence()))
            {
                message.neededByGroups().remove(group.id);
                if (message.neededByGroups().isEmpty())
                {
                    consumed(queue, message.sequence());
                }
            }
        }
        outputs.add("done session=" + sessionId + " corr=" + correlationId + " count=" + needed);
        deliver(group);
    }

    /**
     * What a queue's settings are now, field by field: its declaration, else the matching rules in the order they
     * came, else the defaults.
     */
    private Settings settingsOf(final Queue queue)
    {
        Settings settings = queue.declared;
        for (final Rule rule : rules)
        {
            if (rule.matches(queue.name))
            {
                settings = settings.or(rule.settings());
            }
        }
        return settings.or(defaults);
    }

    /**
     * Connected, and on the transport that opened it. Otherwise nobody hears of the command: not the session it names
     * (it did not send it), not the sender (the named session's correlation id means nothing to it).
     */
    private boolean connected(final long sessionId)
    {
        final Session session = sessions.get(sessionId);
        if (null == session || session.transport() != transport)
        {
            foreignCommands++;
            return false;
        }
        return true;
    }

    void tick()
    {
    }

    void publish(
        final long sessionId,
        final long correlationId,
        final String queueName,
        final byte[] payload,
        final Command.Metadata metadata,
        final Command.Timing timing)
    {
        if (!connected(sessionId))
        {
            return;
        }
        if (0 != timing.delayMs() && 0 != timing.deliverAtMs())
        {
            error(sessionId, correlationId, "INVALID_ARGUMENT"); // one or the other
            return;
        }
        final Long original = appliedAlready(queueName, metadata);
        if (null != original)
        {
            outputs.add("receipt session=" + sessionId + " corr=" + correlationId + " seq=" + original);
            return;
        }
        final Queue queue = queueFor(sessionId, correlationId, queueName);
        if (null == queue)
        {
            return;
        }
        if (0 != metadata.requestId() && !metadata.replyTo().isEmpty() &&
            !VALID_NAME.matcher(metadata.replyTo()).matches())
        {
            error(sessionId, correlationId, "INVALID_NAME");
            return;
        }
        if (!makeRoom(queue, payload.length))
        {
            error(sessionId, correlationId, "QUEUE_FULL");
            return;
        }
        final long sequence = append(queue, nowNs, payload, null, null, metadata,
            0 != metadata.requestId() && metadata.replyTo().isEmpty() ? sessionId : 0);
        final long ownOrQueueDelayMs =
            0 == timing.delayMs() && 0 == timing.deliverAtMs() ? queue.defaultDelayMs : timing.delayMs();
        final long availableAtNs = 0 != timing.deliverAtMs() ? timing.deliverAtMs() * NS_PER_MS :
            nowNs + ownOrQueueDelayMs * NS_PER_MS;
        if (availableAtNs > nowNs)
        {
            hold(queue, sequence, availableAtNs);
        }
        if (0 != timing.ttlMs() && !queue.kept.containsKey(sequence)) // consumed already: kept without a time to live
        {
            queue.expiresAt.put(sequence, nowNs + timing.ttlMs() * NS_PER_MS);
        }
        outputs.add("receipt session=" + sessionId + " corr=" + correlationId + " seq=" + sequence);
        remember(queueName, metadata, sequence);
        for (final Group group : queue.groups)
        {
            deliver(group);
        }
    }

    /**
     * The queue sequence an earlier publish got if this one repeats it within the run's windows: the same producer
     * and producer sequence (among the producer's latest {@value #SEQUENCES_PER_PRODUCER}, the producer used within
     * its window), or else the same message id to the same queue (published within its window); null if neither.
     * Asking uses the producer, if remembered: it becomes the most recently used, used now.
     */
    private Long appliedAlready(final String queueName, final Command.Metadata metadata)
    {
        if (0 != metadata.producerId())
        {
            producers.values().removeIf((producer) -> !remembersProducers() ||
                nowNs - producer.lastUsedNs >= dedup.windowMs() * NS_PER_MS);
            final Producer producer = producers.remove(metadata.producerId());
            if (null != producer)
            {
                producer.lastUsedNs = Math.max(producer.lastUsedNs, nowNs);
                producers.put(metadata.producerId(), producer); // now the most recently used
                final Long original = producer.applied.get(metadata.producerSequence());
                if (null != original)
                {
                    return original;
                }
            }
        }
        if (!metadata.messageId().isEmpty())
        {
            messageIds.removeIf((id) -> !remembersIds() || nowNs - id.publishedNs() >= dedup.idWindowMs() * NS_PER_MS);
            for (final RememberedId id : messageIds)
            {
                if (id.queue().equals(queueName) && id.messageId().equals(metadata.messageId()))
                {
                    return id.queueSequence();
                }
            }
        }
        return null;
    }

    /** A publish was applied: its producer and sequence, and its id, are remembered (as far as the run does). */
    private void remember(final String queueName, final Command.Metadata metadata, final long sequence)
    {
        if (0 != metadata.producerId() && remembersProducers())
        {
            Producer producer = producers.get(metadata.producerId());
            if (null == producer)
            {
                while (producers.size() >= dedup.maxProducers())
                {
                    producers.remove(producers.keySet().iterator().next()); // the least recently used
                    evictedProducers++;
                }
                producer = new Producer();
                producer.lastUsedNs = nowNs;
                producers.put(metadata.producerId(), producer);
            }
            producer.applied.put(metadata.producerSequence(), sequence);
            if (producer.applied.size() > SEQUENCES_PER_PRODUCER)
            {
                producer.applied.remove(producer.applied.keySet().iterator().next());
            }
        }
        if (!metadata.messageId().isEmpty())
        {
            messageIds.removeIf((id) -> !remembersIds() || nowNs - id.publishedNs() >= dedup.idWindowMs() * NS_PER_MS);
        }
        if (!metadata.messageId().isEmpty() && remembersIds())
        {
            while (messageIds.size() >= dedup.maxIds())
            {
                messageIds.remove(0); // the oldest
                evictedIds++;
            }
            messageIds.add(new RememberedId(queueName, metadata.messageId(), sequence, nowNs));
        }
    }

    private boolean remembersProducers()
    {
        return dedup.windowMs() > 0 && dedup.maxProducers() > 0;
    }

    private boolean remembersIds()
    {
        return dedup.idWindowMs() > 0 && dedup.maxIds() > 0;
    }

    long evictedProducers()
    {
        return evictedProducers;
    }

    long evictedIds()
    {
        return evictedIds;
    }

    void subscribe(
        final long sessionId,
        final long correlationId,
        final String queueName,
        final String groupName,
        final int prefetch,
        final long visibilityTimeoutMs,
        final boolean createQueue,
        final boolean makesQueueFirst)
    {
        if (!connected(sessionId))
        {
            return;
        }
        final Session session = sessions.get(sessionId);
        // A pattern subscription counts once, however many queues it has consumers on.
        final long subscriptions = session.consumers().stream().filter((c) -> null == c.subscription).count() +
            patterns.stream().filter((p) -> p.sessionId() == sessionId).count();
        if (maxConsumersPerSession > 0 && subscriptions >= maxConsumersPerSession)
        {
            error(sessionId, correlationId, "TOO_MANY_CONSUMERS"); // before anything, the queue included, is made
            return;
        }
        // Subscribes come at the current schema version (patterns: 10 on) or as version 6 sent them (a name, or invalid).
        if (!makesQueueFirst && ReferencePattern.isPattern(queueName))
        {
            subscribeToPattern(sessionId, correlationId, queueName, groupName, prefetch, visibilityTimeoutMs);
            return;
        }
        if (!queues.containsKey(queueName))
        {
            if (!createQueue)
            {
                error(sessionId, correlationId, "UNKNOWN_QUEUE"); // the subscriber did not ask for a new queue
                return;
            }
            if (!mayMakeQueue(sessionId, correlationId, queueName))
            {
                return;
            }
            if (makesQueueFirst)
            {
                queues.put(queueName, new Queue(queueName)); // an old client's subscribe: made even if refused next
            }
        }
        if (!VALID_NAME.matcher(groupName).matches())
        {
            error(sessionId, correlationId, "INVALID_NAME");
            return;
        }
        if (prefetch < 0 || visibilityTimeoutMs < 0 || visibilityTimeoutMs > MAX_VISIBILITY_TIMEOUT_MS)
        {
            error(sessionId, correlationId, "INVALID_ARGUMENT");
            return;
        }
        final Queue queue = queueFor(sessionId, correlationId, queueName); // only now: a refused subscribe makes none

        Group group = queue.groups.stream().filter((g) -> g.name.equals(groupName)).findFirst().orElse(null);
        if (null == group)
        {
            group = newGroup(queue, groupName);
        }
        final long timeoutNs = visibilityTimeoutMs * NS_PER_MS;
        final Consumer consumer = new Consumer(nextConsumerId++, sessionId, group, prefetch, timeoutNs);
        session.consumers().add(consumer);
        group.consumers.add(consumer);
        outputs.add("subscribed session=" + sessionId + " corr=" + correlationId + " consumer=" + consumer.id());
        deliver(group);
    }

    /** A pattern makes no queue; it attaches a consumer to each that matches, in the order they were made. */
    private void subscribeToPattern(final long sessionId, final long correlationId, final String pattern,
        final String groupName, final int prefetch, final long visibilityTimeoutMs)
    {
        if (!ReferencePattern.isValid(pattern) || !VALID_NAME.matcher(groupName).matches())
        {
            error(sessionId, correlationId, "INVALID_NAME");
            return;
        }
        if (prefetch < 0 || visibilityTimeoutMs < 0 || visibilityTimeoutMs > MAX_VISIBILITY_TIMEOUT_MS)
        {
            error(sessionId, correlationId, "INVALID_ARGUMENT");
            return;
        }
        final PatternSubscription subscription = new PatternSubscription(nextConsumerId++, sessionId, correlationId,
            pattern, groupName, prefetch, visibilityTimeoutMs * NS_PER_MS);
        patterns.add(subscription);
        outputs.add("subscribed session=" + sessionId + " corr=" + correlationId + " consumer=" + subscription.id());
        for (final Queue queue : new ArrayList<>(queues.values()))
        {
            if (ReferencePattern.matches(pattern, queue.name))
            {
                attach(subscription, queue);
            }
        }
    }

    /**
     * A consumer answers a request delivery: the reply goes to the requester's session (dropped and counted if it is
     * gone) or onto the request's reply queue (made if need be, like a dead-letter queue; a full one that refuses
     * more refuses the reply, and the request stays in flight), then the delivery is settled, if still current.
     */
    void reply(
        final long sessionId, final long consumerId, final long sequence, final int attempt, final byte[] payload)
    {
        final Consumer consumer = currentDeliveryOwner(sessionId, consumerId, sequence, attempt);
        if (null == consumer)
        {
            return;
        }
        final Group group = consumer.group();
        final Message request = group.queue.messages.get(sequence);
        if (!request.isRequest())
        {
            error(sessionId, 0, "INVALID_ARGUMENT");
            return;
        }
        final long requestId = request.metadata().requestId();
        final String replyTo = request.metadata().replyTo();
        if (replyTo.isEmpty())
        {
            if (sessions.containsKey(request.replySession()))
            {
                outputs.add("replied session=" + request.replySession() + " request=" + requestId + " payload=" +
                    new String(payload, StandardCharsets.UTF_8));
            }
            else
            {
                repliesDropped++;
            }
        }
        else
        {
            final Queue replies = queues.computeIfAbsent(replyTo, Queue::new);
            if (!makeRoom(replies, payload.length))
            {
                error(sessionId, 0, "QUEUE_FULL");
                return;
            }
            append(replies, nowNs, payload, null, null, Command.Metadata.replyTo(requestId), 0);
            for (final Group replyGroup : replies.groups)
            {
                deliver(replyGroup);
            }
        }
        if (Long.valueOf(consumerId).equals(group.inFlight.get(sequence)) &&
            Integer.valueOf(attempt).equals(group.attempts.get(sequence)))
        {
            settle(group, sequence);
            deliver(group);
        }
    }

    long repliesDropped()
    {
        return repliesDropped;
    }

    long expiredGroups()
    {
        return expiredGroups;
    }

    long expiredQueues()
    {
        return expiredQueues;
    }

    void ack(final long sessionId, final long consumerId, final long sequence, final int attempt)
    {
        final Consumer consumer = currentDeliveryOwner(sessionId, consumerId, sequence, attempt);
        if (null != consumer)
        {
            settle(consumer.group(), sequence);
            deliver(consumer.group());
        }
    }

    /** The same as the batch's acks one after another. */
    void ackBatch(final long sessionId, final long consumerId, final List<Command.AckBatch.Entry> entries)
    {
        for (final Command.AckBatch.Entry entry : entries)
        {
            ack(sessionId, consumerId, entry.sequence(), entry.attempt());
        }
    }

    void nack(
        final long sessionId,
        final long consumerId,
        final long sequence,
        final int attempt,
        final NackAction action,
        final long delayMs)
    {
        final Consumer consumer = currentDeliveryOwner(sessionId, consumerId, sequence, attempt);
        if (null == consumer)
        {
            return;
        }
        final Group group = consumer.group();
        switch (action)
        {
            case REQUEUE -> giveBack(group, sequence, false,
                settingsOf(group.queue).delayNsAfter(group.attempts.get(sequence)));
            case REQUEUE_DELAYED ->
            {
                if (delayMs < 0 || delayMs > MAX_VISIBILITY_TIMEOUT_MS)
                {
                    error(sessionId, 0, "INVALID_ARGUMENT");
                    return;
                }
                giveBack(group, sequence, false, delayMs * NS_PER_MS);
            }
            case REJECT ->
            {
                group.inFlight.remove(sequence);
                group.deadlines.remove(sequence);
                giveUp(group, sequence, "REJECTED");
            }
            default ->
            {
                error(sessionId, 0, "INVALID_ARGUMENT");
                return;
            }
        }
        deliver(group);
    }

    void queueAdmin(
        final long sessionId,
        final long correlationId,
        final AdminAction action,
        final String queueName,
        final String groupFilter,
        final long count,
        final boolean force)
    {
        final Queue queue = queues.get(queueName); // admin never creates a queue
        if (!connected(sessionId))
        {
            return;
        }
        final String refusal =
            null == queue ? "UNKNOWN_QUEUE" : count < 0 || AdminAction.NULL_VAL == action ? "INVALID_ARGUMENT" : null;
        if (null != refusal)
        {
            error(sessionId, correlationId, refusal);
            return;
        }
        if (AdminAction.DELETE_QUEUE == action || AdminAction.DELETE_GROUP == action)
        {
            delete(sessionId, correlationId, queue, AdminAction.DELETE_GROUP == action ? groupFilter : null, force);
            return;
        }
        final long limit = 0 == count ? Long.MAX_VALUE : count;
        long done = 0;
        for (final Message message : new ArrayList<>(queue.messages.values())) // oldest first
        {
            final boolean fromGroup = groupFilter.isEmpty() ||
                (null != message.letter() && groupFilter.equals(message.letter().sourceGroup()));
            if (AdminAction.BROWSE == action && done < limit && fromGroup)
            {
                final Letter letter = message.letter();
                outputs.add("browsed session=" + sessionId + " corr=" + correlationId + " seq=" + message.sequence() +
                    letterText(letter) + metadataText(message.metadata()) +
                    " payload=" + new String(message.payload(), StandardCharsets.UTF_8));
                done++;
            }
            else if (AdminAction.REDRIVE == action && done < limit && fromGroup && null != message.letter() &&
                queue.messages.containsKey(message.sequence()) && // not pushed out by this redrive
                queue.groups.stream().noneMatch((g) -> g.inFlight.containsKey(message.sequence())))
            {
                // Back to its queue as a new message (first attempt again), no longer a dead letter, for the group
                // that gave up on it and no other: the others settled it, or hold their own letter of it. A letter
                // from a queue that had no group names none and is for every group, like a publish; so is every
                // letter in a run from before schema version 5. It stays here if its group is gone (nobody else
                // may have it) or the queue is full and refuses more.
                final Letter letter = message.letter();
                final boolean forOneGroup = redrivesToOwnGroup && !letter.sourceGroup().isEmpty();
                final Queue source = forOneGroup ? queues.get(letter.sourceQueue()) :
                    queues.computeIfAbsent(letter.sourceQueue(), Queue::new);
                final Group owner = !forOneGroup || null == source ? null : source.groups.stream()
                    .filter((g) -> g.name.equals(letter.sourceGroup())).findFirst().orElse(null);
                if ((forOneGroup && null == owner) || !makeRoom(source, message.payload().length) ||
                    !queue.messages.containsKey(message.sequence()) ||
                    queue.groups.stream().anyMatch((g) -> g.inFlight.containsKey(message.sequence())))
                {
                    continue; // refused, or making room put letters here that pushed this one out or delivered it
                }
                append(source, message.publishNs(), message.payload(), null, owner, message.metadata(),
                    message.replySession());
                drop(queue, message.sequence());
                (null == owner ? source.groups : List.of(owner)).forEach(this::deliver);
                done++;
            }
            else if (AdminAction.PURGE == action)
            {
                drop(queue, message.sequence()); // in flight or not: its acks become stale
                done++;
            }
        }
        if (AdminAction.PURGE == action)
        {
            queue.groups.forEach(this::deliver);
        }
        if (AdminAction.STATS == action)
        {
            outputs.add("stats session=" + sessionId + " corr=" + correlationId + " messages=" +
                queue.messages.size() + " bytes=" + queue.bytes() + " inFlight=" +
                queue.groups.stream().mapToLong((g) -> g.inFlight.size()).sum() + " groups=" + queue.groups.size() +
                " consumers=" + queue.groups.stream().mapToInt((g) -> g.consumers.size()).sum() + " expired=" +
                queue.expired + " overflowed=" + queue.overflowed + " dropped=" + queue.dropped + " refused=" +
                queue.refused);
            done = 1;
        }
        outputs.add("done session=" + sessionId + " corr=" + correlationId + " count=" + done);
    }

    /**
     * Deletes a queue (group null) or one of its groups. Refused while a consumer is attached to what would go,
     * unless forced: then those consumers are simply gone from their sessions, their deliveries with them. A deleted
     * queue takes all its messages with it (its DLQ is another queue and stays); a deleted group no longer needs any
     * message, and a message no group needs any more leaves the queue. The answer counts the messages that left. The
     * message ids remembered for a deleted queue are forgotten.
     */
    private void delete(
        final long sessionId, final long correlationId, final Queue queue, final String groupName, final boolean force)
    {
        final List<Group> going = null == groupName ? List.copyOf(queue.groups) :
            queue.groups.stream().filter((g) -> g.name.equals(groupName)).toList();
        if (null != groupName && going.isEmpty())
        {
            error(sessionId, correlationId, "UNKNOWN_GROUP");
            return;
        }
        if (!force && going.stream().anyMatch((g) -> !g.consumers.isEmpty()))
        {
            error(sessionId, correlationId, "HAS_CONSUMERS");
            return;
        }
        final long left = remove(queue, groupName);
        outputs.add("done session=" + sessionId + " corr=" + correlationId + " count=" + left);
    }

    /**
     * Deletes the queue (a null {@code groupName}) or one of its groups, whatever is attached.
     *
     * @return the messages that left.
     */
    private long remove(final Queue queue, final String groupName)
    {
        final List<Group> going = null == groupName ? List.copyOf(queue.groups) :
            queue.groups.stream().filter((g) -> g.name.equals(groupName)).toList();
        for (final Group group : going)
        {
            for (final Session session : sessions.values())
            {
                session.consumers().removeIf((c) -> c.group() == group);
            }
            queue.groups.remove(group);
            groupsToDeliver.remove(group);
        }
        long left = 0;
        if (null == groupName)
        {
            left = queue.messages.size();
            queues.remove(queue.name);
            messageIds.removeIf((id) -> id.queue().equals(queue.name)); // a queue made again is a new one
        }
        else
        {
            final long groupId = going.get(0).id;
            for (final Message message : new ArrayList<>(queue.messages.values()))
            {
                if (message.neededByGroups().remove(groupId) && message.neededByGroups().isEmpty())
                {
                    queue.messages.remove(message.sequence());
                    left++;
                }
            }
        }
        return left;
    }

    /** The queue forgets the message, and so does every group of it, whatever each was doing with it. */
    private void drop(final Queue queue, final long sequence)
    {
        for (final Group group : queue.groups)
        {
            group.neverDelivered.remove(sequence);
            group.redeliveries.remove(sequence);
            group.inFlight.remove(sequence);
            group.deadlines.remove(sequence);
            group.readyAt.remove(sequence);
            group.attempts.remove(sequence);
        }
        queue.messages.remove(sequence);
        queue.kept.remove(sequence);
    }

    /** The consumer the named delivery is currently in flight to, or null after reporting an error. */
    private Consumer currentDeliveryOwner(
        final long sessionId, final long consumerId, final long sequence, final int attempt)
    {
        final Consumer consumer = consumerOf(sessionId, consumerId);
        if (null == consumer)
        {
            return null;
        }
        final Group group = consumer.group();
        if (!Long.valueOf(consumerId).equals(group.inFlight.get(sequence)) ||
            group.attempts.get(sequence) != attempt)
        {
            error(sessionId, 0, "STALE_DELIVERY");
            return null;
        }
        return consumer;
    }

    /** The session's consumer, or null after reporting an error. */
    private Consumer consumerOf(final long sessionId, final long consumerId)
    {
        if (!connected(sessionId))
        {
            return null;
        }
        final Consumer consumer = findConsumer(consumerId);
        if (null == consumer || consumer.sessionId() != sessionId)
        {
            error(sessionId, 0, "UNKNOWN_CONSUMER");
            return null;
        }
        return consumer;
    }

    /**
     * Closes sessions in id order. Their consumers go; with releaseInFlight their deliveries come back at once (a
     * client gone), else they stay in flight, owned by no one, until their deadlines (a client leaving on purpose).
     */
    private void closeSessions(final Predicate<Session> which, final boolean releaseInFlight)
    {
        for (final Session session : new ArrayList<>(sessions.values())) // in id order
        {
            if (which.test(session))
            {
                sessions.remove(session.id());
                patterns.removeIf((p) -> p.sessionId() == session.id());
                for (final Consumer consumer : session.consumers())
                {
                    removeConsumer(consumer, releaseInFlight);
                }
                outputs.add("closed session=" + session.id());
                for (final Consumer consumer : session.consumers())
                {
                    deliver(consumer.group());
                }
            }
        }
    }

    private void removeConsumer(final Consumer consumer, final boolean releaseInFlight)
    {
        final Group group = consumer.group();
        group.consumers.remove(consumer);
        group.roundRobin = 0;
        if (releaseInFlight)
        {
            for (final long sequence : inFlightSequencesOf(consumer)) // oldest first
            {
                // One given back before it may have been dead-lettered, and the room made for that copy may have
                // pushed this one out of its queue: then it is gone, with nothing to give back.
                if (group.queue.messages.containsKey(sequence))
                {
                    giveBack(group, sequence, false, 0); // the client is gone, not the message's fault: no backoff
                }
            }
        }
    }

    /**
     * A delivery comes back unsettled (timed out, nacked, consumer gone): try again, at once or after a delay, or
     * dead-letter it after the queue's max attempts.
     */
    private void giveBack(final Group group, final long sequence, final boolean timedOut, final long delayNs)
    {
        group.inFlight.remove(sequence);
        group.deadlines.remove(sequence);
        final boolean limited = timedOut || !mirrored.contains(Deviation.GIVE_BACK_IGNORES_MAX_ATTEMPTS);
        if (limited && group.attempts.get(sequence) >= settingsOf(group.queue).maxAttempts())
        {
            giveUp(group, sequence, "MAX_ATTEMPTS");
        }
        else if (delayNs > 0)
        {
            group.readyAt.put(sequence, nowNs + delayNs);
        }
        else
        {
            group.redeliveries.addLast(sequence);
        }
    }

    private void settle(final Group group, final long sequence)
    {
        group.inFlight.remove(sequence);
        group.deadlines.remove(sequence);
        forget(group, sequence, true);
    }

    /**
     * The group is done with the message; once no group needs it, the queue drops it, or keeps it if the last group
     * acked it ({@code acked}) and the queue retains.
     */
    private void forget(final Group group, final long sequence, final boolean acked)
    {
        group.attempts.remove(sequence);
        final Message message = group.queue.messages.get(sequence);
        message.neededByGroups().remove(group.id);
        if (message.neededByGroups().isEmpty())
        {
            if (acked)
            {
                consumed(group.queue, sequence);
            }
            else
            {
                group.queue.messages.remove(sequence);
            }
        }
    }

    /**
     * No group needs the message any more, the last one having acked it (or sought past it): a queue that retains
     * keeps it, its time to live over; the oldest consumed go while the kept ones take more than the retained bytes.
     * A queue that does not retain lets it go.
     */
    private void consumed(final Queue queue, final long sequence)
    {
        if (!queue.retains())
        {
            queue.messages.remove(sequence);
            return;
        }
        queue.expiresAt.remove(sequence);
        queue.kept.put(sequence, nowNs);
        while (queue.retainBytes > 0 && queue.keptBytes() > queue.retainBytes)
        {
            final long oldest = queue.kept.keySet().iterator().next();
            queue.kept.remove(oldest);
            queue.messages.remove(oldest);
        }
    }

    /** After the times to live: kept messages kept for their queue's retention time leave, oldest consumed first. */
    private void releaseKeptMessages()
    {
        for (final Queue queue : queues.values())
        {
            if (queue.retainMs > 0)
            {
                queue.kept.entrySet().removeIf((e) ->
                {
                    final boolean due = e.getValue() + queue.retainMs * NS_PER_MS <= nowNs;
                    if (due)
                    {
                        queue.messages.remove(e.getKey());
                    }
                    return due;
                });
            }
        }
    }

    /**
     * The group gives up on the message: it is done with it, and a copy goes to its dead-letter queue, which that
     * queue's groups get like any published message. Done with it first: making room for the copy may push messages
     * round other queues and back into this one, and what that pushes out must not count this group as still
     * needing the message (nor find it held for this group alone).
     */
    private void giveUp(final Group group, final long sequence, final String reason)
    {
        final Message message = group.queue.messages.get(sequence);
        final Letter letter =
            new Letter(reason, group.attempts.getOrDefault(sequence, 0), group.queue.name, group.name);
        forget(group, sequence, false); // given up on, not consumed: never kept
        deadLetterCopy(dlqOf(group), message, letter);
    }

    /** A full dead-letter queue that refuses more counts the letter as refused. */
    private void deadLetterCopy(final String dlqName, final Message original, final Letter letter)
    {
        if (!VALID_NAME.matcher(dlqName).matches())
        {
            queues.get(letter.sourceQueue()).dropped++; // no queue may have that name: the letter is dropped
            return;
        }
        final Queue dlq = queues.computeIfAbsent(dlqName, Queue::new);
        if (!makeRoom(dlq, original.payload().length))
        {
            return;
        }
        append(dlq, original.publishNs(), original.payload(), letter, null, original.metadata(),
            original.replySession());
        for (final Group dlqGroup : dlq.groups)
        {
            if (timeAdvancing && !mirrored.contains(Deviation.DLQ_DELIVERS_WHILE_TIME_ADVANCES))
            {
                deliverLater(dlqGroup);
            }
            else
            {
                deliver(dlqGroup);
            }
        }
    }

    /** A new message for every group of the queue, or for {@code onlyFor} alone if not null. */
    private long append(
        final Queue queue,
        final long publishNs,
        final byte[] payload,
        final Letter letter,
        final Group onlyFor,
        final Command.Metadata metadata,
        final long replySession)
    {
        final long sequence = queue.nextSequence++;
        final Message message = new Message(
            sequence, publishNs, nowNs, payload, new TreeSet<>(), letter, onlyFor, metadata, replySession);
        for (final Group group : null == onlyFor ? queue.groups : List.of(onlyFor))
        {
            if (null == onlyFor && refuses(group, metadata))
            {
                group.filtered++; // settled for the group at once, never delivered to it
                continue;
            }
            message.neededByGroups().add(group.id);
            group.neverDelivered.add(sequence);
        }
        queue.messages.put(sequence, message);
        queue.availableOrder.put(sequence, nextAvailable++);
        if (!queue.groups.isEmpty() && message.neededByGroups().isEmpty())
        {
            consumed(queue, sequence); // every group settled it: done, as if each had acked it (kept if retained)
        }
        return sequence;
    }

    private static boolean refuses(final Group group, final Command.Metadata metadata)
    {
        return null != group.filter && !group.filter.matches(metadata.headers());
    }

    /** A delayed message is not available until {@code untilNs}: no group has it to deliver before then. */
    private static void hold(final Queue queue, final long sequence, final long untilNs)
    {
        queue.availableOrder.remove(sequence);
        for (final Group group : queue.groups)
        {
            group.neverDelivered.remove(sequence);
        }
        queue.heldUntil.put(sequence, untilNs);
    }

    private static boolean isHeld(final Queue queue, final long sequence)
    {
        return queue.heldUntil.containsKey(sequence) && queue.messages.containsKey(sequence);
    }

    /** Due messages of every queue, by (time, queue name, sequence); those that left their queue are not due. */
    private List<Map.Entry<Queue, Long>> dueMessages(final java.util.function.Function<Queue, TreeMap<Long, Long>> times)
    {
        final List<Map.Entry<Queue, Long>> due = new ArrayList<>();
        for (final Queue queue : queues.values())
        {
            times.apply(queue).forEach((sequence, atNs) ->
            {
                if (atNs <= nowNs && queue.messages.containsKey(sequence))
                {
                    due.add(Map.entry(queue, sequence));
                }
            });
        }
        due.sort(Comparator.comparingLong((Map.Entry<Queue, Long> e) -> times.apply(e.getKey()).get(e.getValue()))
            .thenComparing((e) -> e.getKey().name).thenComparingLong(Map.Entry::getValue));
        return due;
    }

    /** After the maximum ages: messages past their own time to live leave as an aged one does, counted as expired. */
    private void expireMessagesPastTtl()
    {
        for (final Map.Entry<Queue, Long> due : dueMessages((q) -> q.expiresAt))
        {
            final Queue queue = due.getKey();
            final Message message = queue.messages.get(due.getValue());
            if (null != message) // an earlier one's dead letter may have pushed it out
            {
                queue.expiresAt.remove(message.sequence());
                removeByLimit(queue, message, "EXPIRED", settingsOf(queue).limits().expired());
                queue.expired++;
            }
        }
    }

    /** Then delayed messages whose time has come become available, behind the ones available before them. */
    private void releaseHeldMessages()
    {
        for (final Map.Entry<Queue, Long> due : dueMessages((q) -> q.heldUntil))
        {
            final Queue queue = due.getKey();
            final long sequence = due.getValue();
            queue.heldUntil.remove(sequence);
            queue.availableOrder.put(sequence, nextAvailable++);
            for (final Group group : queue.groups)
            {
                if (queue.messages.get(sequence).neededByGroups().contains(group.id))
                {
                    group.neverDelivered.add(sequence);
                }
                deliverLater(group);
            }
        }
    }

    /** A dead letter's why and where from, as deliveries and browses show it; nothing for other messages. */
    private static String letterText(final Letter letter)
    {
        return null == letter ? "" : " " + letter.reason() + " after " + letter.attempts() + " from " +
            letter.sourceQueue() + "/" + letter.sourceGroup();
    }

    /** What the message carries besides its payload, each part only where it has one. */
    private static String metadataText(final Command.Metadata metadata)
    {
        return (0 == metadata.requestId() ? "" : " request=" + metadata.requestId()) +
            (0 == metadata.producerId() ? "" :
            " producer=" + metadata.producerId() + "/" + metadata.producerSequence()) +
            (metadata.messageId().isEmpty() ? "" : " id=" + metadata.messageId()) +
            (metadata.headers().isEmpty() ? "" : " headers=" + HeadersText.of(metadata.headers())) +
            (Command.Metadata.DEFAULT_PRIORITY == metadata.priority() ? "" : " priority=" + metadata.priority());
    }

    private void deliverLater(final Group group)
    {
        if (!groupsToDeliver.contains(group))
        {
            groupsToDeliver.add(group);
        }
    }

    /**
     * The highest priority first; within one, redeliveries (in the order they came back), then never-delivered
     * messages in sequence order.
     */
    private void deliver(final Group group)
    {
        while (!group.redeliveries.isEmpty() || !group.neverDelivered.isEmpty())
        {
            final Consumer consumer = nextConsumerWithCapacity(group);
            if (null == consumer)
            {
                return;
            }
            final long sequence = takeNextToDeliver(group);
            final int attempt = group.attempts.merge(sequence, 1, Integer::sum);
            group.inFlight.put(sequence, consumer.id());
            consumer.delivered++;
            final long timeoutNs = 0 != consumer.visibilityTimeoutNs ? consumer.visibilityTimeoutNs :
                settingsOf(group.queue).visibilityTimeoutMs() * NS_PER_MS;
            group.deadlines.put(sequence, nowNs + timeoutNs);
            final Message message = group.queue.messages.get(sequence);
            outputs.add("deliver session=" + consumer.sessionId() + " consumer=" + consumer.id() + " seq=" + sequence +
                " attempt=" + attempt + letterText(message.letter()) + metadataText(message.metadata()) +
                " payload=" + new String(message.payload(), StandardCharsets.UTF_8));
        }
    }

    /** Takes, of the messages ready for the group, the one of the highest priority it should get first. */
    private static long takeNextToDeliver(final Group group)
    {
        int highest = -1;
        for (final long sequence : group.redeliveries)
        {
            highest = Math.max(highest, priorityOf(group, sequence));
        }
        for (final long sequence : group.neverDelivered)
        {
            highest = Math.max(highest, priorityOf(group, sequence));
        }
        for (final long sequence : group.redeliveries)
        {
            if (priorityOf(group, sequence) == highest)
            {
                group.redeliveries.remove(sequence);
                return sequence;
            }
        }
        Long first = null;
        for (final long sequence : group.neverDelivered)
        {
            if (priorityOf(group, sequence) == highest && (null == first ||
                group.queue.availableOrder.get(sequence) < group.queue.availableOrder.get(first)))
            {
                first = sequence;
            }
        }
        if (null != first)
        {
            group.neverDelivered.remove(first);
            return first;
        }
        throw new IllegalStateException("nothing ready for group " + group.name);
    }

    private static int priorityOf(final Group group, final long sequence)
    {
        return group.queue.messages.get(sequence).metadata().priority();
    }

    /**
     * Among consumers with credit, in round-robin order from where the last search stopped: the first
     * (ROUND_ROBIN), or the first with the fewest in flight (LEAST_OUTSTANDING). The next search starts after it.
     */
    private Consumer nextConsumerWithCapacity(final Group group)
    {
        final DispatchStrategy strategy =
            DispatchStrategy.DEFAULT != group.strategy ? group.strategy : settingsOf(group.queue).strategy();
        final boolean leastOutstanding = DispatchStrategy.LEAST_OUTSTANDING == strategy;
        final int size = group.consumers.size();
        int best = -1;
        for (int i = 0; i < size; i++)
        {
            final int index = (group.roundRobin + i) % size;
            final Consumer consumer = group.consumers.get(index);
            if (credit(consumer) > 0 && (-1 == best || (leastOutstanding &&
                inFlightSequencesOf(consumer).size() < inFlightSequencesOf(group.consumers.get(best)).size())))
            {
                best = index;
                if (!leastOutstanding)
                {
                    break;
                }
            }
        }
        if (-1 == best)
        {
            return null;
        }
        group.roundRobin = (best + 1) % size;
        return group.consumers.get(best);
    }

    /** How many more deliveries the consumer may be sent now. */
    private long credit(final Consumer consumer)
    {
        return consumer.prefetch > 0 ?
            consumer.prefetch + consumer.granted - inFlightSequencesOf(consumer).size() :
            consumer.granted - consumer.delivered;
    }

    private List<Long> inFlightSequencesOf(final Consumer consumer)
    {
        final List<Long> sequences = new ArrayList<>();
        consumer.group().inFlight.forEach((sequence, consumerId) ->
        {
            if (consumerId == consumer.id())
            {
                sequences.add(sequence);
            }
        });
        return sequences;
    }

    private Consumer findConsumer(final long consumerId)
    {
        for (final Session session : sessions.values())
        {
            for (final Consumer consumer : session.consumers())
            {
                if (consumer.id() == consumerId)
                {
                    return consumer;
                }
            }
        }
        return null;
    }

    /**
     * Whether a client may make a queue of that name that does not exist yet: a valid name, and room under the run's
     * bound on queues. If not, the client is told which.
     */
    private boolean mayMakeQueue(final long sessionId, final long correlationId, final String name)
    {
        if (!VALID_NAME.matcher(name).matches())
        {
            error(sessionId, correlationId, "INVALID_NAME");
            return false;
        }
        if (maxQueues > 0 && queues.size() >= maxQueues)
        {
            error(sessionId, correlationId, "TOO_MANY_QUEUES");
            return false;
        }
        return true;
    }

    /**
     * A queue a client names, made if it does not exist: unless the name is invalid, or the run's bound on queues is
     * reached (every queue counts, dead-letter queues too; those are made by dead-lettering even past it).
     */
    private Queue queueFor(final long sessionId, final long correlationId, final String name)
    {
        if (!queues.containsKey(name) && !mayMakeQueue(sessionId, correlationId, name))
        {
            return null;
        }
        return queues.computeIfAbsent(name, Queue::new);
    }

    private void error(final long sessionId, final long correlationId, final String code)
    {
        outputs.add("error session=" + sessionId + " corr=" + correlationId + " " + code);
    }

    // ---- views compared with the real machine's public ones, and hints for the generator ----

    public List<String> queueNames()
    {
        return new ArrayList<>(queues.keySet());
    }

    public int depth(final String queueName)
    {
        final Queue queue = queues.get(queueName);
        return null == queue ? -1 : queue.messages.size();
    }

    /** (queue, group) to the deliveries in flight, for every group in creation order. */
    public Map<String, Integer> inFlightByGroup()
    {
        final Map<String, Integer> result = new LinkedHashMap<>();
        queues.values().forEach((q) -> q.groups.forEach((g) -> result.put(q.name + "/" + g.name, g.inFlight.size())));
        return result;
    }

    public int sessionCount()
    {
        return sessions.size();
    }

    /** Commands (each ack of a batch on its own) and refused frames that named a session not their sender's. */
    public long foreignCommands()
    {
        return foreignCommands;
    }

    /** Deadlines pending, plus one while some queue with a maximum age holds a message. */
    public long pendingTimers()
    {
        final boolean aging = queues.values().stream()
            .anyMatch((q) -> !q.messages.isEmpty() && Limits.NONE != settingsOf(q).limits().maxAgeMs());
        final long timedMessages = queues.values().stream().mapToLong((q) ->
            q.heldUntil.keySet().stream().filter(q.messages::containsKey).count() +
            q.expiresAt.keySet().stream().filter(q.messages::containsKey).count()).sum();
        final boolean keeping = queues.values().stream().anyMatch((q) -> q.retainMs > 0 && !q.kept.isEmpty());
        return queues.values().stream().flatMap((q) -> q.groups.stream())
            .mapToLong((g) -> g.deadlines.size() + g.readyAt.size()).sum() + (aging ? 1 : 0) + timedMessages +
            (keeping ? 1 : 0);
    }

    /** "messages bytes expired overflowed dropped refused", or null if no such queue. */
    /** (queue, group) to the messages its filter refused, for every group in creation order. */
    public Map<String, Long> filteredByGroup()
    {
        final Map<String, Long> result = new LinkedHashMap<>();
        queues.values().forEach((q) -> q.groups.forEach((g) -> result.put(q.name + "/" + g.name, g.filtered)));
        return result;
    }

    public String counters(final String queueName)
    {
        final Queue q = queues.get(queueName);
        return null == q ? null : q.messages.size() + " " + q.bytes() + " " + q.expired + " " + q.overflowed + " " +
            q.dropped + " " + q.refused;
    }

    /**
     * Whether a group of the queue has redeliveries waiting, or will have once time reaches {@code atNs} (see
     * {@link Deviation#DROP_LEAVES_STALE_REDELIVERIES}).
     */
    public boolean hasRedeliveriesWaiting(final String queueName, final long atNs)
    {
        final Queue queue = queues.get(queueName);
        return null != queue && queue.groups.stream().anyMatch((g) ->
            !g.redeliveries.isEmpty() || g.deadlines.values().stream().anyMatch((deadline) -> deadline <= atNs));
    }

    /** The queues that keep messages every group acked: a generator's hint of where a seek back would find some. */
    public List<String> queuesKeepingConsumed()
    {
        return queues.values().stream().filter((queue) -> !queue.kept.isEmpty()).map((queue) -> queue.name).toList();
    }

    public boolean mirrors(final Deviation deviation)
    {
        return mirrored.contains(deviation);
    }

    /** Earliest visibility deadline pending, or -1: lets the generator land ticks exactly on (or next to) one. */
    public long earliestDeadlineNs()
    {
        final long delivery = queues.values().stream().flatMap((q) -> q.groups.stream())
            .flatMap((g) -> java.util.stream.Stream.concat(g.deadlines.values().stream(), g.readyAt.values().stream()))
            .mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        final long age = queues.values().stream()
            .filter((q) -> !q.messages.isEmpty() && Limits.NONE != settingsOf(q).limits().maxAgeMs())
            .mapToLong((q) -> q.messages.firstEntry().getValue().enqueuedNs() + settingsOf(q).limits().maxAgeMs() *
                NS_PER_MS)
            .min().orElse(Long.MAX_VALUE);
        final long timed = queues.values().stream().flatMap((q) -> java.util.stream.Stream.concat(
                q.heldUntil.entrySet().stream(), q.expiresAt.entrySet().stream())
            .filter((e) -> q.messages.containsKey(e.getKey())))
            .mapToLong(Map.Entry::getValue).min().orElse(Long.MAX_VALUE);
        final long keptUntil = queues.values().stream().filter((q) -> q.retainMs > 0)
            .flatMap((q) -> q.kept.values().stream().map((keptAt) -> keptAt + q.retainMs * NS_PER_MS))
            .mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        final long earliest = Math.min(Math.min(Math.min(delivery, age), timed), Math.min(keptUntil, nextExpiryNs()));
        return Long.MAX_VALUE == earliest ? -1 : earliest;
    }
}
