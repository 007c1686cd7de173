package io.ringmq.daemon;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.ringmq.config.RingWaitStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default ring wait (PHASED) blocks once the ring has been idle, and a blocked ring still wakes: for a publish
 * (both the journal-like handler and the one after it, as dispatch runs after the journal) and for a halt. Waits on
 * conditions with a deadline: "blocked" is each ring thread parked in the wait strategy's lock (WAITING).
 */
class PhasedRingWaitTest
{
    private static final long DEADLINE_MS = 10_000;

    /** A ring slot: the value a publish carries. */
    private static final class Slot
    {
        long value;
    }

    private final List<Thread> ringThreads = new CopyOnWriteArrayList<>();
    private final Disruptor<Slot> disruptor = new Disruptor<>(Slot::new, 64, (runnable) ->
    {
        final Thread thread = new Thread(runnable, "test-ring");
        ringThreads.add(thread);
        return thread;
    }, ProducerType.SINGLE, Strategies.waitStrategy(RingWaitStrategy.PHASED));
    private final AtomicLong journaled = new AtomicLong();
    private final List<String> dispatched = new CopyOnWriteArrayList<>();
    private final CountDownLatch dispatchedOne = new CountDownLatch(1);

    @AfterEach
    void stop()
    {
        disruptor.halt();
    }

    private void start()
    {
        final EventHandler<Slot> journal = (slot, sequence, endOfBatch) -> journaled.set(slot.value);
        final EventHandler<Slot> dispatch = (slot, sequence, endOfBatch) ->
        {
            dispatched.add(slot.value + " after journal " + journaled.get());
            dispatchedOne.countDown();
        };
        disruptor.handleEventsWith(journal).then(dispatch);
        disruptor.start();
    }

    @Test
    void aBlockedRingWakesForAPublishAndTheHandlerAfterTheJournalRunsToo() throws InterruptedException
    {
        start();
        awaitBlocked();

        disruptor.getRingBuffer().publishEvent((slot, sequence) -> slot.value = 42);

        assertTrue(dispatchedOne.await(DEADLINE_MS, TimeUnit.MILLISECONDS), "the publish woke the blocked ring");
        assertEquals(List.of("42 after journal 42"), dispatched);
    }

    @Test
    void aBlockedRingWakesForAHalt() throws InterruptedException
    {
        start();
        awaitBlocked();

        disruptor.halt();

        for (final Thread thread : ringThreads)
        {
            thread.join(DEADLINE_MS);
            assertFalse(thread.isAlive(), "the halt woke " + thread + " and it ended");
        }
    }

    /** Until every ring thread waits in the blocking phase, not spinning or yielding. */
    private void awaitBlocked()
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (ringThreads.size() < 2 || !ringThreads.stream().allMatch((t) -> Thread.State.WAITING == t.getState()))
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("the ring threads never blocked: " + ringThreads.stream()
                    .map((t) -> t.getName() + " " + t.getState()).toList());
            }
            Thread.yield();
        }
    }
}
