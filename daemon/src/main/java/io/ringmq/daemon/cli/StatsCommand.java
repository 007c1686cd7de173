package io.ringmq.daemon.cli;

import io.ringmq.client.QueueStats;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.http.JsonShapes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ringmq stats QUEUE...}: one line per queue, what it holds and what its limits did. Every queue named is
 * reported; one that does not exist gets its UNKNOWN_QUEUE line on stderr and the command exits 1 after the rest.
 */
@Command(name = "stats", description = "Show what queues hold and what their limits did, one line per queue: " +
    "<queue> messages=N bytes=N inFlight=N groups=N consumers=N expired=N overflowed=N dropped=N refused=N. " +
    "Exits 1 if any queue named does not exist (after reporting the others).")
final class StatsCommand implements Callable<Integer>
{
    @Mixin
    ConfigOption configOption;

    @Parameters(arity = "1..*", paramLabel = "QUEUE")
    List<String> queues;

    @Option(names = "--json", description = "One JSON object per queue and line: queue, messages, bytes, inFlight, " +
        "groups, consumers, expired, overflowed, dropped, refused.")
    boolean json;

    public Integer call()
    {
        int failed = 0;
        try (RingmqClient client = Clients.connect(configOption.load(), "ringmq-stats"))
        {
            for (final String queue : queues)
            {
                try
                {
                    final QueueStats stats = client.stats(queue);
                    System.out.println(json ? json(queue, stats) : text(queue, stats));
                }
                catch (final RingmqException ex)
                {
                    if (null == ex.code())
                    {
                        throw ex; // the client's own failure (no daemon, a timeout): the next queue would fail too
                    }
                    failed++;
                    System.err.println("ringmq: " + queue + ": " + ex.getMessage());
                }
            }
        }
        return 0 == failed ? 0 : RingmqCli.EXIT_FAILED;
    }

    private static String text(final String queue, final QueueStats stats)
    {
        return queue + " messages=" + stats.messages() + " bytes=" + stats.bytes() + " inFlight=" +
            stats.inFlight() + " groups=" + stats.groups() + " consumers=" + stats.consumers() + " expired=" +
            stats.expired() + " overflowed=" + stats.overflowed() + " dropped=" + stats.dropped() + " refused=" +
            stats.refused();
    }

    private static String json(final String queue, final QueueStats stats)
    {
        return JsonLine.of((out) -> JsonShapes.stats(out, queue, stats));
    }
}
