package io.ringmq.daemon.cli;

import io.ringmq.client.GroupOptions;
import io.ringmq.client.QueueOptions;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.SeekTarget;
import io.ringmq.config.ConfigException;
import io.ringmq.config.QueueRule;
import io.ringmq.config.QueueSettings;
import io.ringmq.http.QueueOptionsFromRule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ringmq declare queue|group}: what {@code RingmqClient.declareQueue/declareGroup} do, from the shell. Prints
 * whether it created the queue or group, or found it with the same settings; other settings exit 1 with the
 * daemon's SETTINGS_CONFLICT message.
 */
@Command(name = "declare", description = "Create a queue or a consumer group with settings, or check it has them.",
    subcommands = {DeclareCommand.DeclareQueue.class, DeclareCommand.DeclareGroup.class})
final class DeclareCommand
{
    @Command(name = "queue", description = "Create QUEUE with these settings (unset ones come from the daemon's " +
        "ringmq.queues.* rules and defaults), or check that it has them.")
    static final class DeclareQueue implements Callable<Integer>
    {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConfigOption configOption;

        @Parameters(index = "0", paramLabel = "QUEUE")
        String queue;

        @Option(names = {"--visibility-timeout", "--visibility-timeout-ms"}, paramLabel = "DURATION",
            description = "How long a delivery may stay unacked before it is delivered again: 1ms to 12h, e.g. 30s " +
                "(a bare number is milliseconds).")
        String visibilityTimeout;

        @Option(names = "--max-attempts", paramLabel = "N",
            description = "Deliveries to one group before the message is dead-lettered: 1 to 1000.")
        String maxAttempts;

        @Option(names = "--backoff", paramLabel = "SPEC", description = "Wait before a redelivery: none, " +
            "fixed:DELAY or exponential:INITIAL:MAX (delays 1ms to 12h, e.g. exponential:100ms:30s).")
        String backoff;

        @Option(names = "--strategy", paramLabel = "S", description = "round-robin or least-outstanding.")
        String strategy;

        @Option(names = {"--max-age", "--max-age-ms"}, paramLabel = "DURATION",
            description = "A message leaves the queue (see --expired) once it has been in it this long: 1ms to " +
                "365 days, e.g. 1h, or none.")
        String maxAge;

        @Option(names = "--max-messages", paramLabel = "N",
            description = "Most messages held, in flight included (see --overflow): 1 to 2^30, or none.")
        String maxMessages;

        @Option(names = "--max-bytes", paramLabel = "SIZE",
            description = "Most payload bytes held, in flight included (see --overflow), e.g. 512m, or none.")
        String maxBytes;

        @Option(names = "--expired", paramLabel = "ACTION",
            description = "At the maximum age: dead-letter (default) or drop.")
        String expired;

        @Option(names = "--overflow", paramLabel = "ACTION",
            description = "At a size limit: dead-letter (default) or drop the oldest, or reject-publish the newest.")
        String overflow;

        @Option(names = "--retain-ms", converter = Millis.class, paramLabel = "DURATION", description = "Keep " +
            "messages every group has acked for this long after the last ack, so a group can seek back to them (see " +
            "seek), e.g. 10m (a bare number is milliseconds). Default: not kept.")
        Long retainMs;

        @Option(names = "--retain-bytes", converter = Bytes.class, paramLabel = "SIZE", description = "Keep the " +
            "newest messages every group has acked up to this many payload bytes (with --retain-ms: whichever comes " +
            "first), e.g. 64m (a bare number is bytes). Default: not kept.")
        Long retainBytes;

        @Option(names = "--delay-ms", converter = Millis.class, paramLabel = "D",
            description = "The queue's default delay: a message published with no --delay-ms or --deliver-at of its " +
                "own is held this long before any group sees it (its own timing overrides it): 1ms to 365 days, " +
                "e.g. 5s (a bare number is milliseconds).")
        Long delayMs;

        public Integer call()
        {
            final QueueRule settings;
            try
            {
                // The config file's reader, so the spellings and ranges are the file's (checked here: exit 2).
                settings = new QueueSettings()
                    .set("visibility.timeout", "--visibility-timeout", visibilityTimeout)
                    .set("max.attempts", "--max-attempts", maxAttempts)
                    .set("backoff", "--backoff", backoff)
                    .set("strategy", "--strategy", strategy)
                    .set("max.age", "--max-age", maxAge)
                    .set("max.messages", "--max-messages", maxMessages)
                    .set("max.bytes", "--max-bytes", maxBytes)
                    .set("expired", "--expired", expired)
                    .set("overflow", "--overflow", overflow)
                    .parse();
            }
            catch (final ConfigException ex)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
            }
            QueueOptions options = QueueOptionsFromRule.options(settings);
            try
            {
                if (null != retainMs)
                {
                    options = options.retainFor(Duration.ofMillis(retainMs));
                }
                if (null != retainBytes)
                {
                    options = options.retainBytes(retainBytes);
                }
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
            }
            try
            {
                if (null != delayMs)
                {
                    options = options.delay(Duration.ofMillis(delayMs));
                }
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--delay-ms: " + ex.getMessage());
            }
            final QueueOptions declared = options;
            try (RingmqClient client = Clients.connect(configOption.load(), "ringmq-declare"))
            {
                System.out.println("queue " + queue + (client.declareQueue(queue, declared) ?
                    " created" : " exists with these settings"));
            }
            return 0;
        }
    }

    @Command(name = "group", description = "Create consumer group GROUP of QUEUE with these settings, or check that " +
        "it has them.")
    static final class DeclareGroup implements Callable<Integer>
    {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConfigOption configOption;

        @Parameters(index = "0", paramLabel = "QUEUE")
        String queue;

        @Parameters(index = "1", paramLabel = "GROUP")
        String group;

        @Option(names = "--strategy", paramLabel = "S",
            description = "round-robin or least-outstanding. Default: the queue's.")
        String strategy;

        @Option(names = "--dlq", paramLabel = "NAME", description = "Where the group's dead letters go: not QUEUE, " +
            "nor a queue whose dead letters lead back to QUEUE (a dead-letter cycle). Default: QUEUE.dlq.")
        String deadLetterQueue;

        @Option(names = "--start", paramLabel = "WHERE", description = "Where a new group starts: oldest (the " +
            "oldest message held, kept ones included), newest (only messages published from now on), seq:N or " +
            "time:ISO-8601. Default: the oldest message not yet consumed. An existing group is not moved (see seek).")
        String start;

        @Option(names = "--filter", paramLabel = "EXPR", description = "Deliver to the group only the messages " +
            "whose headers match EXPR: KEY=VALUE, KEY^=PREFIX, KEY?, KEY<N, KEY<=N, KEY>N, KEY>=N, joined by && " +
            "(e.g. 'region=eu && price>=100'); repeated, every one must match. The others are settled as filtered.")
        List<String> filters = List.of();

        public Integer call()
        {
            GroupOptions options = GroupOptions.unset();
            try
            {
                if (null != start)
                {
                    options = options.startAt(SeekTarget.parse(start));
                }
                if (null != strategy)
                {
                    options = leastOutstanding(strategy) ? options.leastOutstanding() : options.roundRobin();
                }
                if (null != deadLetterQueue)
                {
                    options = options.deadLetterQueue(deadLetterQueue);
                }
                options = FilterOption.applyTo(options, filters);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
            }
            final GroupOptions declared = options;
            try (RingmqClient client = Clients.connect(configOption.load(), "ringmq-declare"))
            {
                System.out.println("group " + queue + "/" + group + (client.declareGroup(queue, group, declared) ?
                    " created" : " exists with these settings"));
            }
            return 0;
        }
    }

    private static boolean leastOutstanding(final String strategy)
    {
        return switch (strategy.toLowerCase(Locale.ROOT))
        {
            case "least-outstanding" -> true;
            case "round-robin" -> false;
            default -> throw new IllegalArgumentException(
                "--strategy=" + strategy + " is invalid: must be round-robin or least-outstanding");
        };
    }
}
