package io.ringmq.daemon.cli;

import io.ringmq.client.QueueConsumer;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.config.RingmqConfig;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "reply",
    description = "A demo replier: answer each request on a queue with its payload upper-cased, printing " +
        "<seq><TAB><payload> per request; exits 0 after --count requests, else runs until interrupted. A QUEUE that " +
        "does not exist is refused (UNKNOWN_QUEUE, exit 1) unless --create creates it (a replier started before any " +
        "requester).")
final class ReplyCommand implements Callable<Integer>
{
    @Mixin
    ConfigOption configOption;

    @Mixin
    CreateQueueOption createOption;

    @Spec
    CommandSpec spec;

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
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1");
        }
        final RingmqConfig config = configOption.load();
        final long limit = null == count ? Long.MAX_VALUE : count;
        final long[] answered = {0};
        try (RingmqClient client = Clients.connect(config, "ringmq-reply"))
        {
            // Ctrl-C or SIGTERM closes the session (the try's close): a request delivered and not yet answered goes
            // back at once, to another replier, instead of waiting out the session timeout with a ghost.
            final StopSignals stopSignal = StopSignals.install(new CountDownLatch(1));
            final QueueConsumer replier = attach(client, answered);
            if (null != count)
            {
                // It pulls: credit for exactly the requests it will answer, so none is left in flight.
                replier.grant((int)Math.min(limit, Integer.MAX_VALUE));
            }
            final IdleStrategy idle = new BackoffIdleStrategy();
            while (answered[0] < limit && !stopSignal.received())
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
            System.out.flush();
            if (stopSignal.received())
            {
                System.err.println("ringmq: stopped by " + stopSignal.firstSignal() + " after " + answered[0] +
                    " requests");
                return stopSignal.exitCode();
            }
        }
        return 0;
    }

    /** Attaches the replier, creating the queue only with --create. */
    private QueueConsumer attach(final RingmqClient client, final long[] answered)
    {
        try
        {
            return client.consumer(queue, group, null == count ? 16 : 0, 0, createOption.create, (request) ->
            {
                final String payload = request.payloadAsString();
                System.out.println(request.sequence() + "\t" + PayloadFormat.escapeForLine(payload));
                request.reply(payload.toUpperCase(Locale.ROOT));
                answered[0]++;
            });
        }
        catch (final RingmqException ex)
        {
            throw CreateQueueOption.sayHowToCreate(ex, "reply", queue);
        }
    }
}
