package io.ringmq.daemon.cli;

import io.ringmq.client.OutgoingMessage;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.config.RingmqConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "request",
    description = "Send a request to a queue and print its reply's payload. Exits 1 when no reply comes in time.")
final class RequestCommand implements Callable<Integer>
{
    @Mixin
    ConfigOption configOption;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUEUE", description = "Queue the repliers answer on.")
    String queue;

    @Parameters(index = "1", paramLabel = "PAYLOAD", description = "The request's payload (text).")
    String payload;

    @Option(names = "--header", paramLabel = "K=V", description = "A header of the request (repeat for more).")
    List<String> headers = new ArrayList<>();

    @Option(names = {"--timeout", "--timeout-ms"}, defaultValue = "10s", converter = Millis.class,
        paramLabel = "DURATION", description = "How long to wait for the reply, e.g. 500ms, 10s (a bare number is ms; default 10s).")
    long timeoutMs;

    public Integer call()
    {
        if (timeoutMs < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout-ms must be at least 1");
        }
        final OutgoingMessage message;
        try
        {
            message = HeaderOptions.addTo(new OutgoingMessage(), headers);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        final RingmqConfig config = configOption.load();
        try (RingmqClient client = Clients.connect(config, "ringmq-request"))
        {
            System.out.println(client.requester(queue).requestAndWait(payload, message, timeoutMs));
            return 0;
        }
        catch (final RingmqException ex)
        {
            if (ErrorCode.REQUEST_TIMEOUT != ex.code())
            {
                throw ex;
            }
            System.err.println("ringmq: no reply from queue '" + queue + "' within " + timeoutMs + " ms");
            return RingmqCli.EXIT_FAILED;
        }
    }
}
