package io.ringmq.daemon.cli;

import io.ringmq.client.Publisher;
import io.ringmq.client.ReceiptListener;
import io.ringmq.client.RingmqClient;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.config.RingmqConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "publish",
    description = "Publish messages and print one line per receipt: <queue> <seq>. Exits 0 only if every receipt came back.")
final class PublishCommand implements Callable<Integer>
{
    @Mixin
    ConfigOption configOption;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUEUE", description = "Queue to publish to (created on first use).")
    String queue;

    @Option(names = "--count", defaultValue = "1", description = "Number of messages (default ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--payload", paramLabel = "TEXT",
        description = "Payload of every message. Default: message-<n> with n from 1.")
    String payload;

    @Option(names = "--timeout-ms", defaultValue = "10000",
        description = "How long to wait for outstanding receipts after the last publish (default ${DEFAULT-VALUE}).")
    long timeoutMs;

    public Integer call()
    {
        if (count < 1)
        {
            throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "--count must be at least 1, was " + count);
        }
        if (timeoutMs < 1)
        {
            // A publish is stored whether or not anyone waits for its receipt: with no time to wait, every message
            // would be stored and then reported as failed, inviting a retry that stores it twice.
            throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "--timeout-ms must be at least 1, was " + timeoutMs);
        }
        final RingmqConfig config = configOption.load();
        final PrintStream out = System.out;
        final long[] received = {0};
        final int[] errors = {0};

        try (RingmqClient client = Clients.connect(config, "ringmq-publish"))
        {
            final Publisher publisher = client.publisher(queue, new ReceiptListener()
            {
                public void onReceipt(final long correlationId, final long sequence)
                {
                    received[0]++;
                    out.print(queue);
                    out.print(' ');
                    out.println(sequence);
                }

                public void onError(final long correlationId, final ErrorCode code, final String message)
                {
                    errors[0]++;
                    System.err.println("ringmq: publish refused: " + code + ": " + message);
                }
            });

            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
            for (long i = 1; i <= count; i++)
            {
                final byte[] bytes = (null != payload ? payload : "message-" + i).getBytes(StandardCharsets.UTF_8);
                buffer.wrap(bytes);
                publisher.publish(buffer, 0, bytes.length);
                client.poll();
            }

            final IdleStrategy idle = new BackoffIdleStrategy();
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (received[0] + errors[0] < count && System.nanoTime() - deadlineNs < 0)
            {
                if (0 == client.poll())
                {
                    idle.idle();
                }
            }
        }
        out.flush();
        if (received[0] < count)
        {
            final long missing = count - received[0] - errors[0];
            System.err.println("ringmq: " + received[0] + " of " + count + " receipts came back" +
                (errors[0] > 0 ? " (" + errors[0] + " refused)" : "") + (missing > 0 ? "; " + missing +
                " got no answer before the timeout, which does not mean they were not stored: check before " +
                "publishing them again, or a retry may store them twice" : ""));
            return RingmqCli.EXIT_FAILED;
        }
        return 0;
    }
}
