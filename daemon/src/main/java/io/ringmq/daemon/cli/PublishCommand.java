package io.ringmq.daemon.cli;

import io.ringmq.client.OutgoingMessage;
import io.ringmq.client.Producer;
import io.ringmq.client.Publisher;
import io.ringmq.client.ReceiptListener;
import io.ringmq.client.RingmqClient;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.ProducerIds;
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

    @Option(names = "--count", description = "Number of messages (default 1).")
    Long countOption;

    @Option(names = "--payload", paramLabel = "TEXT",
        description = "Payload of every message. Default: message-<n> with n from 1.")
    String payload;

    @Option(names = "--payload-file", paramLabel = "FILE",
        description = "One message per line of FILE (- for stdin), instead of --count and --payload.")
    String payloadFile;

    @Option(names = {"-q", "--quiet"}, description = "No receipt lines; the summary and failures still go to stderr.")
    boolean quiet;

    @Option(names = "--header", paramLabel = "K=V",
        description = "A header of every message, text value (repeat for more; a key at most once).")
    java.util.List<String> headers = new java.util.ArrayList<>();

    @Option(names = "--id", paramLabel = "ID",
        description = "Message id of every message (at most 128 bytes): a second publish of it to the queue within " +
            "ringmq.dedup.id.window gets the first one's receipt and is not enqueued again.")
    String messageId;

    @Option(names = "--producer-id", paramLabel = "P",
        description = "Publish idempotently as this producer (1 to 2^62-1); with --producer-seq.")
    Long producerId;

    @Option(names = "--producer-seq", paramLabel = "N",
        description = "Producer sequence of the first message (the next ones count up from it): a publish whose " +
            "producer and sequence were applied within ringmq.dedup.window gets the original receipt.")
    Long producerSequence;

    @Option(names = "--priority", paramLabel = "P",
        description = "Priority of every message, 0 (lowest) to 9 (highest); default 4. A group delivers higher first.")
    Integer priority;

    @Option(names = "--delay-ms", converter = Millis.class, paramLabel = "D",
        description = "Hold every message this long after it is stored before any group sees it, e.g. 500ms, 10s " +
            "(a bare number is ms). Not with --deliver-at.")
    Long delayMs;

    @Option(names = "--deliver-at", paramLabel = "ISO-8601",
        description = "Hold every message until this time, e.g. 2026-12-07T10:15:30Z. Not with --delay-ms.")
    String deliverAt;

    @Option(names = "--ttl-ms", converter = Millis.class, paramLabel = "T",
        description = "Every message expires this long after it is stored, delivered or not, e.g. 30s (a bare number " +
            "is ms): dead-lettered or dropped per the queue's expired action, as its max age does.")
    Long ttlMs;

    @Option(names = {"--timeout", "--timeout-ms"}, defaultValue = "10s", converter = Millis.class,
        paramLabel = "DURATION", description = "How long to wait for outstanding receipts after the last publish, e.g. 500ms, 10s (a bare number is ms; default 10s).")
    long timeoutMs;

    public Integer call()
    {
        if (null != payloadFile && (null != countOption || null != payload))
        {
            throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "--payload-file gives the messages: not with --count or --payload");
        }
        final long count = null == countOption ? 1 : countOption;
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
                spec.commandLine(), "--timeout must be at least 1ms, was " + timeoutMs + "ms");
        }
        if ((null == producerId) != (null == producerSequence))
        {
            throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "--producer-id and --producer-seq go together");
        }
        final OutgoingMessage message = message();
        final Producer producer = null == producerId ? null : producer();
        final RingmqConfig config = configOption.load();
        final PrintStream out = System.out;
        final long[] received = {0};
        final int[] errors = {0};
        long sent = 0;
        final long startNs = System.nanoTime();
        final TerminalProgress progress = TerminalProgress.onStderr("published", quiet);

        try
        {
            try (RingmqClient client = Clients.connect(config, "ringmq-publish");
                PayloadSource payloads = null == payloadFile ? PayloadSource.counted(count, payload) :
                    PayloadSource.lines(payloadFile))
            {
                final Publisher publisher = client.publisher(queue, new ReceiptListener()
                {
                    public void onReceipt(final long correlationId, final long sequence)
                    {
                        received[0]++;
                        if (!quiet)
                        {
                            out.print(queue);
                            out.print(' ');
                            out.println(sequence);
                        }
                    }

                    public void onError(final long correlationId, final ErrorCode code, final String message)
                    {
                        errors[0]++;
                        progress.clear();
                        System.err.println("ringmq: publish refused: " + code + ": " + message);
                    }
                });
                if (null != producer)
                {
                    publisher.idempotent(producer);
                }
                else if (!config.clientNodes().isEmpty() && 0 != client.issuedProducerId())
                {
                    // Following a pair: a publish the failover leaves unreceipted is sent again, and must not be stored
                    // twice, so the messages go as the producer the daemon issued this session.
                    publisher.idempotent(new Producer(client.issuedProducerId()));
                }

                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
                byte[] bytes;
                while (null != (bytes = payloads.next()))
                {
                    buffer.wrap(bytes);
                    publisher.publish(buffer, 0, bytes.length, message);
                    sent++; // after: a publish that throws was not sent
                    client.poll();
                    progress.update(received[0]);
                }

                final IdleStrategy idle = new BackoffIdleStrategy();
                final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
                while (received[0] + errors[0] < sent && System.nanoTime() - deadlineNs < 0)
                {
                    if (0 == client.poll())
                    {
                        idle.idle();
                    }
                    progress.update(received[0]);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            if (0 == sent)
            {
                throw ex;
            }
            // What was sent may be stored, receipted or not: the failure line says how many, as the timeout's does.
            out.flush();
            progress.clear();
            Summary.print("published", received[0], System.nanoTime() - startNs);
            System.err.println("ringmq: " + RingmqCli.sentence(ex) + "; " +
                receiptsLine(sent, received[0], errors[0], ""));
            return RingmqCli.EXIT_FAILED;
        }
        out.flush();
        progress.clear();
        Summary.print("published", received[0], System.nanoTime() - startNs);
        if (received[0] < sent)
        {
            System.err.println("ringmq: " + receiptsLine(sent, received[0], errors[0], " before the timeout"));
            return RingmqCli.EXIT_FAILED;
        }
        return 0;
    }

    /**
     * How many of the messages sent were receipted or refused, and, if some got no answer, that they may be stored
     * all the same: a missing receipt is no proof either way, and a plain retry may store a message twice.
     *
     * @param when what the messages without an answer got none before (" before the timeout"), or "".
     */
    static String receiptsLine(final long sent, final long received, final long refused, final String when)
    {
        final long missing = sent - received - refused;
        return received + " of " + sent + " receipts came back" + (refused > 0 ? " (" + refused + " refused)" : "") +
            (missing > 0 ? "; " + missing + " got no answer" + when + ", which does not mean they were not stored: " +
            "publish them again with the same --producer-id and --producer-seq (or --id), or a retry may store them " +
            "twice" : "");
    }

    /** The headers, id and delivery control every message carries, from the options; a bad one is a usage error. */
    private OutgoingMessage message()
    {
        final OutgoingMessage message = new OutgoingMessage();
        try
        {
            HeaderOptions.addTo(message, headers);
            if (null != messageId)
            {
                message.messageId(messageId);
            }
            DeliveryControlOptions.applyTo(message, priority, delayMs, deliverAt, ttlMs);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        return message;
    }

    private Producer producer()
    {
        if (producerId < 1 || producerId > ProducerIds.MAX_CHOSEN || producerSequence < 0)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--producer-id must be " +
                "1 to " + ProducerIds.MAX_CHOSEN + " and --producer-seq at least 0, were " + producerId + " and " +
                producerSequence);
        }
        return new Producer(producerId, producerSequence);
    }
}
