package io.ringmq.perf.compare;

import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.JitSettle;
import io.ringmq.perf.LatencyResult;
import io.ringmq.perf.ThroughputFigures;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The comparison's report in Markdown: machine, throughput table, latency tables (publish→deliver and
 * publish→receipt, with ringmq/raw and ringmq/Artemis ratios per percentile), the round trips of one message in
 * flight (ping-pong, request/reply, with ratios), the targets with the measured ratios,
 * how each system was set up, and links to the plots and {@code .hlog} files.
 */
final class MarkdownReport
{
    static final String RINGMQ = "ringmq";
    static final String RAW = "raw";
    static final String ARTEMIS = "artemis";
    /** ringmq's daemon as its own process, clients with the client's defaults (the deployment shape). */
    static final String RINGMQ_PROCESS = "ringmq-process";
    /** Artemis as its own process. */
    static final String ARTEMIS_PROCESS = "artemis-process";
    /** What a system's name ends with when it runs as a process of its own. */
    static final String PROCESS_SUFFIX = "-process";

    private MarkdownReport()
    {
    }

    /**
     * @param plots fsync → the plot's file name, relative to the report.
     */
    static String render(final CompareResults results, final Map<FsyncMode, String> plots)
    {
        final StringBuilder md = new StringBuilder(8 * 1024);
        md.append("# ringmq side-by-side comparison\n\n");
        md.append(String.format(Locale.ROOT, "Mode `%s`, started %s, took %.0f s. Machine: %s; load average %.2f at " +
            "the end. Payload %d B. Figures from one run on a shared machine: indicative, not a benchmark " +
            "certificate.%n%n", results.mode.name(), results.startedAt, results.elapsedNs / 1e9, results.machine,
            results.loadAtEnd, results.payloadBytes));

        md.append("## Throughput: persistent, every message acked\n\n");
        md.append("| fsync | system | producers/consumers | messages | msg/s | MB/s | ringmq msg/s ÷ this | " +
            "CPU µs per message | receipt p50 µs | receipt p99 µs | receipt max µs |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (final ThroughputFigures figures : results.throughput)
        {
            final boolean process = figures.system().endsWith(PROCESS_SUFFIX);
            final Optional<ThroughputFigures> ringmq = results.throughput(process ? RINGMQ_PROCESS : RINGMQ,
                figures.workload().fsync(), figures.workload().shape()).or(() -> results.throughput(
                process ? RINGMQ : RINGMQ_PROCESS, figures.workload().fsync(), figures.workload().shape()));
            final long[] receipt = LatencyResult.percentilesNs(figures.receiptNs());
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %,.0f | %,.1f | %s | %s | %,.1f | %,.1f | " +
                "%,.1f |%n",
                figures.workload().fsync().label(), figures.system(), figures.workload().shape(),
                figures.workload().messages(), figures.messagesPerSecond(), figures.megabytesPerSecond(),
                ringmq.map((r) -> ratio(r.messagesPerSecond() / figures.messagesPerSecond())).orElse(""),
                cpuPerMessage(figures), receipt[0] / 1e3, receipt[2] / 1e3, receipt[receipt.length - 1] / 1e3));
        }
        md.append("\nmsg/s and MB/s (10^6 B of payload) from the first publish to the last message consumed. The ratio " +
            "column compares passes of the same producers/consumers shape (N producers share the messages; M " +
            "consumers compete for one queue, each message to one of them); the targets compare the 1P/1C passes. " +
            String.format("Each pass follows a warm-up of %,d messages (Artemis: %,d) on another queue, a tenth " +
            "as many on a third queue (starting a pass on a new queue made the JIT recompile the hot path), and a wait " +
            "until no JIT compilation has finished for %,d ms and none is running or queued, so the measured " +
            "messages run compiled code. ",
            results.mode.warmupMessages(), results.mode.peerWarmup(), JitSettle.QUIET_MS) +
            "CPU per message: CPU time of the whole process (server and clients, idle spinning included) during the " +
            "measured pass ÷ messages; it moves less than msg/s when the machine is shared. Receipt: " +
            "publish→receipt of every measured message from its send time, at saturation (each " +
            "producer keeps up to 8,192 publishes without a receipt, so queueing behind that window is included)." +
            (results.throughput.stream().anyMatch((figures) -> figures.system().endsWith(PROCESS_SUFFIX)) ?
            " " + PROCESS_THROUGHPUT_NOTE : "") + "\n\n");
        md.append("### publish→receipt at saturation (the throughput passes), µs\n\n");
        md.append(header("fsync | system | producers/consumers"));
        for (final ThroughputFigures figures : results.throughput)
        {
            md.append(row(figures.workload().fsync().label() + " | " + figures.system() + " | " +
                figures.workload().shape(), figures.receiptNs()));
        }
        md.append("\n## Latency: open loop at a fixed rate, µs from the intended send time\n\n");
        for (final FsyncMode fsync : results.fsyncs)
        {
            md.append(String.format(Locale.ROOT, "- %s: %,d msg/s offered to every system%n", fsync.label(),
                results.rates.get(fsync)));
        }
        md.append('\n');
        md.append("Coordinated omission is measured, not hidden: each message's latency counts from when the " +
            "schedule meant to send it. Warm-up messages are not recorded.\n\n");
        latencyTable(md, results, "publish→deliver", LatencyResult::deliverNs);
        latencyTable(md, results, "publish→receipt", LatencyResult::receiptNs);
        if (results.latency.stream().anyMatch((result) -> result.system().endsWith(PROCESS_SUFFIX)))
        {
            md.append(PROCESS_NOTE).append(" The daemon's hot-path allocation is counted in the harness JVM only, " +
                "so not for `ringmq-process`.\n\n");
        }
        hotPathAllocation(md, results);

        if (!results.pingPong.isEmpty())
        {
            md.append("### ping-pong round trip (one in flight, two journalled publishes), µs\n\n");
            md.append(header("fsync | system"));
            for (final FsyncMode fsync : results.fsyncs)
            {
                final List<LatencyResult> pingPongs = results.pingPongs(fsync);
                pingPongs.forEach((result) -> md.append(row(fsync.label() + " | " + result.system(),
                    result.deliverNs())));
                final Optional<LatencyResult> raw = results.pingPong(RAW, fsync);
                for (final String ringmq : List.of(RINGMQ, RINGMQ_PROCESS))
                {
                    final Optional<LatencyResult> mine = results.pingPong(ringmq, fsync);
                    if (mine.isPresent() && raw.isPresent())
                    {
                        md.append(ratioRow(fsync.label() + " | *" + ringmq + " ÷ raw*", mine.get().deliverNs(),
                            raw.get().deliverNs()));
                    }
                }
            }
            md.append("\nThe raw pipeline's ping-pong: the requester's ping journalled and handed to a responder, " +
                "which publishes it back, journalled and handed to the requester; both ack, as ringmq's clients " +
                "do. " + processNote(results) + "\n\n");
        }

        OneAtATimeSection.render(md, results);
        requestReply(md, results);
        targets(md, results);
        ReplicationSection.render(md, results, results.rates.getOrDefault(FsyncMode.NONE, 0L));
        FailoverSection.render(md, results.failover);

        md.append("## Plots and histograms\n\n");
        plots.forEach((fsync, file) -> md.append(String.format(Locale.ROOT,
            "![publish→deliver by percentile, %s](%s)%n%n", fsync.label(), file)));
        md.append("Each run's histograms are in this directory as `<system>-fsync-<policy>-deliver.hlog` and " +
            "`-receipt.hlog`, `<system>-pingpong-fsync-<policy>-rtt.hlog`, `<system>-requestreply-…` and " +
            "`<system>-oneatatime-…` (HdrHistogram log format, values in ns).\n\n");

        md.append("## Setup\n\n");
        results.setups.forEach((key, setup) -> md.append("- **").append(key.replace("|", ", ")).append("**: ")
            .append(setup).append('\n'));
        return md.toString();
    }

    /**
     * Request/reply through each system's own API, one in flight, with ringmq's ratio to the raw pipeline's ping-pong
     * (the floor a round trip through two journalled messages has here) and to Artemis'.
     */
    private static void requestReply(final StringBuilder md, final CompareResults results)
    {
        if (results.requestReply.isEmpty())
        {
            return;
        }
        md.append("### request/reply round trip (one in flight), µs\n\n");
        md.append(header("fsync | system"));
        for (final FsyncMode fsync : results.fsyncs)
        {
            final Optional<LatencyResult> ringmq = results.requestReply(RINGMQ, fsync);
            final Optional<LatencyResult> artemis = results.requestReply(ARTEMIS, fsync);
            final Optional<LatencyResult> rawPingPong = results.pingPong(RAW, fsync);
            ringmq.ifPresent((result) -> md.append(row(fsync.label() + " | " + RINGMQ, result.deliverNs())));
            artemis.ifPresent((result) -> md.append(row(fsync.label() + " | " + ARTEMIS, result.deliverNs())));
            if (ringmq.isPresent() && rawPingPong.isPresent())
            {
                md.append(ratioRow(fsync.label() + " | *ringmq ÷ raw ping-pong*", ringmq.get().deliverNs(),
                    rawPingPong.get().deliverNs()));
            }
            if (ringmq.isPresent() && artemis.isPresent())
            {
                md.append(ratioRow(fsync.label() + " | *ringmq ÷ artemis*", ringmq.get().deliverNs(),
                    artemis.get().deliverNs()));
            }
        }
        md.append("\nringmq: `Requester.request` to a queue, the reply routed back to the requester's session; the " +
            "replier (`client.replier`) answers from its handler with the request's payload, which acks the request. " +
            "Two journalled commands per round trip (the request's publish, the reply). Artemis: the core " +
            "`ClientRequestor` (JMSReplyTo a temporary queue), durable requests, the reply not journalled (a " +
            "temporary queue is not durable). The raw ping-pong (table above) is the floor: two journalled " +
            "publishes through Aeron and Chronicle with nothing else. Same round trips and warm-up as the " +
            "ping-pong; the request/reply runs also wait for the JIT to settle after their warm-up, the ping-pong " +
            "runs do not.\n\n");
    }

    /** The "0 B per message" check: what ringmq's daemon allocated on its hot path in the open-loop runs. */
    private static void hotPathAllocation(final StringBuilder md, final CompareResults results)
    {
        if (results.latency.stream().noneMatch((result) -> null != result.hotPathAllocation()))
        {
            return; // no in-process ringmq open loop ran: nothing to explain
        }
        for (final FsyncMode fsync : results.fsyncs)
        {
            results.latency(RINGMQ, fsync).map(LatencyResult::hotPathAllocation).ifPresent((measured) ->
                md.append(String.format(Locale.ROOT, "- ringmq daemon hot path (ingress, journal and dispatch " +
                "threads, from the JVM's per-thread counters), %s, recorded part of the open-loop run: allocated %s%n",
                fsync.label(), measured.describe())));
        }
        md.append("\nThe daemon recycles message holders through a pool: it allocates one (about 250 B: the holder, a " +
            "buffer view and a 128-byte array) only when the messages it holds reach a new high, so a figure above 0 " +
            "means the backlog grew during the run (for example while msync stalls held deliveries " +
            "back).\n\n");
    }

    private static void latencyTable(
        final StringBuilder md, final CompareResults results, final String name,
        final Function<LatencyResult, Histogram> histogramOf)
    {
        md.append("### ").append(name).append("\n\n");
        md.append(header("fsync | system"));
        for (final FsyncMode fsync : results.fsyncs)
        {
            for (final LatencyResult result : results.latency(fsync))
            {
                md.append(row(fsync.label() + " | " + result.system(), histogramOf.apply(result)));
            }
            // Each shape with its own peer; the raw floor runs in this JVM for both.
            for (final List<String> pair : List.of(List.of(RINGMQ, RAW), List.of(RINGMQ, ARTEMIS),
                List.of(RINGMQ_PROCESS, RAW), List.of(RINGMQ_PROCESS, ARTEMIS_PROCESS)))
            {
                final Optional<LatencyResult> ringmq = results.latency(pair.get(0), fsync);
                final Optional<LatencyResult> other = results.latency(pair.get(1), fsync);
                if (ringmq.isPresent() && other.isPresent())
                {
                    md.append(ratioRow(fsync.label() + " | *" + pair.get(0) + " ÷ " + pair.get(1) + "*",
                        histogramOf.apply(ringmq.get()), histogramOf.apply(other.get())));
                }
            }
        }
        md.append('\n');
    }

    /** CPU µs per message; where the server is a process of its own, the whole and, in brackets, the server's part. */
    private static String cpuPerMessage(final ThroughputFigures figures)
    {
        return String.format(Locale.ROOT, figures.serverCpuNs() < 0 ? "%.2f" : "%.2f (%.2f)",
            figures.cpuMicrosPerMessage(), figures.serverCpuMicrosPerMessage());
    }

    private static final String PROCESS_THROUGHPUT_NOTE = "`-process` rows: the deployment shape, 1P/1C (the " +
        "ratio column compares them with `ringmq-process`, the raw floor with in-process `ringmq` where that ran): ringmq's daemon as its own process started by the " +
        "launcher with its defaults except the journal fsync, its clients in the harness JVM with the Java client's " +
        "default settings (the same window and prefetch as in-process); Artemis as its own process, its core client " +
        "over TCP on loopback. Their CPU per message is the harness JVM's and the server process's together, the " +
        "server's own in brackets; the warm-up also waits for the server process's JIT (its compiler threads idle " +
        "for 0.5 s).";

    /** What the {@code -process} rows are, said under each table that has them; "" when none ran. */
    static String processNote(final CompareResults results)
    {
        final boolean any = results.pingPong.stream().anyMatch((result) -> result.system().endsWith("-process")) ||
            results.oneAtATime.stream().anyMatch((result) -> result.system().endsWith("-process"));
        return any ? PROCESS_NOTE : "";
    }

    private static final String PROCESS_NOTE = "`ringmq-process`: the daemon as its own process, started by the " +
        "launcher " +
        "with its defaults (except the journal fsync), clients in the harness JVM with the Java client's default " +
        "settings; `ringmq`: the daemon in the harness JVM with the comparison's settings, clients yielding. " +
        "`artemis-process`: Artemis as its own process, its core client over TCP on loopback.";

    static String header(final String first)
    {
        final StringBuilder text = new StringBuilder("| ").append(first);
        final StringBuilder rule = new StringBuilder("|").append("---|".repeat(first.split("\\|").length));
        for (final String name : LatencyResult.PERCENTILE_NAMES)
        {
            text.append(" | ").append(name);
            rule.append("---:|");
        }
        return text.append(" |\n").append(rule).append('\n').toString();
    }

    static String row(final String first, final Histogram histogram)
    {
        final StringBuilder text = new StringBuilder("| ").append(first);
        for (final long value : LatencyResult.percentilesNs(histogram))
        {
            text.append(String.format(Locale.ROOT, " | %,.1f", value / 1e3));
        }
        return text.append(" |\n").toString();
    }

    static String ratioRow(final String first, final Histogram ringmq, final Histogram other)
    {
        final long[] mine = LatencyResult.percentilesNs(ringmq);
        final long[] theirs = LatencyResult.percentilesNs(other);
        final StringBuilder text = new StringBuilder("| ").append(first);
        for (int i = 0; i < mine.length; i++)
        {
            text.append(" | *").append(ratio(mine[i] / (double)Math.max(1, theirs[i]))).append('*');
        }
        return text.append(" |\n").toString();
    }

    private static void targets(final StringBuilder md, final CompareResults results)
    {
        md.append("## Targets (issues 5, 12 and 19), as measured in this run\n\n");
        md.append("| fsync | target | measured | met |\n|---|---|---:|---|\n");
        final int p99 = 2;
        for (final FsyncMode fsync : results.fsyncs)
        {
            final Optional<ThroughputFigures> ringmq = results.throughput(RINGMQ, fsync);
            final Optional<ThroughputFigures> raw = results.throughput(RAW, fsync);
            final Optional<ThroughputFigures> artemis = results.throughput(ARTEMIS, fsync);
            if (ringmq.isPresent() && artemis.isPresent())
            {
                final double x = ringmq.get().messagesPerSecond() / artemis.get().messagesPerSecond();
                md.append(target(fsync, "throughput ringmq ≥ 20x Artemis", ratio(x), x >= 20));
            }
            if (ringmq.isPresent() && raw.isPresent())
            {
                final double x = raw.get().messagesPerSecond() / ringmq.get().messagesPerSecond();
                md.append(target(fsync, "throughput within 2x of raw (raw ÷ ringmq ≤ 2)", ratio(x), x <= 2));
            }
            final Optional<LatencyResult> ringmqLatency = results.latency(RINGMQ, fsync);
            final Optional<LatencyResult> rawLatency = results.latency(RAW, fsync);
            final Optional<LatencyResult> artemisLatency = results.latency(ARTEMIS, fsync);
            if (ringmqLatency.isPresent() && artemisLatency.isPresent())
            {
                final double x = p99(artemisLatency.get()) / Math.max(1.0, p99(ringmqLatency.get()));
                md.append(target(fsync, "publish→deliver p99 ≤ 1/20 of Artemis (Artemis ÷ ringmq ≥ 20)", ratio(x),
                    x >= 20));
            }
            if (ringmqLatency.isPresent() && rawLatency.isPresent())
            {
                final double x = p99(ringmqLatency.get()) / Math.max(1.0, p99(rawLatency.get()));
                md.append(target(fsync, "publish→deliver p99 ≤ 2x raw (ringmq ÷ raw ≤ 2)", ratio(x), x <= 2));
            }
            final Optional<ThroughputFigures> ringmqProcess = results.throughput(RINGMQ_PROCESS, fsync);
            final Optional<ThroughputFigures> artemisProcess = results.throughput(ARTEMIS_PROCESS, fsync);
            if (ringmqProcess.isPresent() && artemisProcess.isPresent())
            {
                final double x = ringmqProcess.get().messagesPerSecond() / artemisProcess.get().messagesPerSecond();
                md.append(target(fsync, "throughput as processes, async confirmed + acked: ringmq-process ≥ 15x " +
                    "artemis-process (issue 19)", String.format(Locale.ROOT, "%.1fx", x), x >= 15)); // 14.9 is no 15
            }
            final Optional<LatencyResult> requestReply = results.requestReply(RINGMQ, fsync);
            final Optional<LatencyResult> rawPingPong = results.pingPong(RAW, fsync);
            if (requestReply.isPresent() && rawPingPong.isPresent())
            {
                final double x = p50(requestReply.get()) / Math.max(1.0, p50(rawPingPong.get()));
                md.append(target(fsync, "request/reply round trip p50 ≤ 2x raw ping-pong (ringmq ÷ raw ≤ 2)",
                    ratio(x), x <= 2));
            }
        }
        md.append('\n');
    }

    private static double p99(final LatencyResult result)
    {
        return LatencyResult.percentilesNs(result.deliverNs())[2];
    }

    private static double p50(final LatencyResult result)
    {
        return LatencyResult.percentilesNs(result.deliverNs())[0];
    }

    private static String target(final FsyncMode fsync, final String target, final String measured, final boolean met)
    {
        return "| " + fsync.label() + " | " + target + " | " + measured + " | " + (met ? "yes" : "**no**") + " |\n";
    }

    static String ratio(final double value)
    {
        return String.format(Locale.ROOT, value >= 10 ? "%.0fx" : "%.2fx", value);
    }
}
