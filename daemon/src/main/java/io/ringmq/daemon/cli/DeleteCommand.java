package io.ringmq.daemon.cli;

import io.ringmq.client.RingmqClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/**
 * {@code ringmq delete queue QUEUE [--force]} and {@code ringmq delete group QUEUE GROUP [--force]}: journaled, so a
 * restart or the standby deletes the same. Refused (HAS_CONSUMERS, exit 1) while consumers are attached, unless
 * forced.
 */
@Command(name = "delete", description = "Delete a queue or a consumer group.",
    subcommands = {DeleteCommand.Queue.class, DeleteCommand.Group.class})
final class DeleteCommand
{
    @Command(name = "queue", description = "Delete QUEUE with its messages and groups (its dead-letter queue stays); " +
        "prints: deleted <n> (messages dropped). Exits 1 if it has consumers attached, unless --force.")
    static final class Queue implements Callable<Integer>
    {
        @Mixin
        ConfigOption configOption;

        @Parameters(index = "0", paramLabel = "QUEUE")
        String queue;

        @Option(names = "--force", description = "Even with consumers attached: they are detached.")
        boolean force;

        public Integer call()
        {
            try (RingmqClient client = Clients.connect(configOption.load(), "ringmq-delete"))
            {
                System.out.println("deleted " + client.deleteQueue(queue, force));
            }
            return 0;
        }
    }

    @Command(name = "group", description = "Delete GROUP of QUEUE: messages only it still needed leave the queue; " +
        "prints: deleted <n> (messages freed). Exits 1 if it has consumers attached, unless --force.")
    static final class Group implements Callable<Integer>
    {
        @Mixin
        ConfigOption configOption;

        @Parameters(index = "0", paramLabel = "QUEUE")
        String queue;

        @Parameters(index = "1", paramLabel = "GROUP")
        String group;

        @Option(names = "--force", description = "Even with consumers attached: they are detached.")
        boolean force;

        public Integer call()
        {
            try (RingmqClient client = Clients.connect(configOption.load(), "ringmq-delete"))
            {
                System.out.println("deleted " + client.deleteGroup(queue, group, force));
            }
            return 0;
        }
    }
}
