package io.ringmq.perf;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of this process and of each of its threads at one instant. The difference of two snapshots says where
 * the CPU went during a run: which threads (ring, ingress, media driver, clients) were busy, and how many of the
 * machine's cores the process used.
 */
public final class CpuSnapshot
{
    private final long nanoTime;
    private final long processCpuNs;
    private final Map<Long, Long> threadCpuNs = new HashMap<>();
    private final Map<Long, String> threadNames = new HashMap<>();

    private CpuSnapshot()
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        nanoTime = System.nanoTime();
        processCpuNs = processCpuTime();
        for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds()))
        {
            if (null != info)
            {
                final long cpuNs = threads.getThreadCpuTime(info.getThreadId());
                if (cpuNs >= 0)
                {
                    threadCpuNs.put(info.getThreadId(), cpuNs);
                    threadNames.put(info.getThreadId(), info.getThreadName());
                }
            }
        }
    }

    static CpuSnapshot take()
    {
        return new CpuSnapshot();
    }

    /**
     * One line: cores used by the process between {@code before} and this snapshot, then the busiest threads with
     * the share of one core each used, then what no Java thread accounts for (JIT compiler and GC threads), e.g.
     * {@code process 1.85 of 2 cores | threads (% of one core): ringmq-ring#21 62%, ... | JIT+GC+other 12%}.
     */
    String since(final CpuSnapshot before, final int threadCount)
    {
        final double elapsedNs = Math.max(1, nanoTime - before.nanoTime);
        final List<Map.Entry<String, Long>> busiest = new ArrayList<>();
        threadCpuNs.forEach((id, cpuNs) ->
            busiest.add(Map.entry(threadNames.get(id) + "#" + id, cpuNs - before.threadCpuNs.getOrDefault(id, 0L))));
        busiest.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        final long threadsNs = busiest.stream().mapToLong(Map.Entry::getValue).sum();

        final StringBuilder line = new StringBuilder();
        final long processNs = processCpuNs - before.processCpuNs;
        if (processCpuNs >= 0 && before.processCpuNs >= 0)
        {
            line.append(String.format("process %.2f of %d cores | ",
                processNs / elapsedNs, Runtime.getRuntime().availableProcessors()));
        }
        line.append("threads (% of one core):");
        for (int i = 0; i < Math.min(threadCount, busiest.size()); i++)
        {
            final Map.Entry<String, Long> entry = busiest.get(i);
            line.append(i == 0 ? " " : ", ").append(entry.getKey()).append(' ').append(percent(entry.getValue(), elapsedNs));
        }
        if (processCpuNs >= 0 && before.processCpuNs >= 0)
        {
            line.append(" | JIT+GC+other ").append(percent(Math.max(0, processNs - threadsNs), elapsedNs));
        }
        return line.toString();
    }

    private static String percent(final long cpuNs, final double elapsedNs)
    {
        return Math.round(100 * cpuNs / elapsedNs) + "%";
    }

    /** CPU time the whole process used between {@code before} and this snapshot, ns; -1 where unknown. */
    long processCpuNsSince(final CpuSnapshot before)
    {
        return processCpuNs >= 0 && before.processCpuNs >= 0 ? processCpuNs - before.processCpuNs : -1;
    }

    /** The process's CPU time so far, all threads, ns; -1 where the JVM cannot tell. */
    public static long processCpuTime()
    {
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean)
        {
            return ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime();
        }
        return -1;
    }
}
