package io.ringmq.perf.process;

import io.ringmq.perf.idle.IdleCpuHarness;
import io.ringmq.perf.idle.IdleCpuReport;
import io.ringmq.perf.idle.ThreadCpuTimes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The CPU time of another process (the daemon or the Artemis broker of the deployment shape), read from Linux's
 * {@code /proc} without disturbing it: the whole process's for CPU per message, each thread's to say where it went,
 * and its JIT compiler threads' to tell when its warm-up has been compiled. Linux only: elsewhere the readings are -1.
 */
public final class ProcessCpu
{
    private static final Path PROC = Path.of("/proc");
    /** HotSpot's compiler threads are "C1 CompilerThread0", "C2 CompilerThread1"...; /proc keeps 15 characters. */
    private static final String COMPILER_THREAD = "CompilerThre";

    private final Path procRoot;
    private final long pid;
    private final long ticksPerSecond;

    public ProcessCpu(final long pid)
    {
        this(PROC, pid, IdleCpuHarness.clockTicksPerSecond());
    }

    ProcessCpu(final Path procRoot, final long pid, final long ticksPerSecond)
    {
        this.procRoot = procRoot;
        this.pid = pid;
        this.ticksPerSecond = ticksPerSecond;
    }

    public long pid()
    {
        return pid;
    }

    /** CPU time of the whole process so far, every thread's (ended ones too), ns; -1 where /proc cannot tell. */
    public long cpuNs()
    {
        try
        {
            final String stat = Files.readString(procRoot.resolve(Long.toString(pid)).resolve("stat"),
                StandardCharsets.UTF_8);
            return ThreadCpuTimes.cpuTicks(stat) * 1_000_000_000L / ticksPerSecond;
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    /** Each live thread's CPU time now. */
    public ThreadCpuTimes threads()
    {
        return ThreadCpuTimes.read(procRoot, pid);
    }

    /**
     * CPU time its JIT compiler threads have used so far, ms: it grows while the JIT compiles and stands still once
     * it is done, which is what {@link io.ringmq.perf.JitSettle} waits for (the finished compilations' own counter is
     * readable only inside that JVM).
     */
    public long compilerMs()
    {
        long ticks = 0;
        for (final ThreadCpuTimes.Thread thread : threads().threads().values())
        {
            if (thread.name().contains(COMPILER_THREAD))
            {
                ticks += thread.ticks();
            }
        }
        return ticks * 1000 / ticksPerSecond;
    }

    /**
     * One line on where its CPU went between two readings: cores used, then the busiest threads with each one's share
     * of one core, e.g. {@code 1.10 cores | ringmq-ring 88%, aeron-driver 12%}.
     */
    public String since(final ThreadCpuTimes before, final ThreadCpuTimes after, final int threadCount)
    {
        final IdleCpuReport report = new IdleCpuReport(before, after, ticksPerSecond);
        final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%.2f cores |",
            report.totalPercent() / 100));
        for (int i = 0; i < Math.min(threadCount, report.rows().size()); i++)
        {
            final IdleCpuReport.Row row = report.rows().get(i);
            line.append(i == 0 ? " " : ", ").append(row.name()).append(' ').append(Math.round(row.percentOfCore()))
                .append('%');
        }
        return line.toString();
    }
}
