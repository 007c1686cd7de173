package io.ringmq.daemon.cli;

import io.ringmq.client.QueueListing;
import io.ringmq.client.RingmqClient;
import io.ringmq.core.state.Spelling;
import io.ringmq.http.JsonShapes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/**
 * {@code ringmq queues [PATTERN] [--json]}: every queue the pattern matches, dead-letter queues included, in creation
 * order. A query: the daemon answers it in order with every other command and journals nothing.
 */
@Command(name = "queues", description = "List queues (dead-letter queues included) whose names match PATTERN, one " +
    "line each: <queue> depth=N inFlight=N groups=N consumers=N dlqDepth=N visibilityTimeoutMs=N maxAttempts=N " +
    "backoff=none|fixed|exponential strategy=round-robin|least-outstanding retained=N retainedBytes=N delayMs=N (dlqDepth=- when <queue>.dlq does not exist; " +
    "retained: consumed messages the queue keeps for a seek back, counted in depth; delayMs: the default delay, 0 " +
    "for none).")
final class QueuesCommand implements Callable<Integer>
{
    @Mixin
    ConfigOption configOption;

    @Parameters(index = "0", arity = "0..1", defaultValue = "", paramLabel = "PATTERN",
        description = "* matches any run of characters, ? one (quote it from the shell). Default: every queue.")
    String pattern;

    @Option(names = "--json", description = "One JSON object per queue and line, fields named as in the text " +
        "(queue, depth, ...; dlqDepth null when there is no dead-letter queue).")
    boolean json;

    public Integer call()
    {
        try (RingmqClient client = Clients.connect(configOption.load(), "ringmq-queues"))
        {
            for (final QueueListing queue : client.queues(pattern))
            {
                System.out.println(json ? json(queue) : text(queue));
            }
        }
        return 0;
    }

    private static String text(final QueueListing queue)
    {
        return queue.name() + " depth=" + queue.depth() + " inFlight=" + queue.inFlight() + " groups=" +
            queue.groups() + " consumers=" + queue.consumers() + " dlqDepth=" +
            (queue.dlqDepth() < 0 ? "-" : String.valueOf(queue.dlqDepth())) + " visibilityTimeoutMs=" +
            queue.visibilityTimeoutMs() + " maxAttempts=" + queue.maxAttempts() + " backoff=" + Spelling.of(queue.backoff()) +
            " strategy=" + Spelling.of(queue.strategy()) + " retained=" + queue.retained() + " retainedBytes=" +
            queue.retainedBytes() + " delayMs=" + queue.delayMs();
    }

    private static String json(final QueueListing queue)
    {
        return JsonLine.of((out) -> JsonShapes.queue(out, queue));
    }
}
