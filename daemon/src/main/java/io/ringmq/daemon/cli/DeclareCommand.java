package io.ringmq.daemon.cli;

import io.ringmq.client.GroupOptions;
import io.ringmq.client.QueueOptions;
import io.ringmq.client.RingmqClient;
import io.ringmq.codecs.LimitAction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Duration;
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

        @Option(names = "--visibility-timeout-ms", paramLabel = "MS",
            description = "How long a delivery may stay unacked before it is delivered again.")
        Long visibilityTimeoutMs;

        @Option(names = "--max-attempts", paramLabel = "N",
            description = "Deliveries to one group before the message is dead-lettered.")
        Integer maxAttempts;

        @Option(names = "--backoff", paramLabel = "SPEC",
            description = "Wait before a redelivery: none, fixed:MS or exponential:INITIAL_MS:MAX_MS.")
        String backoff;

        @Option(names = "--strategy", paramLabel = "S", description = "round-robin or least-outstanding.")
        String strategy;

        @Option(names = "--max-age-ms", paramLabel = "MS",
            description = "A message leaves the queue (see --expired) once it has been in it this long.")
        Long maxAgeMs;

        @Option(names = "--max-messages", paramLabel = "N",
            description = "Most messages held, in flight included (see --overflow).")
        Long maxMessages;

        @Option(names = "--max-bytes", paramLabel = "BYTES",
            description = "Most payload bytes held, in flight included (see --overflow).")
        Long maxBytes;

        @Option(names = "--expired", paramLabel = "ACTION",
            description = "At the maximum age: dead-letter (default) or drop.")
        String expired;

        @Option(names = "--overflow", paramLabel = "ACTION",
            description = "At a size limit: dead-letter (default) or drop the oldest, or reject-publish the newest.")
        String overflow;

        public Integer call()
        {
            QueueOptions options = QueueOptions.unset();
            try
            {
                if (null != visibilityTimeoutMs)
                {
                    options = options.visibilityTimeout(Duration.ofMillis(visibilityTimeoutMs));
                }
                if (null != maxAttempts)
                {
                    options = options.maxAttempts(maxAttempts);
                }
                if (null != backoff)
                {
                    options = withBackoff(options, backoff);
                }
                if (null != strategy)
                {
                    options = leastOutstanding(strategy) ? options.leastOutstanding() : options.roundRobin();
                }
                options = withLimits(options);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
            }
            final QueueOptions declared = options;
            try (RingmqClient client = Clients.connect(configOption.load(), "ringmq-declare"))
            {
                System.out.println("queue " + queue + (client.declareQueue(queue, declared) ?
                    " created" : " exists with these settings"));
            }
            return 0;
        }

        private QueueOptions withLimits(final QueueOptions options)
        {
            QueueOptions limited = options;
            if (null != maxAgeMs)
            {
                limited = limited.maxAge(Duration.ofMillis(maxAgeMs));
            }
            if (null != maxMessages)
            {
                limited = limited.maxMessages(maxMessages);
            }
            if (null != maxBytes)
            {
                limited = limited.maxBytes(maxBytes);
            }
            if (null != expired)
            {
                limited = limited.onExpiry(limitAction("--expired", expired, "dead-letter or drop"));
            }
            if (null != overflow)
            {
                limited = limited.onOverflow(
                    limitAction("--overflow", overflow, "dead-letter, drop or reject-publish"));
            }
            return limited;
        }
    }

    private static LimitAction limitAction(final String option, final String action, final String allowed)
    {
        return switch (action.toLowerCase(Locale.ROOT))
        {
            case "dead-letter" -> LimitAction.DEAD_LETTER;
            case "drop" -> LimitAction.DROP;
            case "reject-publish" -> LimitAction.REJECT_PUBLISH;
            default -> throw new IllegalArgumentException(
                option + "=" + action + " is invalid: must be " + allowed);
        };
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

        public Integer call()
        {
            GroupOptions options = GroupOptions.unset();
            try
            {
                if (null != strategy)
                {
                    options = leastOutstanding(strategy) ? options.leastOutstanding() : options.roundRobin();
                }
                if (null != deadLetterQueue)
                {
                    options = options.deadLetterQueue(deadLetterQueue);
                }
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

    private static QueueOptions withBackoff(final QueueOptions options, final String spec)
    {
        final String[] parts = spec.toLowerCase(Locale.ROOT).split(":", -1);
        try
        {
            if (parts.length == 1 && "none".equals(parts[0]))
            {
                return options.noBackoff();
            }
            if (parts.length == 2 && "fixed".equals(parts[0]))
            {
                return options.fixedBackoff(Duration.ofMillis(Long.parseLong(parts[1])));
            }
            if (parts.length == 3 && "exponential".equals(parts[0]))
            {
                return options.exponentialBackoff(
                    Duration.ofMillis(Long.parseLong(parts[1])), Duration.ofMillis(Long.parseLong(parts[2])));
            }
        }
        catch (final NumberFormatException ex)
        {
            // reported below
        }
        throw new IllegalArgumentException(
            "--backoff=" + spec + " is invalid: must be none, fixed:MS or exponential:INITIAL_MS:MAX_MS");
    }
}
