package io.ringmq.daemon;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import io.ringmq.config.RingWaitStrategy;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 19's first suspect for a round trip that stalled until an unrelated event came: a lost wake-up in the ring's
 * PHASED wait, where a handler checks that nothing is published, then blocks, while the publisher signals only when
 * someone blocks. Cleared by these tests: a publish that lands after any one of the waiter's reads of the cursor still
 * wakes it (every interleaving of one publish with the waiter's way into its block, stepped deterministically), and
 * lone commands after idle spells just over the block threshold, through a journal whose end of batch takes as long as
 * an fsync, are each dispatched without a further publish. A lost wake-up shows as a waiter that never returns: each
 * wait has a deadline.
 */
class PhasedRingLostWakeUpTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(10);

    /** The ring's cursor, which runs a whole publish by another thread right after its {@code publishAfterRead}-th read. */
    private static final class CursorPublishedDuringRead extends Sequence
    {
        private final int publishAfterRead;
        private final Runnable publish;
        private volatile int reads;

        CursorPublishedDuringRead(final int publishAfterRead, final Runnable publish)
        {
            super(-1);
            this.publishAfterRead = publishAfterRead;
            this.publish = publish;
        }

        @Override
        public long get()
        {
            final long value = super.get();
            if (++reads == publishAfterRead)
            {
                runUntilDoneOrBlocked(publish);
            }
            return value; // read before the publish: the waiter acts on what it saw
        }

        int reads()
        {
            return reads;
        }
    }

    /** The little of a barrier the wait strategy uses: an alert, so a waiter that was never woken can be freed. */
    private static final class AlertOnlyBarrier implements SequenceBarrier
    {
        private volatile boolean alerted;

        public long waitFor(final long sequence)
        {
            throw new UnsupportedOperationException();
        }

        public long getCursor()
        {
            throw new UnsupportedOperationException();
        }

        public boolean isAlerted()
        {
            return alerted;
        }

        public void alert()
        {
            alerted = true;
        }

        public void clearAlert()
        {
            alerted = false;
        }

        public void checkAlert() throws AlertException
        {
            if (alerted)
            {
                throw AlertException.INSTANCE;
            }
        }
    }

    @Test
    void aPublishLandingAfterAnyReadOnTheWayIntoTheBlockWakesTheWaiter() throws InterruptedException
    {
        final int readsUntilBlocked = readsUntilBlocked();
        assertTrue(readsUntilBlocked > 200, "spins and yields read the cursor too: " + readsUntilBlocked);
        for (int publishAfterRead = 1; publishAfterRead <= readsUntilBlocked; publishAfterRead++)
        {
            final SleepingThenBlockingWaitStrategy strategy = blockingAtOnce();
            final Sequence[] cursor = new Sequence[1];
            cursor[0] = new CursorPublishedDuringRead(publishAfterRead, () ->
            {
                cursor[0].set(0); // what SingleProducerSequencer.publish does: the cursor, then the signal
                strategy.signalAllWhenBlocking();
            });
            final AlertOnlyBarrier barrier = new AlertOnlyBarrier();
            final long[] available = {-1};
            final Thread waiter = waiter(strategy, cursor[0], barrier, available);

            waiter.join(TimeUnit.NANOSECONDS.toMillis(DEADLINE_NS));
            if (waiter.isAlive())
            {
                free(waiter, strategy, barrier);
                fail("lost wake-up: a publish after read " + publishAfterRead + " of " + readsUntilBlocked +
                    " left the waiter blocked");
            }
            assertEquals(0, available[0], "the waiter returned the published sequence");
        }
    }

    @Test
    void loneCommandsAfterIdleSpellsOverTheBlockThresholdAreEachDispatchedWithoutAnotherPublish()
    {
        final SplittableRandom random = new SplittableRandom(19);
        final AtomicLong dispatched = new AtomicLong(-1);
        final Disruptor<long[]> ring = new Disruptor<>(() -> new long[1], 64, DaemonThreadFactory.INSTANCE,
            ProducerType.SINGLE, Strategies.waitStrategy(RingWaitStrategy.PHASED));
        final EventHandler<long[]> journal = (event, sequence, endOfBatch) ->
        {
            if (endOfBatch)
            {
                // The cost of an fsync per batch (0-2 ms on the machine that stalled), not a wait for anything.
                LockSupport.parkNanos(event[0] % 2_000_000);
            }
        };
        final EventHandler<long[]> dispatch = (event, sequence, endOfBatch) -> dispatched.set(sequence);
        ring.handleEventsWith(journal).then(dispatch);
        ring.start();
        try
        {
            for (long sequence = 0; sequence < 300; sequence++)
            {
                // Idle for about the block threshold (1 ms of parks), a little under or over, so each publish meets
                // the handlers at some point of their way into the block, or blocked.
                LockSupport.parkNanos(700_000 + random.nextLong(900_000));
                final long fsyncNs = random.nextLong(2_000_000);
                ring.getRingBuffer().publishEvent((event, s) -> event[0] = fsyncNs);
                final long deadlineNs = System.nanoTime() + DEADLINE_NS;
                while (dispatched.get() < sequence)
                {
                    if (System.nanoTime() - deadlineNs > 0)
                    {
                        fail("lost wake-up: command " + sequence + " not dispatched in " +
                            TimeUnit.NANOSECONDS.toSeconds(DEADLINE_NS) + " s, and nothing else was published");
                    }
                    Thread.yield();
                }
            }
        }
        finally
        {
            ring.halt();
        }
    }

    /** How many times a waiter reads the cursor before it blocks, nothing published. */
    private static int readsUntilBlocked() throws InterruptedException
    {
        final SleepingThenBlockingWaitStrategy strategy = blockingAtOnce();
        final CursorPublishedDuringRead cursor = new CursorPublishedDuringRead(0, () -> {});
        final AlertOnlyBarrier barrier = new AlertOnlyBarrier();
        final Thread waiter = waiter(strategy, cursor, barrier, new long[1]);
        awaitState(waiter, Thread.State.WAITING);
        final int reads = cursor.reads();
        free(waiter, strategy, barrier);
        return reads;
    }

    /** Parks once, 1 ns, then blocks: the whole way into the block in a few hundred reads. */
    private static SleepingThenBlockingWaitStrategy blockingAtOnce()
    {
        return new SleepingThenBlockingWaitStrategy(1, 0);
    }

    /** A handler's thread waiting for sequence 0 (the first handler: what it waits on is the cursor itself). */
    private static Thread waiter(
        final SleepingThenBlockingWaitStrategy strategy,
        final Sequence cursor,
        final SequenceBarrier barrier,
        final long[] available)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                available[0] = strategy.waitFor(0, cursor, cursor, barrier);
            }
            catch (final AlertException | InterruptedException ignore)
            {
                // freed by the test
            }
        }, "test-ring-waiter");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** What a halt does: alert, then signal. */
    private static void free(
        final Thread waiter, final SleepingThenBlockingWaitStrategy strategy, final AlertOnlyBarrier barrier)
        throws InterruptedException
    {
        barrier.alert();
        strategy.signalAllWhenBlocking();
        waiter.join(TimeUnit.NANOSECONDS.toMillis(DEADLINE_NS));
        assertTrue(!waiter.isAlive(), "the alert freed the waiter");
    }

    /**
     * Runs a publish on a thread of its own until it is done, or waits for the waiter's lock (it cannot finish while
     * the waiter holds it): the publish then lands exactly between two of the waiter's steps.
     */
    private static void runUntilDoneOrBlocked(final Runnable publish)
    {
        final Thread publisher = new Thread(publish, "test-ring-publisher");
        publisher.setDaemon(true);
        publisher.start();
        final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        while (true)
        {
            final Thread.State state = publisher.getState();
            if (Thread.State.TERMINATED == state || Thread.State.WAITING == state)
            {
                return;
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("the publisher neither finished nor waited for the lock: " + state);
            }
            Thread.yield();
        }
    }

    private static void awaitState(final Thread thread, final Thread.State wanted)
    {
        final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        while (thread.getState() != wanted)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError(thread.getName() + " never " + wanted + ": " + thread.getState());
            }
            Thread.yield();
        }
    }
}
