package io.ringmq.daemon.cli;

import io.ringmq.client.RingmqClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code ringmq purge QUEUE}: any queue, not only a dead-letter queue ({@code dlq purge}). */
@Command(name = "purge", description = "Drop every message QUEUE holds, in flight or not (their acks become stale); " +
    "prints: purged <n>. Exits 1 if QUEUE does not exist.")
final class PurgeCommand implements Callable<Integer>
{
    @Mixin
    ConfigOption configOption;

    @Parameters(index = "0", paramLabel = "QUEUE")
    String queue;

    public Integer call()
    {
        try (RingmqClient client = Clients.connect(configOption.load(), "ringmq-purge"))
        {
            System.out.println("purged " + client.purge(queue));
        }
        return 0;
    }
}
