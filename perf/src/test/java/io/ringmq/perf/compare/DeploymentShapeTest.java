package io.ringmq.perf.compare;

import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.Progress;
import io.ringmq.perf.RingmqDeployment;
import io.ringmq.perf.process.DaemonLauncher;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke test of the deployment shape: a tiny comparison with ringmq's daemon and Artemis each as a process of their
 * own runs the 1P/1C throughput, the open loop at the rate and the round-trip phases and writes their rows, with the
 * ratios, the raw floor, the flush floor and issue 19's target; and no process it started is left when it is done. Asserts nothing about speed.
 */
class DeploymentShapeTest
{
    @Test
    void processShapeWritesThroughputOpenLoopPingPongAndOneAtATimeRowsAndStopsItsProcesses(@TempDir final Path outRoot)
        throws Exception
    {
        final PerfCompare.Outcome outcome = PerfCompare.run(new CompareOptions(CompareMode.TINY, outRoot, 5_000,
                1_000, 100, List.of("ringmq", "raw", "artemis"), "YIELDING", 120, 2, 2, List.of(FsyncMode.NONE),
                true, true, List.of(RingmqDeployment.PROCESS), DaemonLauncher.thisJvm(), false, null),
            Progress.silent(), new PrintStream(OutputStream.nullOutputStream()));

        assertEquals(List.of(), ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList(),
            "the daemon and the Artemis broker are stopped");
        final String report = Files.readString(outcome.report());
        final List<String> throughput = section(report, "## Throughput", "### publish→receipt at saturation");
        final String messages = String.format("%,d", CompareMode.TINY.messages());
        final String peerMessages = String.format("%,d", CompareMode.TINY.peerMessages());
        for (final String row : List.of("| fsync off | ringmq-process | 1P/1C | " + messages + " | ",
            "| fsync off | artemis-process | 1P/1C | " + peerMessages + " | ",
            "| fsync off | raw | 1P/1C | " + messages + " | "))
        {
            assertEquals(1, throughput.stream().filter((line) -> line.startsWith(row)).count(),
                "the throughput table has one row " + row + "\n" + report);
        }
        assertEquals(3, throughput.stream().filter((line) -> line.startsWith("| fsync off | ")).count(),
            "the process shape runs 1P/1C only, whatever --producers and --consumers say\n" + report);
        assertTrue(throughput.stream().filter((line) -> line.contains("-process | 1P/1C"))
                .allMatch((line) -> line.matches(".*\\| \\d[\\d.]*x \\| \\d+\\.\\d\\d \\(\\d+\\.\\d\\d\\) \\|.*")),
            "each process row has its ratio to ringmq-process and its CPU per message with the server's part\n" +
            report);
        assertTrue(report.lines().anyMatch((line) -> line.startsWith("| fsync off | throughput as processes, async " +
            "confirmed + acked: ringmq-process ≥ 15x artemis-process (issue 19) | ") &&
            line.matches(".*\\| \\d[\\d.]*x \\| (yes|\\*\\*no\\*\\*) \\|")), "issue 19's target\n" + report);
        assertTrue(report.contains("- **ringmq-process throughput, fsync off**: daemon as its own process"), report);
        assertTrue(report.contains("- **artemis-process throughput, fsync off**: ActiveMQ Artemis 2.56.0 as its own " +
            "process"), report);
        for (final String table : List.of("### publish→deliver", "### publish→receipt"))
        {
            final List<String> openLoop = section(String.join("\n", section(report, "## Latency", "### ping-pong")),
                table, "###");
            for (final String row : List.of("| fsync off | ringmq-process | ", "| fsync off | artemis-process | ",
                "| fsync off | raw | ", "| fsync off | *ringmq-process ÷ raw* | *",
                "| fsync off | *ringmq-process ÷ artemis-process* | *"))
            {
                assertEquals(1, openLoop.stream().filter((line) -> line.startsWith(row)).count(),
                    "the " + table + " table has one row " + row + "\n" + report);
            }
            assertEquals(5, openLoop.stream().filter((line) -> line.startsWith("| fsync off | ")).count(),
                "the process shape alone runs no in-process ringmq or Artemis open loop\n" + report);
        }
        assertTrue(report.contains("- **ringmq-process open loop, fsync off**: daemon as its own process"), report);
        assertTrue(report.contains("- **artemis-process open loop, fsync off**: ActiveMQ Artemis 2.56.0 as its own " +
            "process"), report);
        final long recorded = CompareMode.TINY.latencyMessages(5_000);
        for (final String system : List.of("ringmq-process", "artemis-process"))
        {
            for (final String end : List.of("deliver", "receipt"))
            {
                final Path hlog = outcome.directory().resolve(system + "-fsync-none-" + end + ".hlog");
                final Histogram histogram = (Histogram)new HistogramLogReader(hlog.toFile()).nextIntervalHistogram();
                assertEquals(recorded, histogram.getTotalCount(), hlog.toString());
            }
        }
        for (final String row : List.of("| fsync off | ringmq-process | ", "| fsync off | raw | ",
            "| fsync off | *ringmq-process ÷ raw* | *"))
        {
            assertEquals(1, section(report, "### ping-pong", "### one at a time").stream()
                .filter((line) -> line.startsWith(row)).count(), "the ping-pong table has a row " + row + "\n" +
                report);
        }
        for (final String row : List.of("| fsync off | ringmq-process | ", "| fsync off | raw | ",
            "| fsync off | artemis-process | ", "| fsync off | *ringmq-process ÷ raw* | *",
            "| fsync off | *ringmq-process ÷ artemis-process* | *", "| floor | one msync of a mapped 4 KiB page | "))
        {
            assertEquals(1, section(report, "### one at a time", "### request/reply").stream()
                .filter((line) -> line.startsWith(row)).count(), "the one-at-a-time table has a row " + row + "\n" +
                report);
        }
        assertTrue(report.lines().noneMatch((line) -> line.startsWith("| fsync off | ringmq | ")),
            "the process shape alone runs no in-process ringmq round trip\n" + report);
        assertTrue(report.contains("- **ringmq-process round trips, all fsync settings**: daemon as its own process"),
            report);
        assertTrue(report.contains("- **artemis-process, fsync off**: ActiveMQ Artemis 2.56.0 as its own process"),
            report);
        for (final String system : List.of("ringmq-process", "artemis-process"))
        {
            final Path hlog = outcome.directory().resolve(system + "-oneatatime-fsync-none-rtt.hlog");
            final Histogram histogram = (Histogram)new HistogramLogReader(hlog.toFile()).nextIntervalHistogram();
            assertEquals(CompareMode.TINY.oneAtATimeMessages(FsyncMode.NONE), histogram.getTotalCount(),
                hlog.toString());
        }
    }

    private static List<String> section(final String report, final String from, final String to)
    {
        return report.lines().dropWhile((line) -> !line.startsWith(from)).takeWhile((line) -> !line.startsWith(to) ||
            line.startsWith(from)).toList();
    }
}
