package io.ringmq.perf.compare;

import io.ringmq.perf.Contender;
import io.ringmq.perf.Contenders;
import io.ringmq.perf.DeviceFlushCost;
import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.LatencyResult;
import io.ringmq.perf.LatencyWorkload;
import io.ringmq.perf.OneAtATimeResult;
import io.ringmq.perf.PerfMain;
import io.ringmq.perf.PerfPinning;
import io.ringmq.perf.Progress;
import io.ringmq.perf.RingmqContender;
import io.ringmq.perf.RingmqDeployment;
import io.ringmq.perf.RingmqLatencyHarness;
import io.ringmq.perf.ThroughputFigures;
import io.ringmq.perf.ThroughputWorkload;
import io.ringmq.perf.artemis.ArtemisContender;
import io.ringmq.perf.artemis.ArtemisOneAtATime;
import io.ringmq.perf.artemis.ArtemisRequestReply;
import io.ringmq.perf.raw.RawOneAtATime;
import io.ringmq.perf.raw.RawPingPong;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs ringmq, the raw Aeron+Chronicle limit and ActiveMQ Artemis side by side on the same workloads, for each
 * matched fsync setting: persistent 1P/1C throughput with acks (and the publish→receipt latency at saturation; also
 * N x M with {@code --producers}/{@code --consumers}), then open-loop latency at one fixed rate, then the round
 * trips of one message in flight: ping-pong (ringmq, raw) and request/reply (ringmq, Artemis). Writes
 * {@code report.md} (tables with ratios and the targets), one percentile plot per fsync setting
 * ({@code latency-fsync-<policy>.svg}) and every histogram as {@code .hlog} into {@code <out-root>/<timestamp>/}, and
 * copies them to {@code <out-root>/latest/}. A progress line per phase goes to stderr.
 * <p>
 * Each fsync section ends with one-at-a-time publishing (each publish waits for its receipt) beside the cost of one
 * device flush. {@code --shape} adds the deployment shape ({@link RingmqDeployment#process}): ringmq's daemon and
 * Artemis each as a process of their own, for the 1P/1C throughput, open-loop, ping-pong and one-at-a-time phases; the
 * raw pipeline, the floor, always runs in this JVM.
 * <p>
 * {@code bin/ringmq perf compare [--quick]} runs it.
 */
public final class PerfCompare
{
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private PerfCompare()
    {
    }

    /** Where a comparison wrote its files. */
    public record Outcome(Path directory, Path latest, Path report, List<Path> plots)
    {
    }

    public static void main(final String[] args)
    {
        PerfMain.runAndExit(() ->
        {
            final CompareOptions options = CompareOptions.parse(args);
            if (null == options)
            {
                System.out.println(CompareOptions.USAGE);
                return;
            }
            try (Progress progress = Progress.printingTo(System.err, 2_000))
            {
                final Outcome outcome = run(options, progress, System.err);
                System.out.println(Files.readString(outcome.report()));
                System.out.println("report: " + outcome.report());
                System.out.println("latest: " + outcome.latest());
            }
        });
    }

    /** Runs every phase, writes the report, the plots and the histograms. */
    public static Outcome run(final CompareOptions options, final Progress progress, final PrintStream log)
    {
        final long startNs = System.nanoTime();
        final LocalDateTime startedAt = LocalDateTime.now();
        final CompareMode mode = options.mode();
        final Map<FsyncMode, Long> rates = new EnumMap<>(FsyncMode.class);
        for (final FsyncMode fsync : options.fsyncs())
        {
            rates.put(fsync, FsyncMode.NONE == fsync ? options.ratePerSecond() : options.batchRatePerSecond());
        }
        final CompareResults results = new CompareResults(mode, options.fsyncs(), rates, options.payloadBytes(),
            MachineInfo.describe(), startedAt.toString().replace('T', ' '));
        final Map<String, String> ringmqSettings = new HashMap<>();
        if (!options.ringmqIdle().equals(CompareOptions.DEFAULT_IDLE))
        {
            ringmqSettings.put("ringmq.idle.strategy", options.ringmqIdle());
        }
        if (options.ringmqIdle().equals("YIELDING"))
        {
            ringmqSettings.put("ringmq.ring.wait.strategy", "YIELDING");
        }
        final String comparisonRawIdle = options.ringmqIdle().equals(CompareOptions.DEFAULT_IDLE) ? "YIELDING" :
            options.ringmqIdle();
        final String rawIdle = null == options.ringmqProfile() ? comparisonRawIdle :
            options.ringmqProfile().rawIdle(comparisonRawIdle);
        if (null != options.ringmqProfile())
        {
            ringmqSettings.putAll(options.ringmqProfile().settings()); // over the idle choice: the profile decides
            results.setups.put("ringmq profile|all fsync settings", options.ringmqProfile().describe() + "; " +
                PerfPinning.describe());
        }
        final List<Contender> contenders = new ArrayList<>();
        for (final String name : options.systems())
        {
            final Map<String, String> settings = new HashMap<>(ringmqSettings);
            settings.put("ringmq.idle.strategy", rawIdle); // only the raw broker reads it from here
            contenders.add(Contenders.byName(name, name.equals(MarkdownReport.RAW) ? settings : ringmqSettings));
        }
        // Request/reply exists in this JVM only: the in-process shape runs it. Throughput and open loop run in both.
        final boolean inProcess = options.shapes().contains(RingmqDeployment.IN_PROCESS);
        final List<Contender> shapeContenders = shapeContenders(options, contenders, inProcess);
        final List<Contender> throughputContenders = options.throughput() ? shapeContenders : List.of();
        final List<Contender> openLoopContenders = options.openLoop() ? shapeContenders : List.of();
        final List<RingmqDeployment> ringmqDeployments = options.systems().contains(MarkdownReport.RINGMQ) ?
            options.deployments() : List.of();
        for (final RingmqDeployment deployment : ringmqDeployments)
        {
            results.setups.put(deployment.system() + " round trips|all fsync settings", deployment.describe());
        }
        log.printf("perf compare: mode %s, systems %s, shapes %s, open-loop rates %s msg/s%n", mode.name(),
            options.systems(), options.shapes(), rates);

        for (final FsyncMode fsync : options.fsyncs())
        {
            for (final Contender contender : throughputContenders)
            {
                results.setups.put(contender.name() + (contender.name().endsWith(MarkdownReport.PROCESS_SUFFIX) ?
                    " throughput|" : "|") + fsync.label(), contender.setup(fsync));
                final boolean peer = contender.name().startsWith(MarkdownReport.ARTEMIS);
                final ThroughputWorkload workload = new ThroughputWorkload(
                    peer ? mode.peerMessages() : mode.messages(), peer ? mode.peerWarmup() : mode.warmupMessages(),
                    options.payloadBytes(), 8192, fsync, options.timeoutS());
                progress.beginPhase(contender.name() + " throughput, " + fsync.label());
                final ThroughputFigures figures = contender.throughput(workload, progress);
                progress.endPhase();
                log.println(figures.format());
                results.throughput.add(figures);
                // N x M belongs to the in-process shape; the process shape (and the raw floor beside it) is 1P/1C.
                if (options.hasManyToMany() && inProcess && !contender.name().endsWith(MarkdownReport.PROCESS_SUFFIX))
                {
                    final ThroughputWorkload manyToMany = new ThroughputWorkload(workload.messages(),
                        workload.warmupMessages(), workload.payloadBytes(), workload.window(), fsync,
                        workload.timeoutS(), options.producers(), options.consumers());
                    progress.beginPhase(contender.name() + " throughput " + manyToMany.shape() + ", " + fsync.label());
                    final ThroughputFigures manyFigures = contender.throughput(manyToMany, progress);
                    progress.endPhase();
                    log.println(manyFigures.format());
                    results.throughput.add(manyFigures);
                }
            }
            final long rate = rates.get(fsync);
            final LatencyWorkload latencyWorkload = new LatencyWorkload(rate, mode.latencyMessages(rate),
                mode.warmupMessages(rate), options.payloadBytes(), fsync, options.timeoutS());
            for (final Contender contender : openLoopContenders)
            {
                if (contender.name().endsWith(MarkdownReport.PROCESS_SUFFIX))
                {
                    results.setups.put(contender.name() + " open loop|" + fsync.label(),
                        contender.latencySetup(fsync));
                }
                progress.beginPhase(contender.name() + " latency at " + rate + " msg/s, " +
                    fsync.label());
                final LatencyResult result = contender.latency(latencyWorkload, progress);
                progress.endPhase();
                log.println(result.format());
                results.latency.add(result);
            }
            if (mode.pingPongMessages() > 0)
            {
                // A round trip waits for two syncs when the journal syncs: milliseconds each here, so fewer of them.
                final long roundTrips = FsyncMode.NONE == fsync ? mode.pingPongMessages() :
                    Math.max(100, mode.pingPongMessages() / 50);
                final LatencyWorkload pingPong = new LatencyWorkload(1, roundTrips, roundTrips / 5,
                    options.payloadBytes(), fsync, options.timeoutS());
                for (final RingmqDeployment deployment : ringmqDeployments)
                {
                    progress.beginPhase(deployment.system() + " ping-pong, " + fsync.label());
                    roundTripsDone(RingmqLatencyHarness.runPingPong(pingPong, settingsFor(deployment, ringmqSettings),
                        deployment, progress), results.pingPong, progress, log);
                }
                if (options.systems().contains(MarkdownReport.RAW))
                {
                    progress.beginPhase("raw ping-pong, " + fsync.label());
                    roundTripsDone(RawPingPong.run(pingPong, Contenders.ipcTermLength(ringmqSettings), rawIdle,
                        progress), results.pingPong, progress, log);
                }
                if (options.systems().contains(MarkdownReport.RINGMQ) && inProcess)
                {
                    progress.beginPhase("ringmq request/reply, " + fsync.label());
                    roundTripsDone(RingmqLatencyHarness.runRequestReply(pingPong, ringmqSettings, progress),
                        results.requestReply, progress, log);
                }
                if (options.systems().contains(MarkdownReport.ARTEMIS) && inProcess)
                {
                    results.setups.put(MarkdownReport.ARTEMIS + " request/reply|" + fsync.label(),
                        ArtemisRequestReply.setup(fsync));
                    progress.beginPhase("artemis request/reply, " + fsync.label());
                    roundTripsDone(ArtemisRequestReply.run(pingPong, progress), results.requestReply, progress, log);
                }
            }
            if (mode.oneAtATimeMessages() > 0)
            {
                if (null == results.flushFloor)
                {
                    results.flushFloor = DeviceFlushCost.measure(mode.flushSamples());
                    log.println(results.flushFloor.format());
                }
                oneAtATime(options, fsync, ringmqDeployments, ringmqSettings, rawIdle, results, progress, log);
            }
        }
        if (options.replication() && options.systems().contains(MarkdownReport.RINGMQ))
        {
            ReplicationRows.run(options, ringmqSettings, results, progress, log);
        }
        if (null != options.failoverTimes())
        {
            results.failover.addAll(FailoverSection.load(options.failoverTimes()));
        }
        results.loadAtEnd = MachineInfo.loadAverage();
        results.elapsedNs = System.nanoTime() - startNs;
        return write(options.outRoot(), startedAt.format(STAMP), results);
    }

    /**
     * The systems of the throughput and open-loop phases, in order: every system in this JVM for the in-process
     * shape; for the process shape ringmq's daemon and Artemis each as a process of its own, with the raw pipeline, the
     * floor, in this JVM beside them (once, when the in-process shape does not run it already). The process shape's
     * throughput is 1P/1C only.
     */
    static List<Contender> shapeContenders(
        final CompareOptions options, final List<Contender> inProcessContenders, final boolean inProcess)
    {
        final List<Contender> all = new ArrayList<>(inProcess ? inProcessContenders : List.of());
        if (options.shapes().contains(RingmqDeployment.PROCESS))
        {
            if (options.systems().contains(MarkdownReport.RINGMQ))
            {
                // The deployment the round trips run too: with --ringmq-profile its launcher passes the profile's keys.
                options.deployments().stream().filter(RingmqDeployment::isProcess)
                    .forEach((process) -> all.add(RingmqContender.process(process)));
            }
            if (options.systems().contains(MarkdownReport.ARTEMIS))
            {
                all.add(ArtemisContender.process());
            }
            if (!inProcess)
            {
                inProcessContenders.stream().filter((contender) -> contender.name().equals(MarkdownReport.RAW))
                    .forEach(all::add);
            }
        }
        return all;
    }

    /**
     * Each system publishing one at a time: ringmq in each deployment, raw, and Artemis as its own process when the
     * process shape runs.
     */
    private static void oneAtATime(
        final CompareOptions options, final FsyncMode fsync, final List<RingmqDeployment> ringmqDeployments,
        final Map<String, String> ringmqSettings, final String rawIdle, final CompareResults results,
        final Progress progress, final PrintStream log)
    {
        final long publishes = options.mode().oneAtATimeMessages(fsync);
        final LatencyWorkload workload = new LatencyWorkload(1, publishes, publishes / 5, options.payloadBytes(),
            fsync, options.timeoutS());
        for (final RingmqDeployment deployment : ringmqDeployments)
        {
            progress.beginPhase(deployment.system() + " one at a time, " + fsync.label());
            oneAtATimeDone(RingmqLatencyHarness.runOneAtATime(workload, settingsFor(deployment, ringmqSettings),
                deployment, progress), results, progress, log);
        }
        if (options.systems().contains(MarkdownReport.RAW))
        {
            progress.beginPhase("raw one at a time, " + fsync.label());
            oneAtATimeDone(RawOneAtATime.run(workload, Contenders.ipcTermLength(ringmqSettings), rawIdle, progress),
                results, progress, log);
        }
        if (options.systems().contains(MarkdownReport.ARTEMIS) && options.shapes().contains(RingmqDeployment.PROCESS))
        {
            results.setups.put(MarkdownReport.ARTEMIS_PROCESS + "|" + fsync.label(), ArtemisOneAtATime.setup(fsync));
            progress.beginPhase("artemis-process one at a time, " + fsync.label());
            oneAtATimeDone(ArtemisOneAtATime.run(workload, progress), results, progress, log);
        }
    }

    /** The comparison's ringmq settings in this JVM; the deployment shape runs the daemon's defaults. */
    private static Map<String, String> settingsFor(
        final RingmqDeployment deployment, final Map<String, String> ringmqSettings)
    {
        return deployment.isProcess() ? Map.of() : ringmqSettings;
    }

    private static void oneAtATimeDone(
        final OneAtATimeResult result, final CompareResults results, final Progress progress, final PrintStream log)
    {
        progress.endPhase();
        log.println(result.format());
        results.oneAtATime.add(result);
    }

    private static void roundTripsDone(
        final LatencyResult result, final List<LatencyResult> into, final Progress progress, final PrintStream log)
    {
        progress.endPhase();
        log.println(result.format());
        into.add(result);
    }

    static Outcome write(final Path outRoot, final String stamp, final CompareResults results)
    {
        try
        {
            final Path dir = Files.createDirectories(outRoot.resolve(stamp));
            final Map<FsyncMode, String> plots = new EnumMap<>(FsyncMode.class);
            final List<Path> plotFiles = new ArrayList<>();
            for (final FsyncMode fsync : results.fsyncs)
            {
                final List<LatencyResult> series = results.latency(fsync);
                if (!series.isEmpty())
                {
                    final String name = "latency-fsync-" + fsync.name().toLowerCase(Locale.ROOT) + ".svg";
                    PercentilePlot.write(dir.resolve(name), String.format(Locale.ROOT,
                        "publish→deliver latency by percentile, %,d msg/s open loop, %s", results.rates.get(fsync),
                        fsync.label()), series);
                    plots.put(fsync, name);
                    plotFiles.add(dir.resolve(name));
                }
            }
            for (final LatencyResult result : results.latency)
            {
                result.writeHlogs(dir, result.system() + "-fsync-" + result.fsync().name().toLowerCase(Locale.ROOT));
            }
            for (final LatencyResult result : results.pingPong)
            {
                result.writeHlogs(dir, result.system() + "-pingpong-fsync-" +
                    result.fsync().name().toLowerCase(Locale.ROOT));
            }
            for (final LatencyResult result : results.requestReply)
            {
                result.writeHlogs(dir, result.system() + "-requestreply-fsync-" +
                    result.fsync().name().toLowerCase(Locale.ROOT));
            }
            for (final ReplicationRows.Row row : results.replication)
            {
                if (null != row.latency())
                {
                    row.latency().writeHlogs(dir, "ringmq-replication-" + row.mode());
                }
            }
            for (final OneAtATimeResult result : results.oneAtATime)
            {
                result.roundTrips().writeHlogs(dir, result.system() + "-oneatatime-fsync-" +
                    result.fsync().name().toLowerCase(Locale.ROOT));
            }
            final Path report = dir.resolve("report.md");
            Files.writeString(report, MarkdownReport.render(results, plots), StandardCharsets.UTF_8);
            final Path latest = copyToLatest(dir, outRoot.resolve("latest"));
            return new Outcome(dir, latest, report, plotFiles);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write the comparison under " + outRoot, ex);
        }
    }

    private static Path copyToLatest(final Path dir, final Path latest) throws IOException
    {
        if (Files.exists(latest))
        {
            try (Stream<Path> files = Files.list(latest))
            {
                for (final Path file : files.toList())
                {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(latest);
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : files.toList())
            {
                Files.copy(file, latest.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return latest;
    }
}
