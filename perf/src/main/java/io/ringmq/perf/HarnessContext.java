package io.ringmq.perf;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of an {@link IpcThroughputHarness} run. Fluent setters; defaults from system properties (constant
 * pairs below), overridable on the command line ({@code --messages 1000000}); {@link #conclude()} checks them.
 * <p>
 * The daemon settings default to the daemon's own keys ({@code -Dringmq.ring.size=16384}). Any other daemon key given
 * as a system property (e.g. {@code -Dringmq.ring.wait.strategy=YIELDING}) is passed to the daemon as it is, except
 * {@code ringmq.data.dir} and {@code ringmq.aeron.dir}: the harness always makes both fresh.
 */
public final class HarnessContext
{
    public static final String MESSAGES_PROP = "ringmq.perf.messages";
    public static final long MESSAGES_DEFAULT = 1_000_000;

    public static final String WARMUP_MESSAGES_PROP = "ringmq.perf.warmup.messages";
    public static final long WARMUP_MESSAGES_DEFAULT = 100_000;

    public static final String PAYLOAD_BYTES_PROP = "ringmq.perf.payload.bytes";
    public static final int PAYLOAD_BYTES_DEFAULT = 100;

    /** Most publishes sent and not yet receipted. */
    public static final String WINDOW_PROP = "ringmq.perf.window";
    public static final int WINDOW_DEFAULT = 8192;

    /**
     * The consumer's prefetch: most deliveries in flight to it. As many as a producer's window (and about what Artemis'
     * default 1 MiB consumer window holds of these messages): with 1,024 the acks' round trip, queued behind the
     * publishes on the ring, held the consumer below the producer's rate and every pass built a large backlog.
     */
    public static final String PREFETCH_PROP = "ringmq.perf.prefetch";
    public static final int PREFETCH_DEFAULT = 8192;

    /** Idle strategy of the producer and consumer threads when a poll finds nothing: YIELDING or BACKOFF. */
    public static final String CLIENT_IDLE_PROP = "ringmq.perf.client.idle";
    public static final String CLIENT_IDLE_DEFAULT = "YIELDING";

    /**
     * Ack inside the message handler (true) or after each poll returns, in delivery order (false). Acking inside the
     * handler lets an ack that meets back-pressure (or an Aeron term rotation) poll the client re-entrantly.
     */
    public static final String ACK_IN_HANDLER_PROP = "ringmq.perf.ack.in.handler";
    public static final boolean ACK_IN_HANDLER_DEFAULT = true;

    /** A pass that has not finished in this many seconds fails. */
    public static final String TIMEOUT_S_PROP = "ringmq.perf.timeout.s";
    public static final int TIMEOUT_S_DEFAULT = 300;

    /** Producers, each on its own client and thread. */
    public static final String PRODUCERS_PROP = "ringmq.perf.producers";
    public static final int PRODUCERS_DEFAULT = 1;

    /** Consumers, competing in one group, each on its own client and thread. */
    public static final String CONSUMERS_PROP = "ringmq.perf.consumers";
    public static final int CONSUMERS_DEFAULT = 1;

    public static final String IPC_TERM_LENGTH_PROP = "ringmq.aeron.ipc.term.length";
    public static final String IPC_TERM_LENGTH_DEFAULT = "16m";

    public static final String MAX_MESSAGE_BYTES_PROP = "ringmq.max.message.bytes";
    public static final String MAX_MESSAGE_BYTES_DEFAULT = "1m";

    public static final String RING_SIZE_PROP = "ringmq.ring.size";
    public static final int RING_SIZE_DEFAULT = 16384;

    public static final String USAGE = String.join(System.lineSeparator(),
        "usage: IpcThroughputHarness [options]   (perf/bin/run-throughput)",
        "  --messages N          measured messages (" + MESSAGES_DEFAULT + ", -D" + MESSAGES_PROP + ")",
        "  --warmup-messages N   warm-up messages on another queue, then a tenth as many on a third, then a wait",
        "                        for the JIT to settle; 0 = none (" + WARMUP_MESSAGES_DEFAULT + ")",
        "  --payload-bytes N     payload size (" + PAYLOAD_BYTES_DEFAULT + ")",
        "  --window N            publishes in flight without a receipt (" + WINDOW_DEFAULT + ")",
        "  --prefetch N          consumer prefetch (" + PREFETCH_DEFAULT + ")",
        "  --client-idle S       YIELDING or BACKOFF (" + CLIENT_IDLE_DEFAULT + ")",
        "  --ack-in-handler B    ack inside the handler (true, default: one AckBatch per poll) or after each poll",
        "  --timeout-s N         fail a pass after N seconds (" + TIMEOUT_S_DEFAULT + ")",
        "  --producers N         producers, the messages split between them (" + PRODUCERS_DEFAULT + ")",
        "  --consumers M         consumers competing in one group (" + CONSUMERS_DEFAULT + ")",
        "  --ipc-term-length S   Aeron IPC term length (" + IPC_TERM_LENGTH_DEFAULT + ", -D" + IPC_TERM_LENGTH_PROP + ")",
        "  --max-message-bytes S daemon frame limit (" + MAX_MESSAGE_BYTES_DEFAULT + ", -D" + MAX_MESSAGE_BYTES_PROP + ")",
        "  --ring-size N         Disruptor ring size (" + RING_SIZE_DEFAULT + ", -D" + RING_SIZE_PROP + ")",
        "Other daemon keys pass through as system properties, e.g. -Dringmq.ring.wait.strategy=YIELDING.");

    private long messages = Long.getLong(MESSAGES_PROP, MESSAGES_DEFAULT);
    private long warmupMessages = Long.getLong(WARMUP_MESSAGES_PROP, WARMUP_MESSAGES_DEFAULT);
    private int payloadBytes = Integer.getInteger(PAYLOAD_BYTES_PROP, PAYLOAD_BYTES_DEFAULT);
    private int window = Integer.getInteger(WINDOW_PROP, WINDOW_DEFAULT);
    private int prefetch = Integer.getInteger(PREFETCH_PROP, PREFETCH_DEFAULT);
    private String clientIdle = System.getProperty(CLIENT_IDLE_PROP, CLIENT_IDLE_DEFAULT);
    private boolean ackInHandler = Boolean.parseBoolean(
        System.getProperty(ACK_IN_HANDLER_PROP, Boolean.toString(ACK_IN_HANDLER_DEFAULT)));
    private int timeoutS = Integer.getInteger(TIMEOUT_S_PROP, TIMEOUT_S_DEFAULT);
    private int producers = Integer.getInteger(PRODUCERS_PROP, PRODUCERS_DEFAULT);
    private int consumers = Integer.getInteger(CONSUMERS_PROP, CONSUMERS_DEFAULT);
    private String ipcTermLength = System.getProperty(IPC_TERM_LENGTH_PROP, IPC_TERM_LENGTH_DEFAULT);
    private String maxMessageBytes = System.getProperty(MAX_MESSAGE_BYTES_PROP, MAX_MESSAGE_BYTES_DEFAULT);
    private int ringSize = Integer.getInteger(RING_SIZE_PROP, RING_SIZE_DEFAULT);
    private final Map<String, String> daemonSettings = new HashMap<>();
    private Progress progress = Progress.silent();

    /**
     * Applies command-line options over the current values.
     *
     * @throws IllegalArgumentException naming the option that is unknown, lacks a value or is not a number.
     */
    public HarnessContext parse(final String[] args)
    {
        for (int i = 0; i < args.length; i++)
        {
            final String option = args[i];
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException("option " + option + " needs a value\n" + USAGE);
            }
            final String value = args[++i];
            switch (option)
            {
                case "--messages" -> messages(parseLong(option, value));
                case "--warmup-messages" -> warmupMessages(parseLong(option, value));
                case "--payload-bytes" -> payloadBytes(Math.toIntExact(parseLong(option, value)));
                case "--window" -> window(Math.toIntExact(parseLong(option, value)));
                case "--prefetch" -> prefetch(Math.toIntExact(parseLong(option, value)));
                case "--client-idle" -> clientIdle(value);
                case "--ack-in-handler" -> ackInHandler(parseBoolean(option, value));
                case "--timeout-s" -> timeoutS(Math.toIntExact(parseLong(option, value)));
                case "--producers" -> producers(Math.toIntExact(parseLong(option, value)));
                case "--consumers" -> consumers(Math.toIntExact(parseLong(option, value)));
                case "--ipc-term-length" -> ipcTermLength(value);
                case "--max-message-bytes" -> maxMessageBytes(value);
                case "--ring-size" -> ringSize(Math.toIntExact(parseLong(option, value)));
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        return this;
    }

    /** Checks the values; the daemon's keys are checked again, with their own rules, when its config is built. */
    public HarnessContext conclude()
    {
        requirePositive("messages", messages);
        require(warmupMessages >= 0, "warmupMessages=" + warmupMessages + " must be >= 0");
        requirePositive("payloadBytes", payloadBytes);
        requirePositive("window", window);
        requirePositive("prefetch", prefetch);
        requirePositive("timeoutS", timeoutS);
        requirePositive("producers", producers);
        requirePositive("consumers", consumers);
        newIdleStrategy();
        return this;
    }

    /** A fresh instance each call: idle strategies keep per-thread state. */
    IdleStrategy newIdleStrategy()
    {
        return switch (clientIdle.toUpperCase(Locale.ROOT))
        {
            case "YIELDING" -> new YieldingIdleStrategy();
            case "BACKOFF" -> new BackoffIdleStrategy();
            default -> throw new IllegalArgumentException(
                "clientIdle=" + clientIdle + " must be YIELDING or BACKOFF (" + CLIENT_IDLE_PROP + ")");
        };
    }

    public HarnessContext messages(final long messages)
    {
        this.messages = messages;
        return this;
    }

    public long messages()
    {
        return messages;
    }

    public HarnessContext warmupMessages(final long warmupMessages)
    {
        this.warmupMessages = warmupMessages;
        return this;
    }

    public long warmupMessages()
    {
        return warmupMessages;
    }

    public HarnessContext payloadBytes(final int payloadBytes)
    {
        this.payloadBytes = payloadBytes;
        return this;
    }

    public int payloadBytes()
    {
        return payloadBytes;
    }

    public HarnessContext window(final int window)
    {
        this.window = window;
        return this;
    }

    public int window()
    {
        return window;
    }

    public HarnessContext prefetch(final int prefetch)
    {
        this.prefetch = prefetch;
        return this;
    }

    public int prefetch()
    {
        return prefetch;
    }

    public HarnessContext clientIdle(final String clientIdle)
    {
        this.clientIdle = clientIdle;
        return this;
    }

    public String clientIdle()
    {
        return clientIdle;
    }

    public HarnessContext ackInHandler(final boolean ackInHandler)
    {
        this.ackInHandler = ackInHandler;
        return this;
    }

    public boolean ackInHandler()
    {
        return ackInHandler;
    }

    public HarnessContext timeoutS(final int timeoutS)
    {
        this.timeoutS = timeoutS;
        return this;
    }

    public int timeoutS()
    {
        return timeoutS;
    }

    public HarnessContext producers(final int producers)
    {
        this.producers = producers;
        return this;
    }

    public int producers()
    {
        return producers;
    }

    public HarnessContext consumers(final int consumers)
    {
        this.consumers = consumers;
        return this;
    }

    public int consumers()
    {
        return consumers;
    }

    public HarnessContext ipcTermLength(final String ipcTermLength)
    {
        this.ipcTermLength = ipcTermLength;
        return this;
    }

    public String ipcTermLength()
    {
        return ipcTermLength;
    }

    public HarnessContext maxMessageBytes(final String maxMessageBytes)
    {
        this.maxMessageBytes = maxMessageBytes;
        return this;
    }

    public String maxMessageBytes()
    {
        return maxMessageBytes;
    }

    public HarnessContext ringSize(final int ringSize)
    {
        this.ringSize = ringSize;
        return this;
    }

    public int ringSize()
    {
        return ringSize;
    }

    /** A daemon key for this run only (e.g. {@code ringmq.journal.fsync}), over the JVM's system properties. */
    public HarnessContext daemonSetting(final String key, final String value)
    {
        daemonSettings.put(key, value);
        return this;
    }

    public Map<String, String> daemonSettings()
    {
        return daemonSettings;
    }

    /** Told of every message acked by the consumer. */
    public HarnessContext progress(final Progress progress)
    {
        this.progress = progress;
        return this;
    }

    public Progress progress()
    {
        return progress;
    }

    private static long parseLong(final String option, final String value)
    {
        try
        {
            return Long.parseLong(value.replace("_", "").replace(",", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("option " + option + " needs a number, not '" + value + "'");
        }
    }

    private static boolean parseBoolean(final String option, final String value)
    {
        return switch (value.toLowerCase(Locale.ROOT))
        {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("option " + option + " needs true or false, not '" + value + "'");
        };
    }

    private static void requirePositive(final String name, final long value)
    {
        require(value > 0, name + "=" + value + " must be > 0");
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
