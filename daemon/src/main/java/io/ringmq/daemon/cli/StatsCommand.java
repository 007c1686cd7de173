package io.ringmq.daemon.cli;

import io.ringmq.client.QueueStats;
import io.ringmq.client.RingmqClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ringmq stats QUEUE...}: one line per queue, what it holds and what its limits did. A queue that does not exist
 * fails with UNKNOWN_QUEUE (exit 1).
 */
@Command(name = "stats", description = "Show what queues hold and what their limits did, one line per queue: " +
    "<queue> messages=N bytes=N inFlight=N groups=N consumers=N expired=N overflowed=N dropped=N refused=N.")
final class StatsCommand implements Callable<Integer>
{
    @Mixin
    ConfigOption configOption;

    @Parameters(arity = "1..*", paramLabel = "QUEUE")
    List<String> queues;

    public Integer call()
    {
        try (RingmqClient client = Clients.connect(configOption.load(), "ringmq-stats"))
        {
            for (final String queue : queues)
            {
                final QueueStats stats = client.stats(queue);
                System.out.println(queue + " messages=" + stats.messages() + " bytes=" + stats.bytes() +
                    " inFlight=" + stats.inFlight() + " groups=" + stats.groups() + " consumers=" + stats.consumers() +
                    " expired=" + stats.expired() + " overflowed=" + stats.overflowed() + " dropped=" +
                    stats.dropped() + " refused=" + stats.refused());
            }
        }
        return 0;
    }
}
