package io.ringmq.core.model;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.BackoffKind;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.StartPoint;
import io.ringmq.codecs.LimitAction;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NackAction;
import io.ringmq.core.testing.HeadersText;

import java.nio.charset.StandardCharsets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Random command sequences over a small alphabet (3 queues plus a DLQ name, 2 groups, a few sessions and transports,
 * short timeouts) so that collisions, expiries, stale acks and dead letters happen often.
 * <p>
 * It plays the clients: it learns session ids, consumer ids and deliveries from the outputs (as a client would) and
 * mostly acks and nacks what it was given, sometimes a stale or foreign delivery, sometimes nonsense. The model is
 * consulted only for a hint: the next visibility deadline, so ticks can land exactly on it or next to it.
 * <p>
 * To add a command kind: a {@link Command} record, a model method, and one {@link Kind} line in {@link #kinds}.
 */
public final class CommandGenerator
{
    private static final long HOUR_MS = 60L * 60 * 1000;
    private static final long MS = 1_000_000L;
    private static final String[] QUEUES = {"a", "a", "a", "b", "b", "c", "a.dlq", "o.x", "o.y.z"};
    /** Wildcard subscriptions (version 10): over the queues above and their dead-letter queues; the last two invalid. */
    private static final String[] PATTERNS = {"*", ">", "o.*", "o.>", "*.dlq", "o.*.dlq", "a.*", "o.>.z", "o*"};
    private static final String[] BAD_NAMES = {"", "bad name", "x/y", "q*", "x".repeat(256)};
    /**
     * Header filters a group is declared with (version 9): mostly none; each kind of clause over the keys messages
     * carry, a conjunction, and expressions a declaration refuses (INVALID_FILTER).
     */
    private static final String[] FILTERS = {"", "", "", "", "", "k=v1", "k^=v", "trace-id?", "n>=5", "n<0",
        " k = v2 && n <= 7 ", "\u00e9t\u00e9?", "n>2.5", "k=v1&&trace-id?", "k", "=v", "n>>1", "&&", "n<x", "k?1"};
    /** Values of the header n: numbers a comparison reads, and text that is no number. */
    private static final String[] NUMBERS = {"-3", "0", "2.5", "5", "7", "12.75", "x", "1e3", "-"};
    private static final String[] GROUPS = {"g1", "g2"};

    /** A command kind: how likely it is now, and how to make one. */
    private record Kind(String name, ToIntFunction<CommandGenerator> weight, Supplier<Command> make)
    {
    }

    private record Delivery(long sessionId, long consumerId, long sequence, int attempt)
    {
    }

    private final SplittableRandom random;
    private final ReferenceQueueModel hints;
    private final List<Kind> kinds = new ArrayList<>();
    private long nowNs;
    private int lastConnectTransport;
    private long nextCorrelationId = 1;
    private int nextPayload = 1;
    private final List<Long> openSessions = new ArrayList<>();
    private final List<Long> closedSessions = new ArrayList<>();
    private final Map<Long, Integer> transportOfSession = new HashMap<>();
    private final Map<Long, Long> sessionOfConsumer = new HashMap<>();
    private final Map<Long, Long> liveConsumers = new HashMap<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private long maxConsumerId;
    private boolean first = true;

    public CommandGenerator(final SplittableRandom random, final ReferenceQueueModel hints)
    {
        this.random = random;
        this.hints = hints;
        this.nowNs = 1_000_000_000L + random.nextLong(1_000_000_000L);

        kinds.add(new Kind("connect", (g) -> g.openSessions.isEmpty() ? 40 : g.openSessions.size() < 3 ? 6 : 1,
            this::connect));
        kinds.add(new Kind("disconnect", (g) -> 2, this::disconnect));
        kinds.add(new Kind("transportClosed", (g) -> 1, this::transportClosed));
        kinds.add(new Kind("nodeStarted", (g) -> 1, this::nodeStarted));
        kinds.add(new Kind("publish", (g) -> 22, this::publish));
        kinds.add(new Kind("subscribe", (g) -> g.liveConsumers.size() < 2 ? 14 : 5, this::subscribe));
        kinds.add(new Kind("ack", (g) -> g.deliveries.isEmpty() ? 2 : 22, this::ack));
        kinds.add(new Kind("reply", (g) -> g.deliveries.isEmpty() ? 1 : 6, this::reply));
        kinds.add(new Kind("ackBatch", (g) -> g.deliveries.isEmpty() ? 1 : 12, this::ackBatch));
        kinds.add(new Kind("nack", (g) -> g.deliveries.isEmpty() ? 1 : 10, this::nack));
        kinds.add(new Kind("tick", (g) -> 14, () -> new Command.Tick()));
        kinds.add(new Kind("queueAdmin", (g) -> 3, this::queueAdmin));
        kinds.add(new Kind("extend", (g) -> g.deliveries.isEmpty() ? 1 : 4, this::extend));
        kinds.add(new Kind("grant", (g) -> g.liveConsumers.isEmpty() ? 1 : 5, this::grant));
        kinds.add(new Kind("unsubscribe", (g) -> g.liveConsumers.isEmpty() ? 1 : 3, this::unsubscribe));
        // A queue is declared before anything makes it now and then: only then can it retain (and its payloads leave
        // memory, to be read back by a seek, which comes more often once something is kept).
        kinds.add(new Kind("declareQueue", (g) -> g.hints.queueNames().isEmpty() ? 8 : 2, this::declareQueue));
        kinds.add(new Kind("queueRule", (g) -> 1, this::queueRule));
        kinds.add(new Kind("declareGroup", (g) -> 3, this::declareGroup));
        kinds.add(new Kind("seek", (g) -> g.hints.queuesKeepingConsumed().isEmpty() ? 3 : 8, this::seek));
        kinds.add(new Kind("frameRejected", (g) -> 1, () -> new Command.FrameRejected(someSession(),
            random.nextInt(3) == 0 ? 0 : nextCorrelationId++, io.ringmq.codecs.ErrorCode.MALFORMED_FRAME, 3)));
        kinds.add(new Kind("sessionLost", (g) -> 1, () -> new Command.SessionLost(someSession())));
        kinds.add(new Kind("connectRefused", (g) -> 1, this::connectRefused));
    }

    /** The next command, stamped with its time and transport. */
    public Command.Step next()
    {
        if (first)
        {
            first = false;
            if (random.nextInt(10) < 9) // the daemon journals NodeStarted before any client command
            {
                return new Command.Step(nowNs, 0, nodeStarted());
            }
        }

        int total = 0;
        final int[] weights = new int[kinds.size()];
        for (int i = 0; i < weights.length; i++)
        {
            weights[i] = kinds.get(i).weight().applyAsInt(this);
            total += weights[i];
        }
        int pick = random.nextInt(total);
        int index = 0;
        while (pick >= weights[index])
        {
            pick -= weights[index++];
        }
        nowNs += "tick".equals(kinds.get(index).name()) ? tickGapNs() : commandGapNs();
        final Command command = kinds.get(index).make().get(); // knows the time it will be applied at
        return new Command.Step(nowNs, transportFor(command), command);
    }

    /** Learns from what the (agreed) outputs told the clients. */
    public void observe(final List<String> outputs)
    {
        for (final String line : outputs)
        {
            final String[] words = line.split(" ");
            switch (words[0])
            {
                case "opened" ->
                {
                    final long sessionId = value(words[1]);
                    openSessions.add(sessionId);
                    transportOfSession.put(sessionId, lastConnectTransport);
                }
                case "closed" ->
                {
                    final long sessionId = value(words[1]);
                    openSessions.remove(sessionId);
                    closedSessions.add(sessionId);
                    liveConsumers.values().removeIf((session) -> session == sessionId);
                    // Its clients forget most of what they were given; a few late acks still arrive.
                    deliveries.removeIf((d) -> d.sessionId() == sessionId && random.nextInt(5) > 0);
                }
                case "subscribed", "attached" ->
                {
                    final long consumerId = value(words["attached".equals(words[0]) ? 4 : 3]);
                    sessionOfConsumer.put(consumerId, value(words[1]));
                    liveConsumers.put(consumerId, value(words[1]));
                    maxConsumerId = Math.max(maxConsumerId, consumerId);
                }
                case "deliver" ->
                {
                    deliveries.add(new Delivery(
                        value(words[1]), value(words[2]), value(words[3]), (int)value(words[4])));
                    if (deliveries.size() > 24)
                    {
                        deliveries.remove(0);
                    }
                }
                default ->
                {
                }
            }
        }
    }

    private static long value(final String keyValue)
    {
        return Long.parseLong(keyValue.substring(keyValue.indexOf('=') + 1));
    }

    private Command connect()
    {
        lastConnectTransport = 1 + random.nextInt(3);
        return new Command.Connect(nextCorrelationId++, "aeron:ipc", 2000 + random.nextInt(10));
    }

    private Command disconnect()
    {
        return new Command.Disconnect(someSession(), random.nextInt(10) < 7);
    }

    private Command transportClosed()
    {
        return new Command.TransportClosed(1 + random.nextInt(4)); // 4: a transport nobody used
    }

    private Command nodeStarted()
    {
        final long[] timeoutsMs = {0, 1, 5, 20, 100, 1000};
        final int[] maxAttempts = {0, 1, 2, 3, 4};
        // Now and then a run of a version 4 daemon (its rules merge too, but it redrove letters to every group and
        // accepted dead-letter cycles).
        // And a run of a version 6 daemon: it remembered nothing to recognise a publish applied already; and one of
        // version 9: it expired nothing.
        final int schemaVersion = random.nextInt(5) == 0 ? 4 : random.nextInt(6) == 0 ? 6 :
            random.nextInt(6) == 0 ? 9 : MessageHeaderEncoder.SCHEMA_VERSION;
        return new Command.NodeStarted(
            timeoutsMs[random.nextInt(timeoutsMs.length)], maxAttempts[random.nextInt(maxAttempts.length)],
            schemaVersion, bounds(), dedup(), expiry());
    }

    /** Often off; else short enough that groups and queues expire within a sequence (ticks land on the deadline). */
    private Command.Expiry expiry()
    {
        final long[] expiriesMs = {0, 0, 0, 1, 20, 100, 500};
        return new Command.Expiry(expiriesMs[random.nextInt(expiriesMs.length)],
            expiriesMs[random.nextInt(expiriesMs.length)]);
    }

    /** Windows and bounds small enough to pass within a sequence (a few producers, ids, some ms), often generous. */
    private Command.Dedup dedup()
    {
        final long[] windowsMs = {0, 5, 50, 400, 3_600_000};
        final int[] producers = {0, 1, 2, 3, 100};
        final int[] ids = {0, 1, 3, 100};
        return new Command.Dedup(windowsMs[random.nextInt(windowsMs.length)],
            producers[random.nextInt(producers.length)], windowsMs[random.nextInt(windowsMs.length)],
            ids[random.nextInt(ids.length)]);
    }

    /**
     * Often nothing; else a producer of a few with a sequence of a few (so retries come), headers from a few keys
     * with text or byte values, an id of a few (so the same id comes again).
     */
    private Command.Metadata metadata()
    {
        // Half the messages keep the default priority; the others take any, so lanes mix and redeliveries cross them.
        final int priority = random.nextBoolean() ? Command.Metadata.DEFAULT_PRIORITY : random.nextInt(10);
        if (random.nextInt(3) == 0)
        {
            return Command.Metadata.NONE.withPriority(priority);
        }
        final long producerId = random.nextInt(2) == 0 ? 0 : 1 + random.nextInt(3);
        final long producerSequence = 0 == producerId ? 0 : random.nextInt(6);
        final List<HeadersText.Entry> headers = new ArrayList<>();
        final String[] keys = {"k", "trace-id", "\u00e9t\u00e9", "n"};
        for (int i = 0, count = random.nextInt(3); i < count; i++)
        {
            final String key = keys[(i + random.nextInt(keys.length)) % keys.length];
            if (headers.stream().noneMatch((entry) -> entry.key().equals(key)))
            {
                final boolean text = random.nextBoolean();
                final String textValue = "n".equals(key) ? NUMBERS[random.nextInt(NUMBERS.length)] :
                    "v" + random.nextInt(10);
                final byte[] value = text ? textValue.getBytes(StandardCharsets.UTF_8) :
                    new byte[]{(byte)random.nextInt(256)};
                headers.add(new HeadersText.Entry(key, text, value));
            }
        }
        final String messageId = random.nextInt(2) == 0 ? "" : "id-" + random.nextInt(4);
        // Now and then a request, answered to its session or onto a queue (a bad name too).
        final long requestId = random.nextInt(3) == 0 ? 1 + random.nextInt(50) : 0;
        final String[] replyQueues = {"", "", "replies", "a", "bad name"};
        final String replyTo = 0 == requestId ? "" : replyQueues[random.nextInt(replyQueues.length)];
        return new Command.Metadata(producerId, producerSequence, headers, messageId, requestId, replyTo, priority);
    }

    /**
     * Bounds small enough to be reached within a sequence (a few sessions, queues, consumers, payload bytes of a few
     * messages), often none; a version 4 run ignores them.
     */
    private Command.Bounds bounds()
    {
        if (random.nextInt(3) == 0)
        {
            return Command.Bounds.NONE;
        }
        final int[] sessions = {0, 1, 2, 3};
        final int[] queues = {0, 2, 3, 4, 6};
        final int[] consumers = {0, 1, 2};
        final long[] bytes = {0, 0, 4, 12, 40};
        return new Command.Bounds(sessions[random.nextInt(sessions.length)], queues[random.nextInt(queues.length)],
            consumers[random.nextInt(consumers.length)], bytes[random.nextInt(bytes.length)]);
    }

    /** A Connect the ingress refused and answers (its channel, a limit passed): the machine only relays it. */
    private Command connectRefused()
    {
        final io.ringmq.codecs.ErrorCode[] codes = {io.ringmq.codecs.ErrorCode.TOO_MANY_CONNECTS,
            io.ringmq.codecs.ErrorCode.RESPONSE_TERM_TOO_LARGE, io.ringmq.codecs.ErrorCode.RESPONSE_CHANNEL_REFUSED};
        return new Command.ConnectRefused(nextCorrelationId++, "aeron:ipc", 2000 + random.nextInt(10),
            codes[random.nextInt(codes.length)]);
    }

    private Command publish()
    {
        final String payload = random.nextInt(30) == 0 ? "" : "m" + nextPayload++;
        return new Command.Publish(someSession(), nextCorrelationId++, someQueue(), payload, metadata(), timing());
    }

    /**
     * Mostly none; else a delay or a deliver-at (now and then one already past) of up to a few seconds, and a time
     * to live of as much, so that held messages are released, expire held, expire in flight and outlive others;
     * rarely both a delay and a deliver-at, which is refused.
     */
    private Command.Timing timing()
    {
        if (random.nextInt(3) != 0)
        {
            return Command.Timing.NONE;
        }
        final int kind = random.nextInt(20);
        final long delayMs = kind < 8 || kind == 19 ? 1 + random.nextInt(3_000) : 0;
        final long deliverAtMs = kind >= 8 && kind < 14 || kind == 19 ?
            Math.max(1, nowNs / MS - 500 + random.nextInt(3_500)) : 0;
        final long ttlMs = random.nextBoolean() ? 1 + random.nextInt(4_000) : 0;
        return new Command.Timing(delayMs, deliverAtMs, ttlMs);
    }

    private Command subscribe()
    {
        final String group = random.nextInt(30) == 0 ? BAD_NAMES[random.nextInt(BAD_NAMES.length)] :
            GROUPS[random.nextInt(GROUPS.length)];
        final int prefetch = random.nextInt(30) == 0 ? -1 - random.nextInt(2) : random.nextInt(4); // 0: pull
        final long[] timeoutsMs = {0, 0, 1, 5, 20, 50, 100, 1000, 1000};
        // The 12 h limit itself only now and then: a wheel with a far deadline pending walks every tick of a gap.
        final long timeoutMs = switch (random.nextInt(200))
        {
            case 0, 1 -> -1;
            case 2, 3 -> 12 * HOUR_MS + 1;
            case 4 -> 12 * HOUR_MS;
            default -> timeoutsMs[random.nextInt(timeoutsMs.length)];
        };
        // Now and then a subscriber that wants only a queue that exists, or one as an old client sent it.
        final int kind = random.nextInt(10);
        final String queue = random.nextInt(6) == 0 ? PATTERNS[random.nextInt(PATTERNS.length)] : someQueue();
        return new Command.Subscribe(someSession(), nextCorrelationId++, queue, group, prefetch, timeoutMs,
            kind != 0, kind == 1);
    }

    /** An answer to a delivery, mostly a current one (of a request or not). */
    private Command reply()
    {
        final Delivery d = someDelivery();
        return new Command.Reply(d.sessionId(), d.consumerId(), d.sequence(), d.attempt(), "r" + nextPayload++);
    }

    private Command ack()
    {
        final Delivery d = someDelivery();
        return new Command.Ack(d.sessionId(), d.consumerId(), d.sequence(), d.attempt());
    }

    /**
     * What a client's poll settled for one consumer: its recent deliveries in order, now and then with a stale, repeated
     * or made-up entry, or one for the delivery that acking the others should bring next (sequence + 1, attempt 1).
     */
    private Command ackBatch()
    {
        final Delivery first = someDelivery();
        final List<Command.AckBatch.Entry> entries = new ArrayList<>();
        entries.add(new Command.AckBatch.Entry(first.sequence(), first.attempt()));
        final int more = random.nextInt(6);
        for (int i = 0; i < deliveries.size() && entries.size() <= more; i++)
        {
            final Delivery d = deliveries.get(i);
            if (d.consumerId() == first.consumerId() && d.sessionId() == first.sessionId() && d != first)
            {
                entries.add(new Command.AckBatch.Entry(d.sequence(), d.attempt()));
                if (random.nextInt(5) > 0)
                {
                    deliveries.remove(i--); // settled
                }
            }
        }
        final Command.AckBatch.Entry last = entries.get(entries.size() - 1);
        switch (random.nextInt(8))
        {
            case 0 -> entries.add(new Command.AckBatch.Entry(last.sequence() + 1, 1));
            case 1 -> entries.add(entries.get(random.nextInt(entries.size())));
            case 2 -> entries.add(random.nextInt(entries.size() + 1),
                new Command.AckBatch.Entry(last.sequence(), last.attempt() + 1));
            case 3 -> entries.add(0, entries.remove(entries.size() - 1));
            default ->
            {
            }
        }
        return new Command.AckBatch(first.sessionId(), first.consumerId(), entries);
    }

    private Command nack()
    {
        final Delivery d = someDelivery();
        final int action = random.nextInt(10);
        return new Command.Nack(d.sessionId(), d.consumerId(), d.sequence(), d.attempt(),
            action < 5 ? NackAction.REQUEUE : action < 9 ? NackAction.REJECT : NackAction.REQUEUE_DELAYED,
            action < 9 ? 0 : random.nextInt(20) == 0 ? -1 : random.nextInt(300));
    }

    private Command extend()
    {
        final Delivery d = someDelivery();
        final long[] timeoutsMs = {0, 1, 5, 20, 100, 1000};
        return new Command.Extend(d.sessionId(), d.consumerId(), d.sequence(), d.attempt(),
            timeoutsMs[random.nextInt(timeoutsMs.length)]);
    }

    private Command grant()
    {
        final List<Long> consumers = new ArrayList<>(liveConsumers.keySet());
        final long consumerId = consumers.isEmpty() || random.nextInt(20) == 0 ?
            random.nextLong(maxConsumerId + 2) : consumers.get(random.nextInt(consumers.size()));
        final int credits = switch (random.nextInt(40))
        {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Integer.MAX_VALUE;
            default -> 1 + random.nextInt(3);
        };
        // Now and then a pull that ends: the credit set to what is still wanted, often nothing.
        final boolean set = random.nextInt(4) == 0;
        return new Command.Grant(sessionOfConsumer.getOrDefault(consumerId, someSession()), consumerId,
            set && credits > 0 && random.nextBoolean() ? 0 : credits, set);
    }

    /** Mostly a live consumer by its own session; now and then an unknown id, or a consumer named by another session. */
    private Command unsubscribe()
    {
        final List<Long> consumers = new ArrayList<>(liveConsumers.keySet());
        final long consumerId = consumers.isEmpty() || random.nextInt(10) == 0 ?
            random.nextLong(maxConsumerId + 2) : consumers.get(random.nextInt(consumers.size()));
        final long sessionId = random.nextInt(10) == 0 ? someSession() :
            sessionOfConsumer.getOrDefault(consumerId, someSession());
        if (Long.valueOf(sessionId).equals(liveConsumers.get(consumerId)))
        {
            liveConsumers.remove(consumerId);
        }
        return new Command.Unsubscribe(sessionId, consumerId);
    }

    private Command declareQueue()
    {
        // Retention (version 9) now and then: short times, small sizes, so kept messages come and go; and a minute or
        // 400 bytes, so some stay until a seek reads them back.
        final long[] retainMs = {0, 0, 0, 30, 500, 60_000, -1};
        final long[] retainBytes = {0, 0, 0, 8, 40, 400, -1};
        // Now and then a default delay (version 9): the queue holds each publish without timing of its own that long.
        final long delayMs = random.nextInt(4) == 0 ? 1 + random.nextInt(3_000) : 0;
        return new Command.DeclareQueue(someSession(), nextCorrelationId++, random.nextBoolean() ? someQueue() :
            someNewQueue(), someSettings(),
            retainMs[random.nextInt(retainMs.length)], retainBytes[random.nextInt(retainBytes.length)], delayMs);
    }

    /**
     * A group moved to a place (version 9): a sequence, a time near now, the oldest or the newest; often on a queue
     * that keeps consumed messages, so that some are delivered again, their payloads read back from the journal.
     */
    private Command seek()
    {
        final String group = random.nextInt(30) == 0 ? "nobody" : GROUPS[random.nextInt(GROUPS.length)];
        final long[] place = somePlace();
        final List<String> keeping = hints.queuesKeepingConsumed();
        final String queue = !keeping.isEmpty() && random.nextBoolean() ?
            keeping.get(random.nextInt(keeping.size())) : someQueue();
        return new Command.Seek(someSession(), nextCorrelationId++, queue, group,
            StartPoint.get((short)place[0]), place[1]);
    }

    /** {start point, value}: mostly valid; sequences near the start, times within the last second or so. */
    private long[] somePlace()
    {
        final int kind = random.nextInt(StartPoint.values().length - 1); // not NULL_VAL
        final long value = switch (StartPoint.values()[kind])
        {
            case SEQUENCE -> random.nextInt(20) == 0 ? 0 : 1 + random.nextInt(12);
            case TIME -> random.nextInt(20) == 0 ? -1 : Math.max(0, nowNs / 1_000_000L - random.nextInt(1500));
            default -> 0;
        };
        return new long[]{StartPoint.values()[kind].value(), value};
    }

    private Command declareGroup()
    {
        // Other queues the generator uses, so that groups often dead-letter into each other's queues: a cycle, refused
        // since version 5 (b's group to a and a's to b; a.dlq's to a; a to c, c to b and b to a), else a chain.
        final String[] deadLetterQueues = {"", "", "poison", "a.dlq", "b", "a", "c", "bad name"};
        final DispatchStrategy strategy = random.nextInt(30) == 0 ? DispatchStrategy.NULL_VAL :
            DispatchStrategy.values()[random.nextInt(3)];
        final String group = random.nextInt(30) == 0 ? BAD_NAMES[random.nextInt(BAD_NAMES.length)] :
            GROUPS[random.nextInt(GROUPS.length)];
        final long[] start = random.nextInt(3) == 0 ? somePlace() :
            new long[]{StartPoint.OLDEST_UNCONSUMED.value(), 0};
        return new Command.DeclareGroup(someSession(), nextCorrelationId++, someQueue(), group, strategy,
            deadLetterQueues[random.nextInt(deadLetterQueues.length)], StartPoint.get((short)start[0]), start[1],
            FILTERS[random.nextInt(FILTERS.length)]);
    }

    private Command queueRule()
    {
        final String[] patterns = {"a", "b", "*", "a*", "a.*", "c", "*.dlq", "*b", "bad name*", "**", "*a*", "*bad name"};
        return new Command.QueueRule(patterns[random.nextInt(patterns.length)], someSettings());
    }

    /** Mostly partial settings, mostly valid: short timeouts, few attempts, small backoffs. */
    private ReferenceQueueModel.Settings someSettings()
    {
        final long[] timeoutsMs = {0, 0, 5, 20, 100, 1000};
        final int[] attempts = {0, 0, 1, 2, 3};
        final BackoffKind backoff = BackoffKind.values()[random.nextInt(4)];
        final boolean delays = BackoffKind.FIXED == backoff || BackoffKind.EXPONENTIAL == backoff;
        final long initialMs = delays ? 1 + random.nextInt(50) : 0;
        final long maxMs = BackoffKind.EXPONENTIAL == backoff && random.nextBoolean() ? initialMs * 3 : 0;
        final ReferenceQueueModel.Settings settings = new ReferenceQueueModel.Settings(
            timeoutsMs[random.nextInt(timeoutsMs.length)], attempts[random.nextInt(attempts.length)],
            backoff, initialMs, maxMs, DispatchStrategy.values()[random.nextInt(3)]);
        return switch (random.nextInt(25))
        {
            case 4, 5, 6, 7, 8, 9 -> new ReferenceQueueModel.Settings(settings.visibilityTimeoutMs(),
                settings.maxAttempts(), backoff, initialMs, maxMs, settings.strategy(), someLimits());
            case 0 -> new ReferenceQueueModel.Settings(-5, 0, backoff, initialMs, maxMs, settings.strategy());
            case 1 -> new ReferenceQueueModel.Settings(0, 0, BackoffKind.FIXED, 0, 0, settings.strategy());
            case 2 -> new ReferenceQueueModel.Settings(0, 0, BackoffKind.EXPONENTIAL, 50, 10, settings.strategy());
            case 3 -> new ReferenceQueueModel.Settings(0, 0, BackoffKind.NONE, 5, 0, settings.strategy());
            default -> settings;
        };
    }

    /** Small bounds, so they bite: a few messages, a few bytes, short ages; now and then an invalid one. */
    private ReferenceQueueModel.Limits someLimits()
    {
        final long none = ReferenceQueueModel.Limits.NONE;
        final long[] agesMs = {0, 0, 1, 5, 50, 1000, none};
        final long[] counts = {0, 0, 1, 2, 3, 5, none};
        final long[] bytes = {0, 0, 0, 3, 8, 20, none};
        final LimitAction[] expired = {LimitAction.DEFAULT, LimitAction.DEAD_LETTER, LimitAction.DROP};
        final LimitAction[] overflow = LimitAction.values();
        return switch (random.nextInt(40))
        {
            case 0 -> new ReferenceQueueModel.Limits(-1, 0, 0, LimitAction.DEFAULT, LimitAction.DEFAULT);
            case 1 -> new ReferenceQueueModel.Limits(0, 0, 0, LimitAction.REJECT_PUBLISH, LimitAction.DEFAULT);
            case 2 -> new ReferenceQueueModel.Limits(0, (1L << 30) + 1, 0, LimitAction.DEFAULT, LimitAction.DEFAULT);
            default -> new ReferenceQueueModel.Limits(agesMs[random.nextInt(agesMs.length)],
                counts[random.nextInt(counts.length)], bytes[random.nextInt(bytes.length)],
                expired[random.nextInt(expired.length)], overflow[random.nextInt(4)]);
        };
    }

    private Command queueAdmin()
    {
        final String[] queues = {"a.dlq", "a.dlq", "b.dlq", "c.dlq", "a.dlq.dlq", "a", "b", "nope"};
        final String[] groups = {"", "", "", "g1", "g2", "zz"};
        final String queue = queues[random.nextInt(queues.length)];
        final int kind = random.nextInt(100);
        AdminAction action = kind < 40 ? AdminAction.BROWSE : kind < 72 ? AdminAction.REDRIVE :
            kind < 84 ? AdminAction.PURGE : kind < 93 ? AdminAction.STATS : kind < 96 ? AdminAction.DELETE_GROUP :
            kind < 99 ? AdminAction.DELETE_QUEUE : AdminAction.NULL_VAL;
        if (AdminAction.BROWSE != action && AdminAction.STATS != action && AdminAction.NULL_VAL != action &&
            hints.mirrors(ReferenceQueueModel.Deviation.DROP_LEAVES_STALE_REDELIVERIES) &&
            hints.hasRedeliveriesWaiting(queue, nowNs))
        {
            action = AdminAction.BROWSE; // until fixed, the real machine would throw at the next delivery
        }
        final long count = random.nextInt(20) == 0 ? -1 : random.nextBoolean() ? 0 : 1 + random.nextInt(3);
        return new Command.QueueAdmin(someSession(), nextCorrelationId++, action, queue,
            groups[random.nextInt(groups.length)], count, random.nextBoolean());
    }

    /** Mostly a recent delivery as given; sometimes stale, from the wrong session, or made up. */
    private Delivery someDelivery()
    {
        final int kind = random.nextInt(100);
        if (deliveries.isEmpty() || kind >= 90)
        {
            final long consumerId = random.nextLong(maxConsumerId + 2);
            final long sessionId = sessionOfConsumer.getOrDefault(consumerId, someSession());
            return new Delivery(sessionId, consumerId, 1 + random.nextInt(8), random.nextInt(4));
        }
        final int recent = Math.min(deliveries.size(), 8);
        final int index = deliveries.size() - 1 - random.nextInt(recent);
        final Delivery d = deliveries.get(index);
        if (kind < 70)
        {
            if (random.nextInt(5) > 0)
            {
                deliveries.remove(index); // settled: a client seldom names a delivery twice
            }
            return d;
        }
        if (kind < 82)
        {
            final int otherAttempt = d.attempt() + (random.nextBoolean() ? -1 : 1);
            return new Delivery(d.sessionId(), d.consumerId(), d.sequence(), otherAttempt);
        }
        return new Delivery(someSession(), d.consumerId(), d.sequence(), d.attempt());
    }

    private long someSession()
    {
        final int kind = random.nextInt(100);
        if (!openSessions.isEmpty() && kind < 92)
        {
            return openSessions.get(random.nextInt(openSessions.size()));
        }
        if (!closedSessions.isEmpty() && kind < 96)
        {
            return closedSessions.get(random.nextInt(closedSessions.size()));
        }
        return random.nextBoolean() ? 0 : 99;
    }

    /** A queue name that no queue has yet, if one is left: a declaration then creates it, with its retention. */
    private String someNewQueue()
    {
        final List<String> existing = hints.queueNames();
        final List<String> fresh = java.util.Arrays.stream(QUEUES).filter((name) -> !existing.contains(name)).toList();
        return fresh.isEmpty() ? someQueue() : fresh.get(random.nextInt(fresh.size()));
    }

    private String someQueue()
    {
        return random.nextInt(40) == 0 ? BAD_NAMES[random.nextInt(BAD_NAMES.length)] :
            QUEUES[random.nextInt(QUEUES.length)];
    }

    /** Clients' commands mostly arrive on their session's transport; the daemon's own on transport 0. */
    private int transportFor(final Command command)
    {
        if (command instanceof Command.Connect || command instanceof Command.ConnectRefused)
        {
            return lastConnectTransport;
        }
        if (command instanceof Command.Tick || command instanceof Command.TransportClosed ||
            command instanceof Command.NodeStarted || command instanceof Command.QueueRule ||
            command instanceof Command.SessionLost)
        {
            return 0;
        }
        if (random.nextInt(40) == 0)
        {
            return random.nextInt(4); // a client naming a session it did not open (or the right one by chance)
        }
        return transportOfSession.getOrDefault(command.sessionId(), random.nextInt(4));
    }

    /** Client commands mostly arrive together (same timestamp) or a little apart. */
    private long commandGapNs()
    {
        final int kind = random.nextInt(10);
        return kind < 5 ? 0 : kind < 9 ? random.nextLong(3 * MS) : random.nextLong(200 * MS);
    }

    /** Ticks: short steps, exactly onto a deadline (or 1 ns either side), long silences now and then. */
    private long tickGapNs()
    {
        final long deadline = hints.earliestDeadlineNs();
        final int kind = random.nextInt(100);
        if (deadline > nowNs && deadline - nowNs < 60_000 * MS && kind < 25)
        {
            return deadline - nowNs + (random.nextInt(3) - 1);
        }
        if (kind < 60)
        {
            return random.nextLong(10 * MS);
        }
        if (kind < 85)
        {
            return (1 + random.nextInt(200)) * MS;
        }
        if (kind < 98)
        {
            return (1 + random.nextInt(60)) * 1000 * MS;
        }
        return random.nextInt(4) > 0 ? 10 * 60 * 1000 * MS : HOUR_MS * MS;
    }
}
