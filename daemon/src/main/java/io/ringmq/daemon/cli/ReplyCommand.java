package io.ringmq.daemon.cli;

import io.ringmq.client.RingmqClient;
import io.ringmq.config.RingmqConfig;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "reply",
    description = "A demo replier: answer each request on a queue with its payload upper-cased, printing " +
        "<seq><TAB><payload> per request; exits 0 after --count requests, else runs until interrupted. Creates QUEUE " +
        "if it does not exist: a replier serves its queue, so it may start before any requester.")
final class ReplyCommand implements Callable<Integer>
{
    @Mixin
    ConfigOption configOption;

    @Parameters(index = "0", paramLabel = "QUEUE", description = "Queue to answer requests on.")
    String queue;

    @Option(names = "--group", defaultValue = "repliers",
        description = "Group of repliers (default ${DEFAULT-VALUE}): repliers in one group share the requests.")
    String group;

    @Option(names = "--count", description = "Exit 0 after answering this many requests. Default: run until interrupted.")
    Long count;

    public Integer call()
    {
        if (null != count && count < 1)
        {
            throw new CommandLine.ParameterException(new CommandLine(this), "--count must be at least 1");
        }
        final RingmqConfig config = configOption.load();
        final long limit = null == count ? Long.MAX_VALUE : count;
        final long[] answered = {0};
        try (RingmqClient client = Clients.connect(config, "ringmq-reply"))
        {
            // A replier creates the queue it serves (the one CLI consumer that does, like an RPC server declaring its
            // queue): started first, it must be there for the first request; consume refuses an unknown queue.
            // With --count it pulls: credit for exactly the requests it will answer, so none is left in flight.
            final var replier = client.consumer(queue, group, null == count ? 16 : 0, 0, (request) ->
            {
                final String payload = request.payloadAsString();
                System.out.println(request.sequence() + "\t" + payload);
                request.reply(payload.toUpperCase(Locale.ROOT));
                answered[0]++;
            });
            if (null != count)
            {
                replier.grant((int)Math.min(limit, Integer.MAX_VALUE));
            }
            final IdleStrategy idle = new BackoffIdleStrategy();
            while (answered[0] < limit)
            {
                if (0 == client.poll())
                {
                    idle.idle();
                }
                else
                {
                    idle.reset();
                }
            }
        }
        System.out.flush();
        return 0;
    }
}
