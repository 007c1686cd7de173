package io.ringmq.perf.idle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdleCpuReportTest
{
    /** A stat line as Linux writes it; the fields after the name: state, ppid, ..., utime 12th, stime 13th. */
    private static String statLine(final int tid, final String name, final long utime, final long stime)
    {
        return tid + " (" + name + ") S 1 1 1 0 -1 4194368 100 0 0 0 " + utime + " " + stime + " 0 0 20 0 30 0 5 0";
    }

    @Test
    void cpuTicksAreUtimePlusStimeCountedFromTheLastParenthesis()
    {
        assertEquals(17, ThreadCpuTimes.cpuTicks(statLine(12, "ringmq-ring", 10, 7)));
        // A name may hold spaces and parentheses (Aeron's shared agent is "[conductor, sender, receiver]").
        assertEquals(5, ThreadCpuTimes.cpuTicks(statLine(13, "a) (b c) 9 9", 2, 3)));
        assertThrows(IllegalArgumentException.class, () -> ThreadCpuTimes.cpuTicks("12 ringmq S 1"));
    }

    @Test
    void readsEveryTaskOfAProcess(@TempDir final Path proc) throws IOException
    {
        writeTask(proc, 4321, 4321, "java", 3, 1);
        writeTask(proc, 4321, 4330, "ringmq-ring", 250, 30);

        final ThreadCpuTimes times = ThreadCpuTimes.read(proc, 4321);

        assertEquals(Map.of(
            4321, new ThreadCpuTimes.Thread("java", 4),
            4330, new ThreadCpuTimes.Thread("ringmq-ring", 280)), times.threads());
    }

    @Test
    void readsThisProcesssOwnThreads()
    {
        final ThreadCpuTimes times = ThreadCpuTimes.read(Path.of("/proc"), ProcessHandle.current().pid());

        assertFalse(times.threads().isEmpty());
        assertTrue(times.threads().values().stream().anyMatch((thread) -> thread.ticks() > 0), "a JVM that ran " +
            "tests used some CPU");
    }

    @Test
    void sharesOfOneCoreBusiestFirstWithTheTotal()
    {
        final long second = 1_000_000_000L;
        final ThreadCpuTimes before = new ThreadCpuTimes(0, Map.of(
            1, new ThreadCpuTimes.Thread("main", 50),
            2, new ThreadCpuTimes.Thread("ringmq-ring", 100),
            3, new ThreadCpuTimes.Thread("ringmq-ingress", 10),
            4, new ThreadCpuTimes.Thread("gone", 10)));
        final ThreadCpuTimes after = new ThreadCpuTimes(10 * second, Map.of(
            1, new ThreadCpuTimes.Thread("main", 50),
            2, new ThreadCpuTimes.Thread("ringmq-ring", 240),
            3, new ThreadCpuTimes.Thread("ringmq-ingress", 70),
            5, new ThreadCpuTimes.Thread("new", 5)));

        final IdleCpuReport report = new IdleCpuReport(before, after, 100); // 10 s = 1,000 ticks of one core

        assertEquals(List.of(
            new IdleCpuReport.Row(2, "ringmq-ring", 14.0),
            new IdleCpuReport.Row(3, "ringmq-ingress", 6.0),
            new IdleCpuReport.Row(5, "new", 0.5),
            new IdleCpuReport.Row(1, "main", 0.0)), report.rows());
        assertEquals(20.5, report.totalPercent(), 1e-9);
        final String text = report.format();
        assertTrue(text.contains("ringmq-ring") && text.contains("14.00 %"), text);
        assertTrue(text.contains("1 threads used no CPU"), text);
        assertTrue(text.contains("20.50 % of one core over 10.0 s"), text);
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
