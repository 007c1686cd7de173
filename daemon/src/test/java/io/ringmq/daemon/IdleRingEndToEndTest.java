package io.ringmq.daemon;

import io.ringmq.client.RingmqClient;
import io.ringmq.config.JournalFsync;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.SteppedClock;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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
 * With the stages on threads of their own ({@code ringmq.ring.threads=PER_STAGE}, as every node of a pair runs) and the
 * default ring wait, the ring's threads block once the daemon is idle (an idle daemon costs no CPU there), and the daemon
 * still works from that state: a timer that comes due (the ingress journals a tick), a client's publish, and a stop
 * each wake the blocked ring. Time passes on a stepped clock; the test waits on conditions, never sleeps.
 */
class IdleRingEndToEndTest
{
    private static final long TIMEOUT_MS = 30_000;
    private static final long VISIBILITY_MS = 5_000;

    @TempDir
    Path tempDir;

    /**
     * With a syncing fsync policy the ring has a sync stage between the journal and the dispatcher (a third thread,
     * which blocks when idle like the others); with NONE it has the journal and dispatch threads only, as before.
     */
    @ParameterizedTest
    @EnumSource(value = JournalFsync.class, names = {"BATCH", "NONE"})
    void aBlockedRingWakesForADueTimerAPublishAndAStop(final JournalFsync fsync)
    {
        final SteppedClock clock = new SteppedClock();
        final RingmqConfig config = TestDaemons.config(tempDir,
            Map.of("ringmq.queue.visibility.timeout", VISIBILITY_MS + "ms", "ringmq.journal.fsync", fsync.name(),
                "ringmq.ring.threads", "PER_STAGE"));
        final List<String> seen = new CopyOnWriteArrayList<>();
        final Daemon daemon = Daemon.launch(new DaemonContext().settings(config).epochNanoClock(clock));
        final List<Thread> ringThreads;
        try (RingmqClient client = TestDaemons.connect(config))
        {
            ringThreads = Thread.getAllStackTraces().keySet().stream()
                .filter((thread) -> thread.getName().equals("ringmq-ring") && thread.isAlive()).toList();
            assertEquals(JournalFsync.NONE == fsync ? 2 : 3, ringThreads.size(),
                "journal, (sync,) and dispatch threads: " + ringThreads);
            client.consumer("idle", "g", (d) -> seen.add(d.sequence() + "/" + d.attempt())); // never acks
            client.publisher("idle").publishAndWait("x");
            pollUntil(client, () -> seen.size() == 1, TIMEOUT_MS, "the first delivery");

            awaitBlocked(client, ringThreads);
            clock.advanceMs(VISIBILITY_MS + 1);
            pollUntil(client, () -> seen.size() == 2, TIMEOUT_MS, "the redelivery: a tick woke the blocked ring");

            awaitBlocked(client, ringThreads);
            client.publisher("idle").publishAndWait("y");
            pollUntil(client, () -> seen.size() == 3, TIMEOUT_MS, "the delivery of a publish to the blocked ring");
            assertEquals(List.of("1/1", "1/2", "2/1"), seen);

            awaitBlocked(client, ringThreads);
        }
        final long stopStartNs = System.nanoTime();
        daemon.close();
        final long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStartNs);
        for (final Thread thread : ringThreads)
        {
            assertFalse(thread.isAlive(), thread + " still runs after the stop");
        }
        // A ring nothing wakes makes the stop wait for each thread's 30 s join before it gives up on them.
        assertTrue(stopMs < TIMEOUT_MS / 3, "the stop woke the blocked ring at once, took " + stopMs + " ms");
    }

    /** Until every ring thread waits in the blocking phase of the wait strategy (the client polled meanwhile). */
    private static void awaitBlocked(final RingmqClient client, final List<Thread> ringThreads)
    {
        pollUntil(client, () -> ringThreads.stream().allMatch((thread) -> Thread.State.WAITING == thread.getState()),
            TIMEOUT_MS, "every ring thread to block: " + ringThreads.stream().map(Thread::getState).toList());
    }
}
