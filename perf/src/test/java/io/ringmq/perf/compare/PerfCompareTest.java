package io.ringmq.perf.compare;

import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.Progress;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke test: a tiny comparison of all three systems, 1P/1C and 2P/2C, ping-pong and request/reply, runs and writes a
 * well-formed report, plot and histograms. It asserts nothing about speed.
 */
class PerfCompareTest
{
    private static final List<String> SYSTEMS = List.of("ringmq", "raw", "artemis");

    @Test
    void tinyComparisonWritesTheReportThePlotAndTheHistograms(@TempDir final Path outRoot) throws Exception
    {
        final PerfCompare.Outcome outcome = PerfCompare.run(
            new CompareOptions(CompareMode.TINY, outRoot, 5_000, 1_000, 100, SYSTEMS, "YIELDING", 120, 2, 2),
            Progress.silent(), new PrintStream(OutputStream.nullOutputStream()));

        final String report = Files.readString(outcome.report());
        assertTrue(report.contains("## Throughput"), report);
        assertTrue(report.contains("- fsync off: 5,000 msg/s offered to every system"), report);
        for (final String system : SYSTEMS)
        {
            assertTrue(report.contains("| fsync off | " + system + " | 1P/1C | "),
                "a throughput row for " + system + "\n" + report);
            assertTrue(report.contains("| fsync off | " + system + " | "), "a row for " + system + "\n" + report);
        }
        final String messages = String.format("%,d", CompareMode.TINY.messages());
        assertTrue(report.contains("| fsync off | ringmq | 2P/2C | " + messages + " | "), "ringmq's N x M pass\n" + report);
        assertTrue(report.contains("| fsync off | raw | 2P/2C | " + messages + " | "), "raw's N x M pass\n" + report);
        assertTrue(report.contains("| fsync off | artemis | 2P/2C | " +
            String.format("%,d", CompareMode.TINY.peerMessages()) + " | "), "Artemis' N x M pass\n" + report);
        assertEquals(6, report.lines().filter((line) -> line.matches("\\| fsync off \\| \\w+ \\| \\dP/\\dC \\|.*\\| " +
            "\\d[\\d.]*x \\|.*")).count(), "every throughput row has its ratio to ringmq's of the same shape\n" + report);
        assertTrue(report.contains("receipt p99 µs") && report.contains("### publish→receipt at saturation"), report);
        assertTrue(report.contains("*ringmq ÷ raw*") && report.contains("*ringmq ÷ artemis*"), report);
        assertTrue(report.contains("throughput ringmq ≥ 20x Artemis"), report);
        final String recorded = String.format("over %,d messages (", CompareMode.TINY.latencyMessages(5_000));
        assertTrue(report.lines().anyMatch((line) -> line.startsWith("- ringmq daemon hot path") &&
            line.contains("fsync off") && line.contains(recorded)), "the hot path's allocation\n" + report);
        assertTrue(report.contains("](latency-fsync-none.svg)"), report);
        assertTrue(report.contains("### ping-pong round trip"), report);
        for (final String row : List.of("| fsync off | ringmq | ", "| fsync off | raw | ", "| fsync off | *ringmq ÷ raw* | *"))
        {
            assertEquals(1, report.lines().dropWhile((line) -> !line.startsWith("### ping-pong"))
                .takeWhile((line) -> !line.startsWith("### one at a time")).filter((line) -> line.startsWith(row))
                .count(), "the ping-pong table has a row " + row + "\n" + report);
        }
        assertTrue(report.contains("### request/reply round trip"), report);
        for (final String row : List.of("| fsync off | ringmq | ", "| fsync off | artemis | ",
            "| fsync off | *ringmq ÷ raw ping-pong* | *", "| fsync off | *ringmq ÷ artemis* | *"))
        {
            assertEquals(1, report.lines().dropWhile((line) -> !line.startsWith("### request/reply"))
                .takeWhile((line) -> !line.startsWith("## Targets")).filter((line) -> line.startsWith(row)).count(),
                "the request/reply table has a row " + row + "\n" + report);
        }
        assertTrue(report.lines().anyMatch((line) -> line.startsWith("| fsync off | request/reply round trip p50 ≤ " +
            "2x raw ping-pong (ringmq ÷ raw ≤ 2) | ") && line.matches(".*\\| \\d[\\d.]*x \\| (yes|\\*\\*no\\*\\*) \\|")),
            "the request/reply target with its measured ratio\n" + report);
        assertTrue(report.contains("- **artemis request/reply, fsync off**: ActiveMQ Artemis request/reply"), report);

        for (final String row : List.of("| fsync off | ringmq | ", "| fsync off | raw | ",
            "| fsync off | *ringmq ÷ raw* | *", "| floor | one `FileChannel.force(false)` of a 4 KiB write | ",
            "| floor | one msync of a mapped 4 KiB page | "))
        {
            assertEquals(1, report.lines().dropWhile((line) -> !line.startsWith("### one at a time"))
                .takeWhile((line) -> !line.startsWith("### request/reply")).filter((line) -> line.startsWith(row))
                .count(), "the one-at-a-time table has a row " + row + "\n" + report);
        }
        assertTrue(report.lines().noneMatch((line) -> line.contains("ringmq-process") || line.contains("artemis-process")),
            "the in-process shape alone runs no process\n" + report);
        for (final String system : List.of("ringmq", "raw"))
        {
            final Path hlog = outcome.directory().resolve(system + "-oneatatime-fsync-none-rtt.hlog");
            final Histogram histogram = (Histogram)new HistogramLogReader(hlog.toFile()).nextIntervalHistogram();
            assertEquals(CompareMode.TINY.oneAtATimeMessages(FsyncMode.NONE), histogram.getTotalCount(),
                "every recorded publish, no warm-up, in " + hlog);
        }

        assertEquals(1, outcome.plots().size());
        final Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(outcome.plots().get(0).toFile());
        assertEquals("svg", svg.getDocumentElement().getTagName());
        final NodeList lines = svg.getElementsByTagName("polyline");
        assertEquals(SYSTEMS.size(), lines.getLength(), "one line per system");
        for (int i = 0; i < lines.getLength(); i++)
        {
            final String points = ((Element)lines.item(i)).getAttribute("points");
            assertTrue(points.split(" ").length >= 2, "a line with points: " + points);
        }

        for (final String system : SYSTEMS)
        {
            for (final String kind : List.of("deliver", "receipt"))
            {
                final Path hlog = outcome.directory().resolve(system + "-fsync-none-" + kind + ".hlog");
                final Histogram histogram = (Histogram)new HistogramLogReader(hlog.toFile()).nextIntervalHistogram();
                assertNotNull(histogram, hlog.toString());
                assertEquals(CompareMode.TINY.latencyMessages(5_000), histogram.getTotalCount(),
                    "every recorded message, no warm-up, in " + hlog);
            }
        }

        for (final String system : List.of("ringmq", "raw"))
        {
            final Path hlog = outcome.directory().resolve(system + "-pingpong-fsync-none-rtt.hlog");
            final Histogram histogram = (Histogram)new HistogramLogReader(hlog.toFile()).nextIntervalHistogram();
            assertEquals(CompareMode.TINY.pingPongMessages(), histogram.getTotalCount(), "every recorded round trip " +
                "in " + hlog);
        }

        for (final String system : List.of("ringmq", "artemis"))
        {
            final Path hlog = outcome.directory().resolve(system + "-requestreply-fsync-none-rtt.hlog");
            final Histogram histogram = (Histogram)new HistogramLogReader(hlog.toFile()).nextIntervalHistogram();
            assertEquals(CompareMode.TINY.pingPongMessages(), histogram.getTotalCount(), "every recorded request/" +
                "reply round trip, no warm-up, in " + hlog);
        }

        for (final Path file : List.of(outcome.report(), outcome.plots().get(0)))
        {
            assertEquals(Files.readString(file), Files.readString(outcome.latest().resolve(file.getFileName())));
        }
    }
}
