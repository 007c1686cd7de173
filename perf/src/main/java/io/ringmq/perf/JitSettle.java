package io.ringmq.perf;

import io.ringmq.perf.process.ProcessCpu;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Waits, between a warm-up and the measured pass, for the JIT to finish the work the warm-up gave it. While the load
 * runs on 2 vCPUs, the C2 compiler thread gets a small share of them and its queue outlives the warm-up: profiled
 * with a 1.5M-message warm-up, C2 was still compiling ringmq's ingress, journal append and state machine for the first
 * time 1.5 s into the measured pass, and was 17% of the pass's CPU samples. With the load stopped the queue drains in
 * about a second. Every system in the comparison waits the same way.
 */
public final class JitSettle
{
    /** The JIT counts as settled when no compilation has finished for this long, and none is running or queued. */
    public static final long QUIET_MS = 500;
    /** The longest wait: a JIT that keeps compiling with no load is not going to stop for us. */
    public static final long MAX_WAIT_MS = 30_000;
    static final long POLL_MS = 50;

    private JitSettle()
    {
    }

    /**
     * What the wait found.
     *
     * @param waitedMs   how long it waited.
     * @param compiledMs JIT compilation time that finished while it waited (summed over the compiler threads).
     * @param settled    false if it stopped at {@link #MAX_WAIT_MS}, or the JVM does not report compilation time.
     */
    public record Settled(long waitedMs, long compiledMs, boolean settled)
    {
        public String format()
        {
            return String.format("JIT %s after %,d ms (%,d ms of compilation finished meanwhile)",
                settled ? "settled" : "still compiling", waitedMs, compiledMs);
        }
    }

    /**
     * Blocks until no JIT compilation has finished for {@link #QUIET_MS} and none is running or queued, or for
     * {@link #MAX_WAIT_MS} at most. The JVM counts a compilation's time only when it finishes, so a long one still
     * running is seen through the compiler queue (HotSpot's {@code Compiler.queue} diagnostic command), where there.
     */
    public static Settled await()
    {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (null == jit || !jit.isCompilationTimeMonitoringSupported())
        {
            return new Settled(0, 0, false);
        }
        return await(jit::getTotalCompilationTime, JitSettle::compilerBusy, System::nanoTime, JitSettle::sleepMs);
    }

    /**
     * The same wait for another process's JIT (the daemon or the broker of the deployment shape): its compiler
     * threads' CPU time stands for the finished compilations' (see {@link ProcessCpu#compilerMs()}); its compiler
     * queue cannot be read from here, so only a quiet spell counts.
     */
    public static Settled await(final ProcessCpu process)
    {
        return await(process::compilerMs, () -> false, System::nanoTime, JitSettle::sleepMs);
    }

    /**
     * The wait, over a counter of finished compilation time (ms), whether a compilation is running or queued, a clock
     * (ns) and a way to sleep (ms): polls every {@value #POLL_MS} ms.
     */
    static Settled await(
        final LongSupplier compiledMs, final BooleanSupplier compiling, final LongSupplier nanoClock,
        final LongConsumer sleepMs)
    {
        final long startNs = nanoClock.getAsLong();
        final long firstTotalMs = compiledMs.getAsLong();
        long lastTotalMs = firstTotalMs;
        long quietSinceNs = startNs;
        while (true)
        {
            sleepMs.accept(POLL_MS);
            final long nowNs = nanoClock.getAsLong();
            final long totalMs = compiledMs.getAsLong();
            if (totalMs != lastTotalMs)
            {
                lastTotalMs = totalMs;
                quietSinceNs = nowNs;
            }
            final long waitedMs = TimeUnit.NANOSECONDS.toMillis(nowNs - startNs);
            final boolean quiet = TimeUnit.NANOSECONDS.toMillis(nowNs - quietSinceNs) >= QUIET_MS;
            if ((quiet && !compiling.getAsBoolean()) || waitedMs >= MAX_WAIT_MS)
            {
                return new Settled(waitedMs, lastTotalMs - firstTotalMs, waitedMs < MAX_WAIT_MS);
            }
        }
    }

    /**
     * Whether HotSpot lists a compilation running or queued: its {@code Compiler.queue} output names each task's
     * method as {@code Class::method}. False where the diagnostic command is missing (then only finished
     * compilations count).
     */
    private static boolean compilerBusy()
    {
        try
        {
            final Object queue = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerQueue", new Object[] {null},
                new String[] {String[].class.getName()});
            return queue instanceof String && ((String)queue).contains("::");
        }
        catch (final JMException | RuntimeException ex)
        {
            return false;
        }
    }

    private static void sleepMs(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the JIT to settle", ex);
        }
    }
}
