package io.ringmq.perf.compare;

import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.PerfArgs;
import io.ringmq.perf.RingmqDeployment;
import io.ringmq.perf.process.DaemonLauncher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link PerfCompare} run does and where it writes: the mode, systems, rates, fsync settings, phases and
 * shapes, from the command line ({@link #parse}) or built by a test.
 */
public record CompareOptions(
    CompareMode mode, Path outRoot, long ratePerSecond, long batchRatePerSecond, int payloadBytes,
    List<String> systems,
    String ringmqIdle, int timeoutS, int producers, int consumers, List<FsyncMode> fsyncs, boolean openLoop,
    boolean throughput, List<String> shapes, DaemonLauncher launcher, boolean replication, Path failoverTimes,
    RingmqProfile ringmqProfile)
{
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: ringmq perf compare [--quick] [options]",
        "  --quick              under 3 minutes: fewer messages, no ping-pong or request/reply (default: full)",
        "  --tiny               seconds, fsync off only: checks the tooling, figures meaningless",
        "  --out-root DIR       results go to DIR/<timestamp>/ and DIR/latest/ (perf/results)",
        "  --rate N             open-loop rate with fsync off, msg/s, the same for every system (10000)",
        "  --rate-batch N       open-loop rate with fsync per batch (2000: what all three sustain on this disk)",
        "  --payload-bytes N    payload size, >= 20 (100)",
        "  --systems LIST       comma-separated, from ringmq,raw,artemis (all)",
        "  --ringmq-idle S      YIELDING (default), BACKOFF or DEFAULT: ringmq's agents' idle strategy and ring",
        "                       wait (YIELDING sets ringmq.ring.wait.strategy=YIELDING too; DEFAULT sets neither:",
        "                       the daemon's defaults, or -Dringmq.*); the raw broker matches it (YIELDING for DEFAULT)",
        "  --fsyncs LIST        comma-separated, from none,batch: the fsync settings to run (the mode's: both)",
        "  --no-open-loop       skip the open-loop latency phases (throughput and ping-pong only)",
        "  --no-throughput      skip the throughput phases",
        "  --shape S            in-process, process or both (both). in-process: every phase with ringmq's daemon and",
        "                       Artemis in this JVM; process: the deployment shape, ringmq's daemon as its own",
        "                       process started by the launcher with its defaults, clients with the client's default",
        "                       settings, Artemis as its own process: 1P/1C throughput (fsync off and per batch,",
        "                       every message receipted and acked), the open loop at --rate / --rate-batch,",
        "                       ping-pong and one-at-a-time publishing only (the raw pipeline, the floor, runs in",
        "                       this JVM in both)",
        "  --ringmq PATH        the launcher that starts the daemon for the process shape (bin/ringmq)",
        "  --producers N        throughput also with N producers and M consumers (competing for one queue), for",
        "  --consumers M        every system, after its 1P/1C pass (1 and 1: none extra)",
        "  --replication        add ringmq's replication rows: 1P/1C throughput and publish→receipt latency at --rate",
        "                       with replication off, none, received and journaled (a standby in this JVM over UDP",
        "                       loopback, fsync off), and the catch-up rate of a standby started behind",
        "  --failover DIR       add the failover rows: p50/p99/max of the fault suite's failover times (FailoverFaultIT",
        "                       writes them to daemon/target/failover-times: kill9.txt, kill9-rejoin.txt,",
        "                       switchover.txt; PairFaultsIT: pause-continue.txt)",
        "  --ringmq-profile F   ringmq's daemon runs with the keys of this properties file in both shapes (e.g.",
        "                       config/low-latency.properties: pinned, spinning); the raw broker idles as its",
        "                       ringmq.idle.strategy. Pin the harness's threads with PERF_JAVA_OPTS:",
        "                       -Dperf.client.cpus=LIST (clients) -Dperf.raw.broker.cpus=LIST (the raw broker)",
        "  --timeout-s N        fail a phase after N seconds (600)");

    /** Where ringmq's daemon can run for the round-trip phases. */
    static final List<String> SHAPES = List.of(RingmqDeployment.IN_PROCESS, RingmqDeployment.PROCESS);
    /** {@code --ringmq-idle DEFAULT}: no strategy keys set, the daemon's own defaults. */
    static final String DEFAULT_IDLE = "DEFAULT";

    public CompareOptions
    {
        if (shapes.isEmpty() || !SHAPES.containsAll(shapes))
        {
            throw new IllegalArgumentException("--shape " + shapes + " must be in-process, process or both\n" +
                USAGE);
        }
        if (shapes.contains(RingmqDeployment.PROCESS) && null == launcher)
        {
            throw new IllegalArgumentException("the process shape needs a launcher (--ringmq)\n" + USAGE);
        }
        if (producers < 1 || consumers < 1)
        {
            throw new IllegalArgumentException("--producers " + producers + " and --consumers " + consumers +
                " must be >= 1\n" + USAGE);
        }
        if (fsyncs.isEmpty() || !mode.fsyncs().containsAll(fsyncs))
        {
            throw new IllegalArgumentException("--fsyncs " + fsyncs + " must name some of the mode's " +
                mode.fsyncs() + "\n" + USAGE);
        }
    }

    /** Without a ringmq profile: the daemon's own settings (and the comparison's idle choice). */
    public CompareOptions(
        final CompareMode mode, final Path outRoot, final long ratePerSecond, final long batchRatePerSecond,
        final int payloadBytes, final List<String> systems, final String ringmqIdle, final int timeoutS,
        final int producers, final int consumers, final List<FsyncMode> fsyncs, final boolean openLoop,
        final boolean throughput, final List<String> shapes, final DaemonLauncher launcher, final boolean replication,
        final Path failoverTimes)
    {
        this(mode, outRoot, ratePerSecond, batchRatePerSecond, payloadBytes, systems, ringmqIdle, timeoutS, producers,
            consumers, fsyncs, openLoop, throughput, shapes, launcher, replication, failoverTimes, null);
    }

    /** Every fsync setting of the mode, with the throughput and open-loop phases, ringmq in-process only. */
    public CompareOptions(
        final CompareMode mode, final Path outRoot, final long ratePerSecond, final long batchRatePerSecond,
        final int payloadBytes, final List<String> systems, final String ringmqIdle, final int timeoutS,
        final int producers, final int consumers)
    {
        this(mode, outRoot, ratePerSecond, batchRatePerSecond, payloadBytes, systems, ringmqIdle, timeoutS,
            producers, consumers, mode.fsyncs(), true, true, List.of(RingmqDeployment.IN_PROCESS), null, false,
            null);
    }

    /** The deployments whose ringmq round trips run, in-process first. */
    public List<RingmqDeployment> deployments()
    {
        final List<RingmqDeployment> deployments = new ArrayList<>();
        if (shapes.contains(RingmqDeployment.IN_PROCESS))
        {
            deployments.add(RingmqDeployment.inProcess());
        }
        if (shapes.contains(RingmqDeployment.PROCESS))
        {
            deployments.add(RingmqDeployment.process(null == ringmqProfile ? launcher : ringmqProfile.launcher(launcher)));
        }
        return deployments;
    }

    /** Throughput 1P/1C only. */
    public CompareOptions(
        final CompareMode mode, final Path outRoot, final long ratePerSecond, final long batchRatePerSecond,
        final int payloadBytes, final List<String> systems, final String ringmqIdle, final int timeoutS)
    {
        this(mode, outRoot, ratePerSecond, batchRatePerSecond, payloadBytes, systems, ringmqIdle, timeoutS, 1, 1);
    }

    /** True when every system's throughput runs an N x M pass besides the 1P/1C one. */
    public boolean hasManyToMany()
    {
        return producers > 1 || consumers > 1;
    }

    public static CompareOptions parse(final String[] args)
    {
        final PerfArgs options = PerfArgs.parse(args,
            List.of("--out-root", "--rate", "--rate-batch", "--payload-bytes", "--systems", "--ringmq-idle",
                "--timeout-s", "--producers", "--consumers", "--fsyncs", "--shape", "--ringmq", "--failover",
                "--ringmq-profile"),
            List.of("--quick", "--tiny", "--no-open-loop", "--no-throughput", "--replication", "--help"), USAGE);
        if (options.has("--help"))
        {
            return null;
        }
        final CompareMode mode = options.has("--tiny") ? CompareMode.TINY :
            options.has("--quick") ? CompareMode.QUICK : CompareMode.FULL;
        final List<String> systems = Arrays.stream(options.string("--systems", "ringmq,raw,artemis").split(","))
            .map((name) -> name.trim().toLowerCase(Locale.ROOT)).filter((name) -> !name.isEmpty()).toList();
        final String idle = options.string("--ringmq-idle", "YIELDING").toUpperCase(Locale.ROOT);
        if (!idle.equals("YIELDING") && !idle.equals("BACKOFF") && !idle.equals(DEFAULT_IDLE))
        {
            throw new IllegalArgumentException("--ringmq-idle " + idle + " must be YIELDING, BACKOFF or " +
                DEFAULT_IDLE + "\n" + USAGE);
        }
        final List<FsyncMode> fsyncs = options.has("--fsyncs") ?
            Arrays.stream(options.string("--fsyncs", "").split(",")).map(FsyncMode::parse).distinct().toList() :
            mode.fsyncs();
        return new CompareOptions(mode, Path.of(options.string("--out-root", "perf/results")),
            options.number("--rate", 10_000), options.number("--rate-batch", 2_000),
            options.integer("--payload-bytes", 100), systems, idle,
            options.integer("--timeout-s", 600), options.integer("--producers", 1),
            options.integer("--consumers", 1), fsyncs, !options.has("--no-open-loop"),
            !options.has("--no-throughput"), shapes(options.string("--shape", "both")),
            DaemonLauncher.script(Path.of(options.string("--ringmq", "bin/ringmq"))), options.has("--replication"),
            options.has("--failover") ? Path.of(options.string("--failover", "")) : null,
            options.has("--ringmq-profile") ? RingmqProfile.load(Path.of(options.string("--ringmq-profile", ""))) : null);
    }

    private static List<String> shapes(final String shape)
    {
        final String name = shape.trim().toLowerCase(Locale.ROOT);
        return name.equals("both") ? SHAPES : List.of(name);
    }
}
