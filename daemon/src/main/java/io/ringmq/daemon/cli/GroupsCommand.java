package io.ringmq.daemon.cli;

import io.ringmq.client.GroupListing;
import io.ringmq.client.RingmqClient;
import io.ringmq.core.state.Spelling;
import io.ringmq.http.JsonShapes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/**
 * {@code ringmq groups QUEUE [--json]}: the consumer groups of one queue (a query, like {@code queues}). A group with
 * no consumers and a growing lag is one that pins messages: {@code ringmq delete group} frees them.
 */
@Command(name = "groups", description = "List a queue's consumer groups, one line each: " +
    "<group> lag=N consumers=N inFlight=N strategy=round-robin|least-outstanding dlq=NAME filtered=N " +
    "[filter=EXPR]. Exits 1 if QUEUE does not exist.")
final class GroupsCommand implements Callable<Integer>
{
    @Mixin
    ConfigOption configOption;

    @Parameters(index = "0", paramLabel = "QUEUE")
    String queue;

    @Option(names = "--json", description = "One JSON object per group and line, fields named as in the text " +
        "(queue, group, lag, consumers, inFlight, strategy, dlq, filtered, filter: null for none).")
    boolean json;

    public Integer call()
    {
        try (RingmqClient client = Clients.connect(configOption.load(), "ringmq-groups"))
        {
            for (final GroupListing group : client.groups(queue))
            {
                System.out.println(json ? json(queue, group) : text(group));
            }
        }
        return 0;
    }

    private static String text(final GroupListing group)
    {
        return group.name() + " lag=" + group.lag() + " consumers=" + group.consumers() + " inFlight=" +
            group.inFlight() + " strategy=" + Spelling.of(group.strategy()) + " dlq=" + group.deadLetterQueue() +
            " filtered=" + group.filtered() + (group.filter().isEmpty() ? "" : " filter=" + group.filter());
    }

    private static String json(final String queue, final GroupListing group)
    {
        return JsonLine.of((out) -> JsonShapes.group(out, queue, group));
    }
}
