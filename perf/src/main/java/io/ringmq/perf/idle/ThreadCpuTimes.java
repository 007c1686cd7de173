package io.ringmq.perf.idle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time each thread of a process had used at one instant, read from Linux's {@code /proc/<pid>/task/<tid>/stat}
 * (utime + stime, in clock ticks) with the thread's name from {@code comm} (the first 15 characters of the Java
 * thread's name). Reads another process without disturbing it: no agent, no JMX, the way {@code top -H} does.
 */
public record ThreadCpuTimes(long nanoTime, Map<Integer, Thread> threads)
{
    /** A thread's name and its CPU time so far, in clock ticks. */
    public record Thread(String name, long ticks)
    {
    }

    public static ThreadCpuTimes read(final Path procRoot, final long pid)
    {
        final long nanoTime = System.nanoTime();
        final Map<Integer, Thread> threads = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(procRoot.resolve(Long.toString(pid)).resolve("task")))
        {
            for (final Path task : tasks.toList())
            {
                try
                {
                    final String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
                    final long ticks = cpuTicks(Files.readString(task.resolve("stat"), StandardCharsets.UTF_8));
                    threads.put(Integer.parseInt(task.getFileName().toString()), new Thread(name, ticks));
                }
                catch (final NoSuchFileException ex)
                {
                    // the thread ended between the listing and the read: it is counted as gone
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the threads of process " + pid + " under " + procRoot, ex);
        }
        return new ThreadCpuTimes(nanoTime, threads);
    }

    /**
     * utime + stime of one {@code stat} line. The name between the parentheses may hold spaces and parentheses itself,
     * so the fields are counted from the last ')': state is the first after it, utime the 12th, stime the 13th.
     */
    public static long cpuTicks(final String statLine)
    {
        final int nameEnd = statLine.lastIndexOf(')');
        if (nameEnd < 0)
        {
            throw new IllegalArgumentException("not a /proc stat line: " + statLine);
        }
        final String[] fields = statLine.substring(nameEnd + 1).trim().split("\\s+");
        if (fields.length < 13)
        {
            throw new IllegalArgumentException("too few fields in a /proc stat line: " + statLine);
        }
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
