package io.ringmq.perf;

import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How fast a standby that starts {@code commands} behind catches up: a primary (replication mode {@code none}, so it
 * does not wait for the absent standby) takes that many publishes through a {@link StampedProducer}, then a fresh
 * standby starts in this JVM and the clock runs from its launch until its last log sequence reaches the primary's.
 * The rate therefore includes the standby's start (recovery of an empty journal, connecting): a lower bound of the
 * catch-up stream's own rate. Both nodes run the given settings (the comparison's idle strategy, fsync off).
 *
 * @param commands        log sequences the standby was behind (the publishes plus the session's own commands).
 * @param elapsedNs       from the standby's launch to its last log sequence reaching the primary's.
 * @param publishRate     msg/s at which the primary took the publishes (receipts awaited, window of 8,192).
 */
public record CatchUpRate(long commands, long elapsedNs, double publishRate)
{
    private static final String QUEUE = "perf-catchup";
    private static final int WINDOW = 8192;
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    public double commandsPerSecond()
    {
        return commands * 1e9 / Math.max(1, elapsedNs);
    }

    public String format()
    {
        return String.format(java.util.Locale.ROOT, "catch-up: %,d commands in %,d ms, %,.0f commands/s (the " +
            "primary took them at %,.0f msg/s)", commands, TimeUnit.NANOSECONDS.toMillis(elapsedNs),
            commandsPerSecond(), publishRate);
    }

    public static CatchUpRate measure(
        final long messages, final int payloadBytes, final Map<String, String> settings, final long timeoutS)
    {
        final LoopbackPair pair = LoopbackPair.of("none", settings);
        try (InProcessDaemon primary = InProcessDaemon.launch(pair.primary()))
        {
            final double publishRate = publish(primary, messages, payloadBytes, timeoutS);
            final long target = logSequence(primary);
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
            final long startNs = System.nanoTime();
            try (InProcessDaemon standby = pair.launchStandby())
            {
                long reached;
                while ((reached = logSequence(standby)) < target)
                {
                    if (System.nanoTime() - deadlineNs > 0)
                    {
                        throw new IllegalStateException("the standby caught up to " + reached + " of " + target +
                            " in " + timeoutS + " s");
                    }
                    LockSupport.parkNanos(POLL_NS);
                }
                return new CatchUpRate(target, System.nanoTime() - startNs, publishRate);
            }
        }
    }

    /** @return the publish rate (msg/s, first publish to last receipt). */
    private static double publish(
        final InProcessDaemon primary, final long messages, final int payloadBytes, final long timeoutS)
    {
        try (ClientThread producerThread = new ClientThread("perf-catchup-producer",
            primary.clientContext("perf-catchup-producer", new YieldingIdleStrategy()), timeoutS))
        {
            final PassControl control = new PassControl(TimeUnit.SECONDS.toNanos(timeoutS));
            control.consumerReady(); // the messages wait in the queue: nobody consumes them
            final long startNs = System.nanoTime();
            ClientThread.await(producerThread.submit(new StampedProducer(control, new YieldingIdleStrategy(), QUEUE,
                0, messages, WINDOW, payloadBytes)), timeoutS);
            RingmqLatencyHarness.requireSuccess(control, "the catch-up run's publishes");
            return messages * 1e9 / Math.max(1, System.nanoTime() - startNs);
        }
    }

    /**
     * Where the node's state stands, read without the status's digest: polled each millisecond, a digest (a walk of
     * the whole state, the dispatcher waiting for it) would slow the very catch-up it times.
     */
    private static long logSequence(final InProcessDaemon daemon)
    {
        try
        {
            return daemon.daemon().appliedLogSequence();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }
}
