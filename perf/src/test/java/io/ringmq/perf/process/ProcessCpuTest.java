package io.ringmq.perf.process;

import io.ringmq.perf.idle.ThreadCpuTimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProcessCpuTest
{
    private static final long TICKS_PER_SECOND = 100;

    @Test
    void theWholeProcesssCpuTimeComesFromItsOwnStatLineInNanoseconds(@TempDir final Path proc) throws IOException
    {
        final Path process = Files.createDirectories(proc.resolve("4321"));
        // Ended threads count in the process's line, not in any task's: the process line is the one read.
        Files.writeString(process.resolve("stat"), statLine(4321, "java", 250, 50) + "\n");
        writeTask(proc, 4321, 4330, "ringmq-ring", 10, 0);

        assertEquals(3_000_000_000L, new ProcessCpu(proc, 4321, TICKS_PER_SECOND).cpuNs());
        assertEquals(-1, new ProcessCpu(proc, 9999, TICKS_PER_SECOND).cpuNs(), "a process that is gone");
    }

    @Test
    void theCompilerTimeIsTheJitThreadsCpuAlone(@TempDir final Path proc) throws IOException
    {
        writeTask(proc, 4321, 4322, "C2 CompilerThre", 40, 2);
        writeTask(proc, 4321, 4323, "C1 CompilerThre", 7, 1);
        writeTask(proc, 4321, 4330, "ringmq-ring", 900, 100);

        assertEquals(500, new ProcessCpu(proc, 4321, TICKS_PER_SECOND).compilerMs());
    }

    @Test
    void whereTheCpuWentBusiestThreadsFirstWithTheCoresUsed()
    {
        final long second = 1_000_000_000L;
        final ThreadCpuTimes before = new ThreadCpuTimes(0, Map.of(
            1, new ThreadCpuTimes.Thread("ringmq-ring", 100),
            2, new ThreadCpuTimes.Thread("aeron-driver", 10),
            3, new ThreadCpuTimes.Thread("GC Thread#0", 5)));
        final ThreadCpuTimes after = new ThreadCpuTimes(2 * second, Map.of(
            1, new ThreadCpuTimes.Thread("ringmq-ring", 280),
            2, new ThreadCpuTimes.Thread("aeron-driver", 30),
            3, new ThreadCpuTimes.Thread("GC Thread#0", 9)));

        assertEquals("1.02 cores | ringmq-ring 90%, aeron-driver 10%",
            new ProcessCpu(Path.of("/proc"), 1, TICKS_PER_SECOND).since(before, after, 2));
    }

    /** A stat line as Linux writes it; the fields after the name: state, ppid, ..., utime 12th, stime 13th. */
    private static String statLine(final int tid, final String name, final long utime, final long stime)
    {
        return tid + " (" + name + ") S 1 1 1 0 -1 4194368 100 0 0 0 " + utime + " " + stime + " 0 0 20 0 30 0 5 0";
    }

    private static void writeTask(
        final Path proc, final long pid, final int tid, final String name, final long utime, final long stime)
        throws IOException
    {
        final Path task = Files.createDirectories(proc.resolve(Long.toString(pid)).resolve("task")
            .resolve(Integer.toString(tid)));
        Files.writeString(task.resolve("comm"), name + "\n");
        Files.writeString(task.resolve("stat"), statLine(tid, name, utime, stime) + "\n");
    }
}
