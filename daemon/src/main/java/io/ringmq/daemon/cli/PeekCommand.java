package io.ringmq.daemon.cli;

import io.ringmq.client.BrowsedMessage;
import io.ringmq.client.RingmqClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code ringmq peek QUEUE [--count N] [--json]}: what a queue holds, consuming nothing (a query: not journaled). */
@Command(name = "peek", description = "Show the messages QUEUE holds, oldest first, without consuming them: " +
    "<seq><TAB><priority><TAB><payload> per line. Exits 1 if QUEUE does not exist.")
final class PeekCommand implements Callable<Integer>
{
    @Mixin
    ConfigOption configOption;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUEUE")
    String queue;

    @Option(names = "--count", defaultValue = "0", description = "Most messages to show; 0 (default) = all.")
    long count;

    @Option(names = "--json", description = "One JSON object per message and line: queue, seq, priority, " +
        "publishTimestampNs, payload.")
    boolean json;

    @Option(names = "--payload-format", defaultValue = "text", paramLabel = "FORMAT",
        description = "text (default: UTF-8; in the line output a tab, line break or backslash is escaped) or " +
            "base64 (binary payloads), in both outputs.")
    PayloadFormat payloadFormat;

    public Integer call()
    {
        if (count < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be 0 (all) or more");
        }
        try (RingmqClient client = Clients.connect(configOption.load(), "ringmq-peek"))
        {
            client.peek(queue, count, (message) -> System.out.println(json ? json(message) : text(message)));
        }
        System.out.flush();
        return 0;
    }

    private String text(final BrowsedMessage message)
    {
        return message.sequence() + "\t" + message.priority() + "\t" + payloadFormat.forLine(message.payload());
    }

    private String json(final BrowsedMessage message)
    {
        return JsonLine.of((out) ->
        {
            out.writeStringField("queue", queue);
            out.writeNumberField("seq", message.sequence());
            out.writeNumberField("priority", message.priority());
            out.writeNumberField("publishTimestampNs", message.publishTimestampNs());
            out.writeStringField("payload", payloadFormat.forJson(message.payload()));
        });
    }
}
