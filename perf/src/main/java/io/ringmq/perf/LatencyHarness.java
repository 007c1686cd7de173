package io.ringmq.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command line for the latency workloads of one system: open loop at a fixed rate (publish→deliver and
 * publish→receipt from the intended send time) or ping-pong (round trip), once per fsync policy asked for. Prints
 * the percentiles and writes each histogram as an {@code .hlog}. {@code perf/bin/run-latency} runs it.
 */
public final class LatencyHarness
{
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: run-latency [options]",
        "  --system S           ringmq (default), raw or artemis",
        "  --mode M             open-loop (default) or ping-pong (ringmq only)",
        "  --fsync F            NONE, BATCH (default), INTERVAL (ringmq only) or ALL (each in turn)",
        "  --rate N             offered messages per second, open loop (10000)",
        "  --messages N         recorded messages (100000)",
        "  --warmup-messages N  messages sent first and not recorded (20000)",
        "  --payload-bytes N    payload size, >= 20 (100)",
        "  --timeout-s N        fail a run after N seconds (300)",
        "  --hlog-dir DIR       where the .hlog files go (perf-latency-<timestamp>)");

    private LatencyHarness()
    {
    }

    public static void main(final String[] args)
    {
        PerfMain.runAndExit(() ->
        {
            final PerfArgs options = PerfArgs.parse(args,
                List.of("--system", "--mode", "--fsync", "--rate", "--messages", "--warmup-messages", "--payload-bytes",
                    "--timeout-s", "--hlog-dir"),
                List.of("--help"), USAGE);
            if (options.has("--help"))
            {
                System.out.println(USAGE);
                return;
            }
            run(options);
        });
    }

    private static void run(final PerfArgs options)
    {
        final String system = options.string("--system", "ringmq").toLowerCase(Locale.ROOT);
        final String mode = options.string("--mode", "open-loop").toLowerCase(Locale.ROOT);
        if (!mode.equals("open-loop") && !mode.equals("ping-pong"))
        {
            throw new IllegalArgumentException("--mode " + mode + " must be open-loop or ping-pong\n" + USAGE);
        }
        if (mode.equals("ping-pong") && !system.equals("ringmq"))
        {
            throw new IllegalArgumentException("--mode ping-pong is for --system ringmq only\n" + USAGE);
        }
        final Contender contender = Contenders.byName(system, Map.of());
        final String fsyncName = options.string("--fsync", "BATCH");
        final List<FsyncMode> policies = new ArrayList<>();
        if (fsyncName.equalsIgnoreCase("ALL"))
        {
            policies.addAll(Contenders.policies(contender));
        }
        else
        {
            policies.add(FsyncMode.parse(fsyncName));
        }
        final Path hlogDir = Path.of(options.string("--hlog-dir",
            "perf-latency-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));

        try (Progress progress = Progress.printingTo(System.err, 2_000))
        {
            Files.createDirectories(hlogDir);
            for (final FsyncMode fsync : policies)
            {
                final LatencyWorkload workload = new LatencyWorkload(
                    options.number("--rate", 10_000),
                    options.number("--messages", 100_000),
                    options.number("--warmup-messages", 20_000),
                    options.integer("--payload-bytes", 100),
                    fsync,
                    options.integer("--timeout-s", 300));
                progress.beginPhase(system + " " + mode + " " + fsync.label());
                final LatencyResult result = mode.equals("ping-pong") ?
                    RingmqLatencyHarness.runPingPong(workload, Map.of(), progress) :
                    contender.latency(workload, progress);
                progress.endPhase();
                System.out.println(result.format());
                final String base = system + "-" + mode + "-fsync-" + fsync.name().toLowerCase(Locale.ROOT);
                System.out.println("  hlog: " + result.writeHlogs(hlogDir, base));
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
