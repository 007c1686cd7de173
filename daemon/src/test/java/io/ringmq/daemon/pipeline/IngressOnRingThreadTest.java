package io.ringmq.daemon.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.journal.FsyncPolicy;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ring's one thread runs the ingress while it waits: what the ingress publishes is handled on the same thread,
 * the ingress starts after the handler and is closed once (by a stop, or as the thread ends), a stop is seen while the
 * ring is idle, an ingress cycle that throws is reported and the thread goes on, and the idle action runs once per
 * quiet spell after work, on the thread's clock, and a batch stops polling once it holds its commands. Waits on conditions with a
 * deadline.
 */
class IngressOnRingThreadTest
{
    private static final long DEADLINE_MS = 10_000;
    private static final int MAX_BATCH = 3;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final AtomicLong cycles = new AtomicLong();
    private final AtomicInteger idleRuns = new AtomicInteger();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final Queue<Long> toSend = new ConcurrentLinkedQueue<>();
    private final List<Long> batchEnds = new CopyOnWriteArrayList<>();
    private final IngressOnRingThread wait =
        new IngressOnRingThread(new BackoffIdleStrategy(1, 1, 1_000, 100_000), MAX_BATCH, errors::add, clock);
    private final Disruptor<CommandEvent> disruptor =
        new Disruptor<>(CommandEvent::new, 8, Thread::new, ProducerType.SINGLE, wait);
    private volatile boolean failNextCycle;
    private volatile int commandsPerCycle = Integer.MAX_VALUE;

    @AfterEach
    void halt()
    {
        disruptor.halt();
    }

    private final class TestIngress implements Agent
    {
        private final RingBuffer<CommandEvent> ring;
        private final UnsafeBuffer frame = new UnsafeBuffer(new byte[8]);

        TestIngress(final RingBuffer<CommandEvent> ring)
        {
            this.ring = ring;
        }

        public void onStart()
        {
            log.add("ingress start on " + Thread.currentThread().getName());
        }

        public int doWork()
        {
            cycles.incrementAndGet();
            if (failNextCycle)
            {
                failNextCycle = false;
                throw new IllegalStateException("a bad cycle");
            }
            int work = 0;
            Long value;
            while (work < commandsPerCycle && ring.hasAvailableCapacity(1) && null != (value = toSend.poll()))
            {
                final long sequence = ring.next();
                ring.get(sequence).set(value, 0, 0, 0, frame, 0, frame.capacity());
                ring.publish(sequence);
                work++;
            }
            return work;
        }

        public void onClose()
        {
            log.add("ingress close on " + Thread.currentThread().getName());
        }

        public String roleName()
        {
            return "test-ingress";
        }
    }

    private void start()
    {
        final EventHandler<CommandEvent> handler = new EventHandler<>()
        {
            public void onEvent(final CommandEvent event, final long sequence, final boolean endOfBatch)
            {
                log.add("handled " + event.logSequence() + " on " + Thread.currentThread().getName());
                if (endOfBatch)
                {
                    batchEnds.add(event.logSequence());
                }
            }

            public void onStart()
            {
                Thread.currentThread().setName("the-ring");
                log.add("handler start");
            }

            public void onShutdown()
            {
                log.add("handler shutdown");
            }
        };
        disruptor.handleEventsWith(wait.ingress(new TestIngress(disruptor.getRingBuffer())).runningWith(handler));
        disruptor.start();
    }

    @Test
    void whatTheIngressPublishesIsHandledOnTheSameThreadAndAStopClosesItOnce() throws Exception
    {
        start();
        for (long i = 1; i <= 20; i++) // more than the ring holds: the ingress waits for room, never blocks
        {
            toSend.add(i);
        }
        await(() -> log.stream().filter((line) -> line.startsWith("handled")).count() == 20, "all 20 handled");
        assertEquals(List.of("handler start", "ingress start on the-ring"), log.subList(0, 2));
        for (long i = 1; i <= 20; i++)
        {
            assertTrue(log.contains("handled " + i + " on the-ring"), log.toString());
        }

        assertTrue(wait.stopIngress(DEADLINE_MS, TimeUnit.MILLISECONDS), "the idle ring thread saw the stop");
        assertEquals("ingress close on the-ring", log.get(log.size() - 1));
        toSend.add(21L);
        disruptor.shutdown(DEADLINE_MS, TimeUnit.MILLISECONDS);
        await(() -> log.contains("handler shutdown"), "the ring thread's end"); // a halt does not wait for it
        assertEquals(1, log.stream().filter((line) -> line.startsWith("ingress close")).count(), log.toString());
        assertEquals("handler shutdown", log.get(log.size() - 1));
        assertTrue(toSend.contains(21L), "nothing polled after the stop");
        assertEquals(List.of(), errors);
    }

    @Test
    void aBatchStopsPollingOnceItHoldsItsCommands()
    {
        commandsPerCycle = 1;
        for (long i = 1; i <= 7; i++) // all waiting before the first poll; the ring (8) has room for them all
        {
            toSend.add(i);
        }
        start();
        await(() -> log.contains("handled 7 on the-ring"), "all 7 handled");
        assertEquals(List.of(3L, 6L, 7L), batchEnds, "batches of " + MAX_BATCH + ", then what was left");
    }

    @Test
    void aBatchIsAsLargeAsTheRingWhereEachEndsInASyncAndCacheSizedOtherwise()
    {
        assertEquals(16_384, IngressOnRingThread.maxBatchCommands(FsyncPolicy.BATCH, 16_384));
        assertEquals(IngressOnRingThread.CACHED_BATCH_COMMANDS,
            IngressOnRingThread.maxBatchCommands(FsyncPolicy.NONE, 16_384));
        assertEquals(IngressOnRingThread.CACHED_BATCH_COMMANDS,
            IngressOnRingThread.maxBatchCommands(FsyncPolicy.INTERVAL, 16_384));
        assertEquals(64, IngressOnRingThread.maxBatchCommands(FsyncPolicy.NONE, 64), "never more than the ring");
    }

    @Test
    void theRingThreadEndingClosesTheIngressBeforeTheHandler() throws Exception
    {
        start();
        await(() -> log.contains("ingress start on the-ring"), "the ingress started");
        disruptor.shutdown(DEADLINE_MS, TimeUnit.MILLISECONDS);
        await(() -> log.contains("handler shutdown"), "the ring thread's end"); // a halt does not wait for it
        assertEquals(List.of("handler start", "ingress start on the-ring", "ingress close on the-ring",
            "handler shutdown"), log);
        assertTrue(wait.stopIngress(1, TimeUnit.MILLISECONDS), "already closed: a later stop does not wait");
    }

    @Test
    void anIngressCycleThatThrowsIsReportedAndTheThreadGoesOn()
    {
        failNextCycle = true;
        start();
        await(() -> 1 == errors.size(), "the failure reported");
        toSend.add(7L);
        await(() -> log.contains("handled 7 on the-ring"), "the next cycles still run");
        assertEquals("a bad cycle", errors.get(0).getMessage());
    }

    @Test
    void theIdleActionRunsOnceAfterAQuietSpellThatFollowsWork()
    {
        wait.whenIdle(idleRuns::incrementAndGet);
        start();
        toSend.add(1L);
        await(() -> log.contains("handled 1 on the-ring"), "the first command handled");
        awaitCycles(100);
        assertEquals(0, idleRuns.get(), "no quiet spell yet on the thread's clock");

        clock.advance(IngressOnRingThread.IDLE_AFTER_NS);
        await(() -> 1 == idleRuns.get(), "the idle action after the quiet spell");
        clock.advance(IngressOnRingThread.IDLE_AFTER_NS);
        awaitCycles(100);
        assertEquals(1, idleRuns.get(), "once per quiet spell: no work since");

        toSend.add(2L);
        await(() -> log.contains("handled 2 on the-ring"), "the next command handled");
        awaitCycles(100);
        assertEquals(1, idleRuns.get());
        clock.advance(IngressOnRingThread.IDLE_AFTER_NS);
        await(() -> 2 == idleRuns.get(), "the idle action after the next quiet spell");
    }

    private void awaitCycles(final long count)
    {
        final long target = cycles.get() + count;
        await(() -> cycles.get() >= target, count + " more duty cycles");
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }
}
