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
 * <p>
 * A first standby catches up the same commands untimed, then goes: the timed one runs warm code, as a standby 10,000,000
 * commands behind (the figure) does after its first second. A cold first catch-up of 300,000 commands cost
 * twice the CPU per command of the ones after it in the same JVM (12 us against 4-7 us, measured on the development
 * machine): that is the JIT compiling the catch-up path, not the path.
 *
 * @param commands        log sequences the standby was behind (the publishes plus the session's own commands).
 * @param elapsedNs       from the standby's launch to its last log sequence reaching the primary's.
 * @param publishRate     msg/s at which the primary took the publishes (receipts awaited, window of 8,192).
 * @param cpuNs           CPU time of this process over {@code elapsedNs} (both nodes, their drivers, the probe): on a
 *                        shared machine the cost per command says more than the rate, which follows the CPU it got.
 */
public record CatchUpRate(long commands, long elapsedNs, double publishRate, long cpuNs)
{
    private static final String QUEUE = "perf-catchup";
    private static final int WINDOW = 8192;
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    public double commandsPerSecond()
    {
        return commands * 1e9 / Math.max(1, elapsedNs);
    }

    /** CPU (both nodes in this JVM) per command caught up, in microseconds. */
    public double cpuMicrosPerCommand()
    {
        return cpuNs / 1e3 / Math.max(1, commands);
    }

    public String format()
    {
        return String.format(java.util.Locale.ROOT, "catch-up: %,d commands in %,d ms, %,.0f commands/s, %.2f us " +
            "CPU per command (the primary took them at %,.0f msg/s)", commands,
            TimeUnit.NANOSECONDS.toMillis(elapsedNs), commandsPerSecond(), cpuMicrosPerCommand(), publishRate);
    }

    public static CatchUpRate measure(
        final long messages, final int payloadBytes, final Map<String, String> settings, final long timeoutS)
    {
        final LoopbackPair pair = LoopbackPair.of("none", settings);
        try (InProcessDaemon primary = InProcessDaemon.launch(pair.primary()))
        {
            final double publishRate = publish(primary, messages, payloadBytes, timeoutS);
            final long target = logSequence(primary);
            try (InProcessDaemon warmUp = pair.launchStandby())
            {
                awaitCaughtUp(warmUp, target, timeoutS);
            }
            final long startNs = System.nanoTime();
            final long startCpuNs = CpuSnapshot.processCpuTime();
            try (InProcessDaemon standby = pair.launchStandby())
            {
                awaitCaughtUp(standby, target, timeoutS);
                return new CatchUpRate(
                    target, System.nanoTime() - startNs, publishRate, CpuSnapshot.processCpuTime() - startCpuNs);
            }
        }
    }

    private static void awaitCaughtUp(final InProcessDaemon standby, final long target, final long timeoutS)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        long reached;
        while ((reached = logSequence(standby)) < target)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("the standby caught up to " + reached + " of " + target + " in " +
                    timeoutS + " s");
            }
            LockSupport.parkNanos(POLL_NS);
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
