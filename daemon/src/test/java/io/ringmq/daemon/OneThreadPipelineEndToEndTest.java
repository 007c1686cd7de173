package io.ringmq.daemon;

import io.ringmq.client.RingmqClient;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.SteppedClock;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At defaults a node without a standby runs its pipeline on one thread ({@code ringmq.ring.threads=ONE}): no ingress
 * thread and one ring thread, which takes clients' commands, journals them (a restart replays them) and answers, fires
 * a timer that comes due while it idles, and stops promptly. Time passes on a stepped clock; the test waits on
 * conditions, never sleeps.
 */
class OneThreadPipelineEndToEndTest
{
    private static final long TIMEOUT_MS = 30_000;
    private static final long VISIBILITY_MS = 5_000;

    @TempDir
    Path tempDir;

    @Test
    void oneThreadTakesCommandsJournalsThemFiresTimersAndStops()
    {
        final SteppedClock clock = new SteppedClock();
        final RingmqConfig config = TestDaemons.config(tempDir,
            Map.of("ringmq.queue.visibility.timeout", VISIBILITY_MS + "ms"));
        final List<String> seen = new CopyOnWriteArrayList<>();
        final Daemon daemon = Daemon.launch(new DaemonContext().settings(config).epochNanoClock(clock));
        final List<Thread> ringThreads;
        try (RingmqClient client = TestDaemons.connect(config))
        {
            ringThreads = threadsNamed("ringmq-ring");
            assertEquals(1, ringThreads.size(), "one thread runs the pipeline: " + ringThreads);
            assertEquals(List.of(), threadsNamed("ringmq-ingress"), "no ingress thread of its own");

            client.consumer("one", "g", (d) -> seen.add(d.sequence() + "/" + d.attempt())); // never acks
            client.publisher("one").publishAndWait("x");
            pollUntil(client, () -> seen.size() == 1, TIMEOUT_MS, "the first delivery");

            pollUntil(client, () -> Thread.State.TIMED_WAITING == ringThreads.get(0).getState(), TIMEOUT_MS,
                "the ring thread to idle");
            clock.advanceMs(VISIBILITY_MS + 1);
            pollUntil(client, () -> seen.size() == 2, TIMEOUT_MS, "the redelivery: the idle thread fired the timer");
            client.publisher("one").publishAndWait("y");
            pollUntil(client, () -> seen.size() == 3, TIMEOUT_MS, "the next publish's delivery");
            assertEquals(List.of("1/1", "1/2", "2/1"), seen);
        }
        final long stopStartNs = System.nanoTime();
        daemon.close();
        final long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStartNs);
        assertFalse(ringThreads.get(0).isAlive(), "the ring thread still runs after the stop");
        assertTrue(stopMs < TIMEOUT_MS / 3, "the stop took " + stopMs + " ms");

        // What was receipted was journaled: a restart holds both messages, neither acked.
        final List<String> again = new CopyOnWriteArrayList<>();
        try (Daemon restarted = Daemon.launch(new DaemonContext().settings(config).epochNanoClock(clock));
            RingmqClient client = TestDaemons.connect(config))
        {
            client.consumer("one", "g", (d) -> again.add(d.payloadAsString()));
            pollUntil(client, () -> again.size() == 2, TIMEOUT_MS, "both messages after the restart");
            assertEquals(List.of("x", "y"), again);
        }
    }

    private static List<Thread> threadsNamed(final String name)
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter((thread) -> thread.getName().equals(name) && thread.isAlive()).toList();
    }
}
