package io.ringmq.daemon;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ring's PHASED wait: while commands come, it waits as Disruptor's {@code SleepingWaitStrategy} does (spin, yield,
 * then short parks), which is polite to the other threads on a shared 2-core machine; once it has parked for
 * {@code blockAfterNs} with nothing published, it blocks until a publish signals it, so an idle ring costs nothing.
 * <p>
 * Disruptor's {@code PhasedBackoffWaitStrategy} was tried first: its spin and yield phases busy-spin 10,000 times
 * between clock reads and yields, which on 2 shared cores took the CPU the clients and the ingress needed (ping-pong
 * p50 3x worse than SLEEPING's).
 * <p>
 * Only a handler with nothing published for it blocks; one waiting for the handler before it (dispatch for the
 * journal) keeps parking until that one passes, as no publish would wake it. Every publish on the ring calls
 * {@link #signalAllWhenBlocking()} (the ring buffer does, for every producer), which takes the lock only when someone
 * blocks; the Disruptor's halt alerts the barrier and signals too. Thread-safe: one instance serves every handler.
 */
final class SleepingThenBlockingWaitStrategy implements WaitStrategy
{
    private static final int SPINS = 100;
    private static final int YIELDS = 100;

    private final long parkNs;
    private final long blockAfterNs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition published = lock.newCondition();
    private final AtomicBoolean signalNeeded = new AtomicBoolean();

    /**
     * @param parkNs       each park while it sleeps (the kernel's timer slack makes 100 ns some tens of us).
     * @param blockAfterNs how long it parks with nothing published before it blocks.
     */
    SleepingThenBlockingWaitStrategy(final long parkNs, final long blockAfterNs)
    {
        this.parkNs = parkNs;
        this.blockAfterNs = blockAfterNs;
    }

    public long waitFor(
        final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
        throws AlertException, InterruptedException
    {
        long available;
        int counter = SPINS + YIELDS;
        boolean parking = false;
        long parkingSinceNs = 0;
        while ((available = dependentSequence.get()) < sequence)
        {
            barrier.checkAlert();
            if (counter > YIELDS)
            {
                // A bare countdown, as SleepingWaitStrategy's: with Thread.onSpinWait() here (a PAUSE each turn)
                // the ping-pong p50 was 25-30% worse on this machine's vCPUs, measured over three runs each.
                counter--;
            }
            else if (counter > 0)
            {
                counter--;
                Thread.yield();
            }
            else if (!parking)
            {
                parking = true;
                parkingSinceNs = System.nanoTime();
                LockSupport.parkNanos(parkNs);
            }
            else if (System.nanoTime() - parkingSinceNs >= blockAfterNs && cursor.get() < sequence)
            {
                awaitPublish(sequence, cursor, barrier);
                counter = SPINS + YIELDS; // commands are coming again
                parking = false;
            }
            else
            {
                LockSupport.parkNanos(parkNs);
            }
        }
        return available;
    }

    private void awaitPublish(final long sequence, final Sequence cursor, final SequenceBarrier barrier)
        throws AlertException, InterruptedException
    {
        lock.lock();
        try
        {
            while (cursor.get() < sequence)
            {
                signalNeeded.getAndSet(true); // before the checks: a publish or halt after them then signals
                if (cursor.get() >= sequence)
                {
                    break;
                }
                barrier.checkAlert();
                published.await();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    public void signalAllWhenBlocking()
    {
        if (signalNeeded.getAndSet(false))
        {
            lock.lock();
            try
            {
                published.signalAll();
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    public String toString()
    {
        return "SleepingThenBlockingWaitStrategy{parkNs=" + parkNs + ", blockAfterNs=" + blockAfterNs + "}";
    }
}
