package io.ringmq.perf.client;

import io.ringmq.client.ClientPoller;
import io.ringmq.client.Publisher;
import io.ringmq.client.QueueOptions;
import io.ringmq.client.RingmqClient;
import io.ringmq.perf.InProcessDaemon;
import io.ringmq.perf.PerfArgs;
import io.ringmq.perf.PerfMain;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What the client's own poller thread costs beside polling it yourself: the round trip of a publish that waits for
 * its receipt, (a) on the application's thread polling the client itself, (b) from an application thread through
 * {@link ClientPoller#call} (the caller parks and is woken by the poller when the receipt is read), and the poller
 * thread's CPU at rest, and (c) lone calls through the poller, one every {@code --gap-us}, so that each finds the
 * poller parked as an application's occasional request does. One in-process daemon, fsync off, the forms in one run,
 * alternating blocks so that drift hits them alike.
 * <p>
 * {@code perf/bin/perf-java io.ringmq.perf.client.ClientPollerCost [--round-trips N] [--blocks N] [--rest-s N]
 * [--gap-us G]}
 */
public final class ClientPollerCost
{
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: ClientPollerCost [options]",
        "  --round-trips N  publishAndWait round trips per block (20000)",
        "  --blocks N       alternating blocks of each form; the first of each is warm-up (6)",
        "  --rest-s N       seconds to measure the poller thread's CPU with nothing to do (5)",
        "  --gap-us G       pause before each lone call through the poller; a tenth as many of them per block (2000)");
    private static final byte[] PAYLOAD = new byte[100];

    private ClientPollerCost()
    {
    }

    public static void main(final String[] args)
    {
        PerfMain.runAndExit(() ->
        {
            final PerfArgs options = PerfArgs.parse(args, List.of("--round-trips", "--blocks", "--rest-s", "--gap-us"),
                List.of("--help"), USAGE);
            if (options.has("--help"))
            {
                System.out.println(USAGE);
                return;
            }
            final int roundTrips = options.integer("--round-trips", 20_000);
            final int blocks = options.integer("--blocks", 6);
            final int restS = options.integer("--rest-s", 5);
            final int gapUs = options.integer("--gap-us", 2_000);
            if (roundTrips < 1 || blocks < 2 || restS < 1 || gapUs < 1)
            {
                throw new IllegalArgumentException(
                    "--round-trips >= 1, --blocks >= 2, --rest-s >= 1, --gap-us >= 1\n" + USAGE);
            }
            System.out.println(run(roundTrips, blocks, restS, gapUs));
        });
    }

    static String run(final int roundTrips, final int blocks, final int restS, final int gapUs)
    {
        final Histogram ownLoop = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final Histogram viaPoller = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final Histogram lone = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final int loneCalls = Math.max(1, roundTrips / 10);
        final double restCore;
        try (InProcessDaemon daemon = InProcessDaemon.launch(Map.of("ringmq.journal.fsync", "NONE"));
            RingmqClient own = RingmqClient.connect(daemon.clientContext("own-loop", new YieldingIdleStrategy()));
            RingmqClient polled = RingmqClient.connect(daemon.clientContext("polled", new YieldingIdleStrategy())))
        {
            own.declareQueue("cost-own", QueueOptions.unset());
            own.declareQueue("cost-polled", QueueOptions.unset());
            final Publisher ownPublisher = own.publisher("cost-own");
            final ClientPoller poller = polled.startPoller();
            final Publisher polledPublisher = poller.call((c) -> c.publisher("cost-polled"));
            for (int block = 0; block < blocks; block++)
            {
                final boolean warmUp = block < 2;
                if (block % 2 == 0)
                {
                    ownLoopBlock(ownPublisher, roundTrips, warmUp ? null : ownLoop);
                }
                else
                {
                    pollerBlock(poller, polledPublisher, roundTrips, warmUp ? null : viaPoller);
                    loneCallsBlock(poller, polledPublisher, loneCalls, gapUs, warmUp ? null : lone);
                }
                own.purge("cost-own"); // keep the queues short: memory is not what this measures
                poller.call((c) -> c.purge("cost-polled"));
            }
            restCore = pollerCpuAtRest(poller, restS);
        }
        return String.join(System.lineSeparator(),
            "publishAndWait round trip, 100-byte payload, fsync off, in-process daemon (" + roundTrips +
                " per block, " + (blocks / 2 - 1) + " measured blocks per form)",
            row("own poll loop (yielding)", ownLoop),
            row("via ClientPoller.call", viaPoller),
            row("lone calls, " + gapUs + " us apart", lone),
            String.format("poller thread at rest (default backoff idle): %.2f%% of a core", restCore * 100));
    }

    private static void ownLoopBlock(final Publisher publisher, final int roundTrips, final Histogram histogram)
    {
        for (int i = 0; i < roundTrips; i++)
        {
            final long startNs = System.nanoTime();
            publisher.publishAndWait(PAYLOAD);
            record(histogram, System.nanoTime() - startNs);
        }
    }

    private static void pollerBlock(
        final ClientPoller poller, final Publisher publisher, final int roundTrips, final Histogram histogram)
    {
        for (int i = 0; i < roundTrips; i++)
        {
            final long startNs = System.nanoTime();
            poller.call((c) -> publisher.publishAndWait(PAYLOAD));
            record(histogram, System.nanoTime() - startNs);
        }
    }

    private static void loneCallsBlock(final ClientPoller poller, final Publisher publisher, final int calls,
        final int gapUs, final Histogram histogram)
    {
        for (int i = 0; i < calls; i++)
        {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(gapUs));
            final long startNs = System.nanoTime();
            poller.call((c) -> publisher.publishAndWait(PAYLOAD));
            record(histogram, System.nanoTime() - startNs);
        }
    }

    private static void record(final Histogram histogram, final long ns)
    {
        if (null != histogram)
        {
            histogram.recordValue(Math.min(ns, histogram.getHighestTrackableValue()));
        }
    }

    /** The poller thread's share of one core over {@code seconds} with nothing to do, from the JVM's thread CPU time. */
    private static double pollerCpuAtRest(final ClientPoller poller, final int seconds)
    {
        final long pollerThreadId = poller.call((c) -> Thread.currentThread().getId());
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3)); // let its backoff reach its longest park (~1.5 s)
        final long cpuStartNs = threads.getThreadCpuTime(pollerThreadId);
        final long wallStartNs = System.nanoTime();
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
        final long cpuNs = threads.getThreadCpuTime(pollerThreadId) - cpuStartNs;
        return (double)cpuNs / (System.nanoTime() - wallStartNs);
    }

    private static String row(final String name, final Histogram histogram)
    {
        return String.format("  %-26s p50 %7.1f us  p99 %7.1f us  p99.9 %7.1f us  max %8.1f us", name,
            histogram.getValueAtPercentile(50) / 1_000.0, histogram.getValueAtPercentile(99) / 1_000.0,
            histogram.getValueAtPercentile(99.9) / 1_000.0, histogram.getMaxValue() / 1_000.0);
    }
}
