package io.ringmq.perf;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a one-at-a-time publish spends its time, measured in one run: for fsync off and per batch, a daemon in this
 * JVM (its defaults otherwise), one client calling {@code publishAndWait} in a loop after a warm-up, and beside each
 * run the daemon's own ingress→dispatch histogram over the same recorded publishes (the ingress stamping the command,
 * the ring, the journal append and, per batch, its sync, up to the dispatcher taking it). The round trip minus that is
 * the client's send, the egress and the client's wake-up; per batch minus off is what the sync adds; the device
 * flush floor (timed alone, before the runs) is what one sync must cost on this disk.
 * <p>
 * {@code perf/bin/perf-java io.ringmq.perf.DurablePublishBreakdown [--publishes N] [--flushes N] [--fsync F]}
 */
public final class DurablePublishBreakdown
{
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: DurablePublishBreakdown [--publishes N] [--flushes N] [--fsync NONE|BATCH]",
        "  --publishes N   recorded one-at-a-time publishes per fsync setting, after a fifth as many warm-up (2000)",
        "  --flushes N     device flushes timed for the floor (500)",
        "  --fsync F       run only this fsync setting (default: NONE, then BATCH)");

    private DurablePublishBreakdown()
    {
    }

    public static void main(final String[] args)
    {
        PerfMain.runAndExit(() ->
        {
            final PerfArgs options = PerfArgs.parse(args, List.of("--publishes", "--flushes", "--fsync"),
                List.of("--help"),
                USAGE);
            if (options.has("--help"))
            {
                System.out.println(USAGE);
                return;
            }
            final int publishes = options.integer("--publishes", 2_000);
            final DeviceFlushCost floor = DeviceFlushCost.measure(options.integer("--flushes", 500));
            System.out.println(floor.format());
            final List<FsyncMode> settings = options.has("--fsync") ?
                List.of(FsyncMode.parse(options.string("--fsync", "BATCH"))) : List.of(FsyncMode.NONE, FsyncMode.BATCH);
            for (final FsyncMode fsync : settings)
            {
                System.out.println(run(new LatencyWorkload(1, publishes, publishes / 5, 100, fsync, 600)));
            }
        });
    }

    static String run(final LatencyWorkload workload)
    {
        try (InProcessDaemon server = InProcessDaemon.launch(Map.of("ringmq.journal.fsync",
                workload.fsync().name()));
            ClientThread thread = new ClientThread("perf-publisher",
                RingmqDeployment.inProcess().clientContext(server, "perf-publisher"), workload.timeoutS()))
        {
            final PassControl control = new PassControl(TimeUnit.SECONDS.toNanos(workload.timeoutS()));
            final LatencyWorkload warmup = new LatencyWorkload(1, Math.max(1, workload.warmupMessages()), 0,
                workload.payloadBytes(), workload.fsync(), workload.timeoutS());
            RingmqLatencyHarness.await(thread.submit(new OneAtATimePublisher(control, "perf-warmup", warmup,
                new OneAtATimeRecorder(warmup), Progress.silent())), control, workload);
            server.daemon().histograms().report(); // forget the warm-up
            final LatencyWorkload measured = new LatencyWorkload(1, workload.messages(), 0, workload.payloadBytes(),
                workload.fsync(), workload.timeoutS());
            final OneAtATimeRecorder recorder = new OneAtATimeRecorder(measured);
            MeasuredPassMark.announce("one at a time, " + workload.fsync().label());
            RingmqLatencyHarness.await(thread.submit(new OneAtATimePublisher(control, "perf-measured", measured,
                recorder, Progress.silent())), control, workload);
            RingmqLatencyHarness.requireSuccess(control, "one-at-a-time breakdown");
            final String stage = server.daemon().histograms().report();
            final int cut = stage.indexOf(" | since start");
            return recorder.result("ringmq", OneAtATimeResult.describe(measured, "publishAndWait, daemon in-process " +
                "at its defaults, client yielding"), workload.fsync()).format() + System.lineSeparator() +
                "  daemon " + (cut > 0 ? stage.substring(0, cut) : stage);
        }
    }
}
