package io.ringmq.daemon;

import io.ringmq.client.ClientContext;
import io.ringmq.client.ClientPoller;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client whose polling is owned by a {@link ClientPoller} thread: handlers run there, other threads hand it work and
 * wait for answers, and no other thread can use the client behind the poller's back.
 */
class ClientPollerEndToEndTest
{
    @TempDir
    Path tempDir;

    @Test
    void handlersRunOnThePollerAndCallsFromOtherThreadsAreAnswered() throws Exception
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        try (Daemon ignored = Daemon.launch(new DaemonContext().settings(config));
            RingmqClient client = TestDaemons.connect(config))
        {
            client.declareQueue("orders", io.ringmq.client.QueueOptions.unset());
            final ClientPoller poller = client.startPoller();
            final List<String> seen = new CopyOnWriteArrayList<>();
            final List<Thread> handlerThreads = new CopyOnWriteArrayList<>();
            final CountDownLatch delivered = new CountDownLatch(3);
            poller.call((c) -> c.consumer("orders", "billing", (delivery) ->
            {
                seen.add(delivery.payloadAsString());
                handlerThreads.add(Thread.currentThread());
                delivery.ack();
                delivered.countDown();
            }));

            // Three threads publish and wait at once; each is woken by the receipt the poller thread reads.
            final List<CompletableFuture<Long>> sequences = List.of(
                CompletableFuture.supplyAsync(() -> poller.call((c) -> c.publisher("orders").publishAndWait("a"))),
                CompletableFuture.supplyAsync(() -> poller.call((c) -> c.publisher("orders").publishAndWait("b"))),
                CompletableFuture.supplyAsync(() -> poller.call((c) -> c.publisher("orders").publishAndWait("c"))));
            long sum = 0;
            for (final CompletableFuture<Long> sequence : sequences)
            {
                sum += sequence.get(30, TimeUnit.SECONDS);
            }
            assertEquals(1 + 2 + 3, sum, "three receipts, queue sequences 1 to 3 in some order");

            assertTrue(delivered.await(30, TimeUnit.SECONDS), () -> "delivered only " + seen);
            assertEquals(List.of("a", "b", "c"), seen.stream().sorted().toList());
            assertTrue(handlerThreads.stream().allMatch((t) -> t.getName().startsWith("ringmq-client-poller")),
                () -> "handlers ran on " + handlerThreads);

            final IllegalStateException refused =
                assertThrows(IllegalStateException.class, () -> client.publisher("orders").publish("behind its back"));
            assertTrue(refused.getMessage().contains("ClientPoller"), refused.getMessage());
            assertThrows(IllegalStateException.class, client::poll);

            final RingmqException failed = assertThrows(RingmqException.class,
                () -> poller.call((c) -> c.stats("no-such-queue")));
            assertTrue(failed.getMessage().contains("no-such-queue"), failed.getMessage());

            poller.close();
            assertFalse(poller.isRunning());
            assertEquals(4, client.publisher("orders").publishAndWait("d"), "the client is the caller's again");
        }
    }

    @Test
    void aTaskHandedToAParkedPollerRunsWithoutWaitingOutThePark() throws Exception
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        // Parks of a minute: only a wake on hand-over can run the task within the wait below.
        final ClientContext ctx =
            new ClientContext().pollerIdleStrategy(new SleepingIdleStrategy(TimeUnit.MINUTES.toNanos(1)));
        try (Daemon ignored = Daemon.launch(new DaemonContext().settings(config));
            RingmqClient client = TestDaemons.connect(config, ctx);
            ClientPoller poller = client.startPoller())
        {
            final Thread pollerThread = poller.submit((c) -> Thread.currentThread()).get(30, TimeUnit.SECONDS);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (pollerThread.getState() != Thread.State.TIMED_WAITING)
            {
                assertTrue(System.nanoTime() < deadline, () -> "the poller never parked: " + pollerThread.getState());
                Thread.onSpinWait();
            }

            final String ranOn = poller.submit((c) -> Thread.currentThread().getName()).get(20, TimeUnit.SECONDS);
            assertEquals(pollerThread.getName(), ranOn);
        }
    }

    @Test
    void closingTheClientFromAnotherThreadStopsItsPollerFirst() throws Exception
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        try (Daemon ignored = Daemon.launch(new DaemonContext().settings(config)))
        {
            final RingmqClient client = TestDaemons.connect(config);
            final ClientPoller poller = client.startPoller();
            assertEquals(1, (long)poller.call((c) -> c.publisher("q").publishAndWait("x")));
            client.close();
            assertFalse(poller.isRunning());
            assertTrue(client.isClosed());
            assertThrows(IllegalStateException.class, () -> poller.execute((c) -> { }));
        }
    }
}
