package io.ringmq.daemon;

import io.ringmq.client.Publisher;
import io.ringmq.client.QueueConsumer;
import io.ringmq.client.RingmqClient;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 19's stall, end to end: ping-pong as the perf harness runs it (one ping in flight; the responder publishes the
 * pong and acks the ping after the poll that delivered it; the requester acks each pong before its next ping) over a
 * daemon at its defaults, but for the fsync, with a pause of 0.7-1.6 ms before each ping: every lone command then meets
 * the ingress and the ring's handlers about at the point where the ring blocks (1 ms idle), or blocked. A hand-off
 * that waits for an unrelated event shows as a round trip past its deadline, well under the visibility timeout, so a
 * redelivery cannot hide it; the failure says where each thread was and whether an unrelated publish freed it.
 * <p>
 * Without fsync by default: a journal sync is the disk's time, which on a loaded machine was measured at 4 s for one
 * msync (issue 19: that, not a lost wake-up, is what stalled). {@code -Dringmq.test.roundtrip.fsync=BATCH} runs it
 * with a sync per batch, {@code -Dringmq.test.roundtrips=N} longer (default 1,000: a few seconds).
 */
class LoneRoundTripEndToEndTest
{
    private static final int ROUND_TRIPS = Integer.getInteger("ringmq.test.roundtrips", 1_000);
    private static final String FSYNC = System.getProperty("ringmq.test.roundtrip.fsync", "NONE");
    /** Far above a round trip on a loaded machine, far below the visibility timeout (30 s by default). */
    private static final long ROUND_TRIP_DEADLINE_NS =
        TimeUnit.SECONDS.toNanos(Long.getLong("ringmq.test.roundtrip.deadline.s", 10));

    @TempDir
    Path tempDir;

    @Test
    void loneRoundTripsAfterIdleSpellsAtTheBlockThresholdEachComeBackWithoutATimer() throws InterruptedException
    {
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of("ringmq.journal.fsync", FSYNC));
        final AtomicReference<Throwable> responderFailure = new AtomicReference<>();
        final AtomicInteger redeliveries = new AtomicInteger();
        final Responder responder = new Responder(config, responderFailure, redeliveries);
        final SplittableRandom random = new SplittableRandom(19);
        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(config));
            RingmqClient client = TestDaemons.connect(config))
        {
            final long[] returned = {0, 0, 0}; // number, sequence, attempt
            final QueueConsumer pongs = client.consumer("rt.pong", "requester", 16, (delivery) ->
            {
                returned[0] = Long.parseLong(delivery.payloadAsString());
                returned[1] = delivery.sequence();
                returned[2] = delivery.attempt();
            });
            final Publisher pings = client.publisher("rt.ping");
            final Thread responderThread = new Thread(responder, "test-responder");
            responderThread.start();
            long slowestNs = 0;
            for (long number = 1; number <= ROUND_TRIPS; number++)
            {
                // The workload's shape, not a wait for anything: the idle spell before a lone command.
                LockSupport.parkNanos(700_000 + random.nextLong(900_000));
                final long sentNs = System.nanoTime();
                pings.publish(Long.toString(number));
                while (returned[0] != number)
                {
                    if (0 == client.poll())
                    {
                        if (System.nanoTime() - sentNs > ROUND_TRIP_DEADLINE_NS)
                        {
                            final String state = "responder answered " + responder.answered + " (last ping " +
                                responder.lastPing + "), requester has pong " + returned[0];
                            final long awaited = number;
                            final String nudged = nudge(client, () -> returned[0] == awaited);
                            final String where = whereEachThreadIs(daemon);
                            responder.stop(responderThread);
                            fail("round trip " + number + " of " + ROUND_TRIPS + " stalled: no pong within " +
                                TimeUnit.NANOSECONDS.toMillis(ROUND_TRIP_DEADLINE_NS) + " ms; " + state + "; " +
                                nudged + "; " + where);
                        }
                        Thread.yield();
                    }
                }
                slowestNs = Math.max(slowestNs, System.nanoTime() - sentNs);
                if (1 != returned[2])
                {
                    redeliveries.incrementAndGet();
                }
                pongs.ack(returned[1], (int)returned[2]);
            }
            responder.stop(responderThread);
            System.out.printf("lone round trips (fsync %s): %,d, slowest %,d us%n", FSYNC, ROUND_TRIPS,
                slowestNs / 1000);
        }
        assertNull(responderFailure.get(), () -> "the responder failed: " + responderFailure.get());
        assertEquals(0, redeliveries.get(), "no ping or pong went back for its visibility timeout");
    }

    /** For a stall: does an unrelated command free it? Then what stalled waited for the next command. */
    private static String nudge(final RingmqClient client, final BooleanSupplier freed)
    {
        final long nudgeNs = System.nanoTime();
        client.publisher("rt.nudge").publish("nudge");
        while (!freed.getAsBoolean() && System.nanoTime() - nudgeNs < TimeUnit.SECONDS.toNanos(5))
        {
            client.poll();
        }
        return freed.getAsBoolean() ? "a publish to another queue brought the pong " +
            TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - nudgeNs) + " us later" :
            "a publish to another queue did not bring it within 5 s";
    }

    /** For a stall: the daemon's figures and each thread's state and stack. */
    private static String whereEachThreadIs(final Daemon daemon) throws InterruptedException
    {
        final StringBuilder report = new StringBuilder("daemon applied log sequence ")
            .append(daemon.appliedLogSequence()).append(", ").append(daemon.statsLine()).append('\n');
        Thread.getAllStackTraces().forEach((thread, stack) ->
        {
            report.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
            for (int i = 0; i < Math.min(12, stack.length); i++)
            {
                report.append("    at ").append(stack[i]).append('\n');
            }
        });
        return report.toString();
    }

    /** Answers each ping with a pong of the same payload and acks the ping, after the poll that delivered it. */
    private static final class Responder implements Runnable
    {
        private final RingmqConfig config;
        private final AtomicReference<Throwable> failure;
        private final AtomicInteger redeliveries;
        private volatile boolean running = true;
        private volatile long answered;
        private volatile String lastPing;

        Responder(final RingmqConfig config, final AtomicReference<Throwable> failure, final AtomicInteger redeliveries)
        {
            this.config = config;
            this.failure = failure;
            this.redeliveries = redeliveries;
        }

        public void run()
        {
            try (RingmqClient client = TestDaemons.connect(config))
            {
                final String[] pending = {null};
                final long[] delivered = {0, 0}; // sequence, attempt
                final QueueConsumer pings = client.consumer("rt.ping", "responder", 16, (delivery) ->
                {
                    pending[0] = delivery.payloadAsString();
                    delivered[0] = delivery.sequence();
                    delivered[1] = delivery.attempt();
                });
                final Publisher pongs = client.publisher("rt.pong");
                while (running)
                {
                    final int fragments = client.poll();
                    if (null != pending[0])
                    {
                        if (1 != delivered[1])
                        {
                            redeliveries.incrementAndGet();
                        }
                        pongs.publish(pending[0]);
                        pings.ack(delivered[0], (int)delivered[1]);
                        lastPing = pending[0] + "/" + delivered[1];
                        answered++;
                        pending[0] = null;
                    }
                    else if (0 == fragments)
                    {
                        Thread.yield();
                    }
                }
            }
            catch (final Throwable throwable)
            {
                failure.set(throwable);
            }
        }

        void stop(final Thread thread) throws InterruptedException
        {
            running = false;
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(thread.isAlive(), "the responder stopped");
        }
    }
}
