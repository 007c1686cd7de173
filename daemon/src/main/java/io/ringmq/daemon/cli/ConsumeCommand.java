package io.ringmq.daemon.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ringmq.client.Delivery;
import io.ringmq.client.GroupOptions;
import io.ringmq.client.MessageHandler;
import io.ringmq.client.QueueConsumer;
import io.ringmq.client.QueueStats;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.client.SeekTarget;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.QueuePattern;
import io.ringmq.http.JsonShapes;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(name = "consume",
    description = "Consume messages, print each and ack it (or nack, reject, or leave it in flight). " +
        "Default output: <seq><TAB><payload> per line; for a pattern, <queue><TAB><seq><TAB><payload>.")
final class ConsumeCommand implements Callable<Integer>
{
    private static final long DRAIN_QUIET_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long WAIT_HINT_NS = TimeUnit.SECONDS.toNanos(5);

    @Mixin
    ConfigOption configOption;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUEUE-OR-PATTERN", description = "Queue to consume from, or a pattern " +
        "of queues: orders.* (one segment), orders.> (one or more); every matching queue, existing or created " +
        "later, delivers (a dead-letter queue only to a pattern ending in .dlq).")
    String queue;

    @Option(names = "--group", defaultValue = "default",
        description = "Consumer group (default ${DEFAULT-VALUE}). Each group gets every message once.")
    String group;

    @Option(names = "--count", description = "Exit 0 after this many messages. Default: run until interrupted.")
    Long count;

    @Option(names = {"--timeout", "--timeout-ms"}, converter = Millis.class, paramLabel = "DURATION",
        description = "Exit non-zero if no message arrives for this long, e.g. 500ms, 10s (a bare number is ms). " +
            "Default: wait forever.")
    Long timeoutMs;

    @Option(names = "--drain", description = "Exit 0 once no message has come for 500 ms (or --timeout-ms): the daemon " +
        "sends every message ready for this group at once while the prefetch window has room, so the group has " +
        "none left. Ends with a summary on stderr.")
    boolean drain;

    @Option(names = "--prefetch", defaultValue = "256",
        description = "Most unacked messages in flight to this consumer (default ${DEFAULT-VALUE}).")
    int prefetch;

    @Option(names = "--json",
        description = "One JSON object per line: queue, group, seq, attempt, publishTimestampNs, payload, headers " +
            "(key -> text, or {\"base64\": ...} for bytes), id (null for none), producerId (0 for none), " +
            "priority (0-9).")
    boolean json;

    @Option(names = "--payload-format", defaultValue = "text", paramLabel = "FORMAT",
        description = "text (default: UTF-8; in the line output a tab, line break or backslash is escaped as \\t, " +
            "\\n, \\r, \\\\) or base64 (binary payloads), in both outputs.")
    PayloadFormat payloadFormat;

    @Option(names = "--nack", description = "Nack every message printed: it is delivered again, after the queue's retry backoff if " +
        "it has one.")
    boolean nack;

    @Option(names = "--reject", description = "Reject every message printed: it goes to the group's dead-letter " +
        "queue at once.")
    boolean reject;

    @Option(names = "--nack-delay-ms", converter = Millis.class, paramLabel = "DURATION",
        description = "Nack every message printed with this delay before it is delivered again, e.g. 5s (a bare " +
            "number is ms), instead of the queue's backoff.")
    Long nackDelayMs;

    @Option(names = "--extend-ms", converter = Millis.class, paramLabel = "DURATION",
        description = "Give every message printed this much more visibility (its deadline becomes now + DURATION) " +
            "before settling it; with --no-ack it stays in flight that long.")
    Long extendMs;

    @Option(names = "--no-ack", description = "Settle nothing: printed messages stay in flight and come back after " +
        "their visibility timeout, even after this command exits.")
    boolean noAck;

    @Mixin
    CreateQueueOption createOption;

    @Option(names = {"--visibility-timeout", "--visibility-timeout-ms"}, converter = Millis.class,
        paramLabel = "DURATION", description = "This consumer's visibility timeout, e.g. 30s (a bare number is ms). " +
            "Default: the queue's (ringmq.queue.visibility.timeout).")
    Long visibilityTimeoutMs;

    @Option(names = "--from", paramLabel = "WHERE", description = "Where the group starts if it is new: oldest (the " +
        "oldest message QUEUE holds, messages other groups acked and QUEUE keeps included: declare queue " +
        "--retain-ms/--retain-bytes), newest, seq:N or time:ISO-8601. Default: the oldest message not yet consumed. " +
        "An existing group is not moved (ringmq seek moves it).")
    String from;

    @Option(names = "--filter", paramLabel = "EXPR", description = "Only messages whose headers match EXPR " +
        "(KEY=VALUE, KEY^=PREFIX, KEY?, KEY<N, KEY<=N, KEY>N, KEY>=N, joined by &&; repeated, all must match): the " +
        "group is declared with this filter first (created with it, or checked to have it: SETTINGS_CONFLICT " +
        "otherwise), and settles the others as filtered.")
    List<String> filters = List.of();

    public Integer call()
    {
        GroupOptions declared;
        try
        {
            declared = FilterOption.applyTo(GroupOptions.unset(), filters);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        try
        {
            if (null != from)
            {
                declared = declared.startAt(SeekTarget.parse(from)); // checked here (exit 2), used when subscribing
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--from " + ex.getMessage());
        }
        if (null != count && count < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1");
        }
        if (null != timeoutMs && timeoutMs < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout-ms must be at least 1");
        }
        final boolean nacks = nack || null != nackDelayMs;
        if ((nacks ? 1 : 0) + (reject ? 1 : 0) + (noAck ? 1 : 0) > 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--nack (or --nack-delay-ms), --reject and --no-ack exclude each other");
        }
        if ((null != nackDelayMs && nackDelayMs < 0) || (null != extendMs && extendMs < 1))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--nack-delay-ms must be 0 or more and --extend-ms at least 1");
        }
        if (prefetch < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--prefetch must be at least 1");
        }
        if (null != visibilityTimeoutMs && visibilityTimeoutMs < 1)
        {
            throw new CommandLine.ParameterException(
                spec.commandLine(), "--visibility-timeout-ms must be at least 1");
        }
        if (QueuePattern.isPattern(queue) && (createOption.create || null != from || !filters.isEmpty()))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--create, --from and --filter name one " +
                "queue (its group is declared on it): not with a pattern ('" + queue + "')");
        }
        final RingmqConfig config = configOption.load();
        // Our own buffer, flushed once per polled batch: System.out flushes every line, and its error state is
        // checked before anything printed is acked.
        final PrintStream out = new PrintStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false, StandardCharsets.UTF_8);
        final boolean pattern = QueuePattern.isPattern(queue);
        final Printer printer = json ? new JsonPrinter(out, payloadFormat) : (d) ->
        {
            if (pattern)
            {
                out.print(d.queue());
                out.print('\t');
            }
            out.print(d.sequence());
            out.print('\t');
            out.println(payloadFormat.forLine(d.payloadBytes()));
        };
        final long[] consumed = {0};
        final long limit = null == count ? Long.MAX_VALUE : count;
        final PrintedDeliveries printed = new PrintedDeliveries();

        final RingmqClient client = Clients.connect(config, "ringmq-consume");
        final StopSignals stopSignal = StopSignals.install(new CountDownLatch(1));
        try
        {
            // With --count the command pulls: it grants credit for exactly the deliveries it will print, at most
            // --prefetch ahead, so nothing is delivered to it past the count. --no-ack pulls too: it settles nothing,
            // so a prefetch window would never earn credit back and it would stop at its prefetch with messages ready.
            // Otherwise, a prefetch window.
            // A pattern has a prefetch window on each queue it matches, whenever it attaches: it never pulls. Past
            // --count it prints nothing more, and what came beyond goes back when the session closes.
            final boolean pull = !pattern && (null != count || noAck);
            final long[] granted = {pull ? Math.min(prefetch, limit) : 0};
            final QueueConsumer consumer = subscribe(client, declared, pull ? 0 : prefetch, (delivery) ->
            {
                if (consumed[0] >= limit)
                {
                    return;
                }
                printer.print(delivery);
                printed.printed(delivery.consumer(), delivery.sequence(), delivery.attempt());
                consumed[0]++;
            });
            if (pull)
            {
                consumer.grant((int)granted[0]);
            }

            final long idleTimeoutNs = null != timeoutMs ? TimeUnit.MILLISECONDS.toNanos(timeoutMs) :
                drain ? DRAIN_QUIET_NS : Long.MAX_VALUE;
            final long startNs = System.nanoTime();
            final TerminalProgress progress = TerminalProgress.onStderr("consumed", false);
            final IdleStrategy idle = new BackoffIdleStrategy();
            long lastProgressNs = System.nanoTime();
            long lastCount = 0;
            boolean toldWhy = false;
            while (consumed[0] < limit && !stopSignal.received())
            {
                final int polled;
                try
                {
                    polled = client.poll();
                }
                catch (final RingmqException ex)
                {
                    if (!client.isClosed())
                    {
                        throw ex;
                    }
                    // The daemon is gone (a client of one daemon closes then): nothing more can come.
                    progress.clear();
                    System.err.println("ringmq: " + ex.getMessage() + "; consumed " + consumed[0] +
                        (null == count ? "" : " of " + count) + "; deliveries not settled go back to the queue");
                    return RingmqCli.EXIT_FAILED;
                }
                if (printed.pending() > 0 && !printed.flushThenSettle(out, this::settle))
                {
                    progress.clear();
                    return outputFailed(consumed[0] - printed.pending());
                }
                progress.update(consumed[0]);
                if (0 == polled)
                {
                    if (System.nanoTime() - lastProgressNs > idleTimeoutNs)
                    {
                        progress.clear();
                        if (drain)
                        {
                            Summary.print("consumed", consumed[0], System.nanoTime() - startNs);
                            return 0;
                        }
                        System.err.println("ringmq: no message for " + timeoutMs + " ms; consumed " + consumed[0] +
                            (null == count ? "" : " of " + count));
                        return RingmqCli.EXIT_FAILED;
                    }
                    if (!toldWhy && System.nanoTime() - lastProgressNs > WAIT_HINT_NS)
                    {
                        toldWhy = true;
                        progress.clear();
                        System.err.println(whyNothingComes(client, consumer));
                    }
                    idle.idle();
                }
                else
                {
                    idle.reset();
                }
                if (consumed[0] != lastCount)
                {
                    lastCount = consumed[0];
                    lastProgressNs = System.nanoTime();
                    if (pull && granted[0] < limit && granted[0] - consumed[0] < prefetch)
                    {
                        final int more = (int)Math.min(limit - granted[0], prefetch - (granted[0] - consumed[0]));
                        consumer.grant(more);
                        granted[0] += more;
                    }
                }
            }
            progress.clear();
            // A pattern's window lets deliveries come while it subscribes, before the loop: the count may be
            // reached there, with what it printed not yet written and settled.
            if (printed.pending() > 0 && !printed.flushThenSettle(out, this::settle))
            {
                return outputFailed(consumed[0] - printed.pending());
            }
            if (stopSignal.received())
            {
                System.err.println("ringmq: stopped by " + stopSignal.firstSignal() + " after " + consumed[0] +
                    " messages; deliveries not settled go back to the queue");
                return stopSignal.exitCode();
            }
        }
        finally
        {
            // Deliveries not settled (unprinted, or printed into a failed output) go back at once when the session
            // closes: that is what gives them back after a broken pipe or a signal.
            if (noAck)
            {
                client.closeLeavingInFlight();
            }
            else
            {
                client.close();
            }
        }
        return 0;
    }

    /**
     * Subscribes, creating the queue only with --create; the refusal of an unknown queue says how to create it. With
     * --filter or --from the group is declared with them first, so that no message reaches it unfiltered and a new
     * group starts where asked.
     */
    private QueueConsumer subscribe(
        final RingmqClient client, final GroupOptions declared, final int initialPrefetch, final MessageHandler handler)
    {
        try
        {
            if (null != from || !filters.isEmpty())
            {
                declareGroupFirst(client, declared);
            }
            return client.consumer(queue, group, initialPrefetch, null == visibilityTimeoutMs ? 0 : visibilityTimeoutMs,
                createOption.create, handler);
        }
        catch (final RingmqException ex)
        {
            throw CreateQueueOption.sayHowToCreate(ex, "consume", queue);
        }
    }

    /**
     * With --from or --filter: the group is declared before subscribing (a new one starts at --from; an existing one is
     * not moved, and its filter must be the one given).
     */
    private void declareGroupFirst(final RingmqClient client, final GroupOptions declared)
    {
        if (!createOption.create)
        {
            client.stats(queue); // UNKNOWN_QUEUE without --create: a declaration would create the queue
        }
        if (!client.declareGroup(queue, group, declared) && null != from)
        {
            System.err.println("ringmq: group '" + group + "' exists: --from does not move it (ringmq seek " + queue +
                " --group " + group + " --oldest does)");
        }
    }

    /** Said once when nothing has come for a while, so a wait with no timeout is not silent. */
    private String whyNothingComes(final RingmqClient client, final QueueConsumer consumer)
    {
        if (consumer.isPattern())
        {
            return "ringmq: nothing for group '" + group + "' for " + TimeUnit.NANOSECONDS.toSeconds(WAIT_HINT_NS) +
                " s; pattern '" + queue + "' matches " + consumer.attached().size() + " queues so far (ringmq queues " +
                "lists them), and attaches to each matching queue created later. Still waiting (Ctrl-C stops; " +
                "--timeout or --drain end it).";
        }
        String held;
        try
        {
            final QueueStats stats = client.stats(queue);
            held = "queue '" + queue + "' holds " + stats.messages() + " messages, " + stats.inFlight() +
                " of them in flight";
        }
        catch (final RingmqException ex)
        {
            held = "queue '" + queue + "': " + ex.getMessage();
        }
        return "ringmq: nothing for group '" + group + "' for " + TimeUnit.NANOSECONDS.toSeconds(WAIT_HINT_NS) +
            " s; " + held + ". A group gets what is published after it exists, and starts at the oldest message the " +
            "queue still holds that no group has consumed: messages every other group already acked are gone, unless " +
            "the queue keeps them (declare queue --retain-ms/--retain-bytes): then a new group started with --from " +
            "oldest reads them (ringmq seek moves an existing group). Still waiting (Ctrl-C stops; --timeout or " +
            "--drain end it).";
    }

    private static int outputFailed(final long written)
    {
        System.err.println("ringmq: output closed or failed after " + written + " messages were written and " +
            "settled; the rest go back to the queue");
        return RingmqCli.EXIT_FAILED;
    }

    private void settle(final QueueConsumer consumer, final long sequence, final int attempt)
    {
        if (null != extendMs)
        {
            consumer.extend(sequence, attempt, extendMs);
        }
        if (reject)
        {
            consumer.reject(sequence, attempt);
        }
        else if (null != nackDelayMs)
        {
            consumer.nack(sequence, attempt, nackDelayMs);
        }
        else if (nack)
        {
            consumer.nack(sequence, attempt);
        }
        else if (!noAck)
        {
            consumer.ack(sequence, attempt);
        }
    }

    @FunctionalInterface
    private interface Printer
    {
        void print(Delivery delivery);
    }

    private static final class JsonPrinter implements Printer
    {
        private final PrintStream out;
        private final PayloadFormat payloadFormat;
        private final JsonFactory factory = new JsonFactory();

        JsonPrinter(final PrintStream out, final PayloadFormat payloadFormat)
        {
            this.out = out;
            this.payloadFormat = payloadFormat;
        }

        public void print(final Delivery d)
        {
            try
            {
                final java.io.StringWriter line = new java.io.StringWriter(128);
                try (JsonGenerator json = factory.createGenerator(line))
                {
                    json.writeStartObject();
                    json.writeStringField("queue", d.queue());
                    json.writeStringField("group", d.group());
                    json.writeNumberField("seq", d.sequence());
                    json.writeNumberField("attempt", d.attempt());
                    json.writeNumberField("publishTimestampNs", d.publishTimestampNs());
                    json.writeStringField("payload", payloadFormat.forJson(d.payloadBytes()));
                    JsonShapes.headers(json, d.headers());
                    if (0 == d.messageIdLength())
                    {
                        json.writeNullField("id");
                    }
                    else
                    {
                        json.writeStringField("id", d.messageId());
                    }
                    json.writeNumberField("producerId", d.producerId());
                    json.writeNumberField("priority", d.priority());
                    json.writeEndObject();
                }
                out.println(line);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
