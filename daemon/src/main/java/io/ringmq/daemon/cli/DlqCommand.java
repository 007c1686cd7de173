package io.ringmq.daemon.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ringmq.client.BrowsedMessage;
import io.ringmq.client.RingmqClient;
import io.ringmq.http.DeadLetterCalls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * {@code ringmq dlq list|redrive|purge QUEUE}: the dead letters of QUEUE live in {@code QUEUE.dlq}. A queue that has
 * never dead-lettered anything simply has none: empty output, exit 0. A QUEUE that does not exist is refused
 * (UNKNOWN_QUEUE, exit 1): nothing is created, and a typo does not pass for an empty dead-letter queue.
 */
@Command(name = "dlq", description = "Inspect, redrive or purge a queue's dead letters (QUEUE.dlq).",
    subcommands = {DlqCommand.List.class, DlqCommand.Redrive.class, DlqCommand.Purge.class})
final class DlqCommand
{
    @Command(name = "list", description = "Show dead letters without consuming them: " +
        "<seq><TAB><reason><TAB><attempts><TAB><group><TAB><payload> per line (group - for a letter of a queue that " +
        "had no group), or JSON with --json (sourceGroup null).")
    static final class List implements Callable<Integer>
    {
        private static final String NO_GROUP = "-";

        @Mixin
        ConfigOption configOption;

        @Mixin
        DeadLetterQueueOption dlq;

        @Parameters(index = "0", paramLabel = "QUEUE", description = "The queue whose dead letters to show.")
        String queue;

        @Option(names = "--group", defaultValue = "", description = "Only letters this group gave up on.")
        String group;

        @Option(names = "--json", description = "One JSON object per line: queue, seq, sourceQueue, sourceGroup, " +
            "reason, attempts, publishTimestampNs, payload.")
        boolean json;

        @Option(names = "--payload-format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default: UTF-8; in the line output a tab, line break or backslash is escaped) or " +
                "base64 (binary payloads), in both outputs.")
        PayloadFormat payloadFormat;

        public Integer call()
        {
            final PrintStream out = System.out;
            final JsonFactory jsonFactory = new JsonFactory();
            adminOrZero(configOption, queue, (client) -> client.browse(dlq.of(queue), group, 0, (letter) ->
                out.println(json ? json(jsonFactory, dlq.of(queue), letter, payloadFormat) :
                    text(letter, payloadFormat))));
            out.flush();
            return 0;
        }

        /** A letter of a queue without groups names none: "-" keeps the line's five fields. */
        private static String text(final BrowsedMessage letter, final PayloadFormat payloadFormat)
        {
            return letter.sequence() + "\t" + letter.reason() + "\t" + letter.deadLetterAttempts() + "\t" +
                (null == letter.sourceGroup() ? NO_GROUP : letter.sourceGroup()) + "\t" +
                payloadFormat.forLine(letter.payload());
        }

        private static String json(
            final JsonFactory factory, final String dlq, final BrowsedMessage letter, final PayloadFormat payloadFormat)
        {
            final StringWriter line = new StringWriter(128);
            try (JsonGenerator json = factory.createGenerator(line))
            {
                json.writeStartObject();
                json.writeStringField("queue", dlq);
                json.writeNumberField("seq", letter.sequence());
                json.writeStringField("sourceQueue", letter.sourceQueue());
                json.writeStringField("sourceGroup", letter.sourceGroup());
                json.writeStringField("reason", letter.reason().name());
                json.writeNumberField("attempts", letter.deadLetterAttempts());
                json.writeNumberField("publishTimestampNs", letter.publishTimestampNs());
                json.writeStringField("payload", payloadFormat.forJson(letter.payload()));
                json.writeEndObject();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            return line.toString();
        }
    }

    @Command(name = "redrive", description = "Move dead letters not in flight back to their queue, oldest first, " +
        "as new messages for the group that dead-lettered each (only it gets the message again); prints: " +
        "redriven <n>.")
    static final class Redrive implements Callable<Integer>
    {
        @Mixin
        ConfigOption configOption;

        @Mixin
        DeadLetterQueueOption dlq;

        @Parameters(index = "0", paramLabel = "QUEUE", description = "The queue whose dead letters to move back.")
        String queue;

        @Option(names = "--group", defaultValue = "", description = "Only letters this group gave up on.")
        String group;

        @Option(names = "--count", defaultValue = "0", description = "Most letters to move; 0 (default) = all.")
        long count;

        @Spec
        CommandSpec spec;

        public Integer call()
        {
            if (count < 0)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--count must be 0 (all) or more");
            }
            System.out.println("redriven " + adminOrZero(configOption, queue, (client) ->
                client.redrive(dlq.of(queue), group, count)));
            return 0;
        }
    }

    @Command(name = "purge", description = "Drop every dead letter of QUEUE; prints: purged <n>.")
    static final class Purge implements Callable<Integer>
    {
        @Mixin
        ConfigOption configOption;

        @Mixin
        DeadLetterQueueOption dlq;

        @Parameters(index = "0", paramLabel = "QUEUE", description = "The queue whose dead letters to drop.")
        String queue;

        public Integer call()
        {
            System.out.println("purged " + adminOrZero(configOption, queue, (client) -> client.purge(dlq.of(queue))));
            return 0;
        }
    }

    /**
     * Runs an admin call on the dead-letter queue of {@code queue}; one that does not exist yet holds nothing, so the
     * answer is 0, as long as {@code queue} itself exists (if not, its UNKNOWN_QUEUE is the answer).
     */
    private static long adminOrZero(
        final ConfigOption configOption,
        final String queue,
        final java.util.function.ToLongFunction<RingmqClient> call)
    {
        try (RingmqClient client = Clients.connect(configOption.load(), "ringmq-dlq"))
        {
            return DeadLetterCalls.orZero(client, queue, call);
        }
    }
}
