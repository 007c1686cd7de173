package io.ringmq.perf;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the producer and consumer threads of one pass share: the start signal, the timestamps that bound the
 * measurement ({@code System.nanoTime()}), the deadline and the first failure. The first failure aborts every thread.
 * <p>
 * A pass may have several producers and consumers: publishing starts once every consumer is ready, the producers are
 * done once each has said so, the start is the earliest producer's and the last receipt the latest producer's.
 * <p>
 * Thread-safe.
 */
public final class PassControl
{
    private final CountDownLatch consumerReady;
    private final CountDownLatch producersDone;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final long deadlineNs;
    private volatile boolean aborted;
    private volatile long lastDeliveryNs;
    private boolean started;
    private long startNs;
    private long lastReceiptNs;

    /** One producer, one consumer. */
    public PassControl(final long timeoutNs)
    {
        this(timeoutNs, 1, 1);
    }

    public PassControl(final long timeoutNs, final int producers, final int consumers)
    {
        if (producers < 1 || consumers < 1)
        {
            throw new IllegalArgumentException("a pass needs producers >= 1 and consumers >= 1: producers=" +
                producers + " consumers=" + consumers);
        }
        this.deadlineNs = System.nanoTime() + timeoutNs;
        this.consumerReady = new CountDownLatch(consumers);
        this.producersDone = new CountDownLatch(producers);
    }

    /** A consumer is subscribed: publishing may start once every consumer has said so. */
    public void consumerReady()
    {
        consumerReady.countDown();
    }

    /** @return true once every consumer is ready; false if the pass failed or ran out of time first. */
    public boolean awaitConsumerReady() throws InterruptedException
    {
        while (!aborted)
        {
            if (consumerReady.await(10, TimeUnit.MILLISECONDS))
            {
                return true;
            }
            if (isPastDeadline(System.nanoTime()))
            {
                fail(new IllegalStateException("the consumer did not subscribe before the deadline"));
            }
        }
        return false;
    }

    public boolean isPastDeadline(final long nowNs)
    {
        return nowNs - deadlineNs > 0;
    }

    /** Records the first failure and stops both threads; later failures are attached as suppressed. */
    public void fail(final Throwable throwable)
    {
        if (!failure.compareAndSet(null, throwable) && failure.get() != throwable)
        {
            failure.get().addSuppressed(throwable);
        }
        aborted = true;
    }

    public boolean isAborted()
    {
        return aborted;
    }

    public Throwable failure()
    {
        return failure.get();
    }

    /** A producer has all its receipts. */
    public void producerDone()
    {
        producersDone.countDown();
    }

    /** @return true once every producer is done. */
    public boolean isProducerDone()
    {
        return 0 == producersDone.getCount();
    }

    /** A producer starts publishing; the pass starts with the first. */
    public synchronized void startNs(final long nowNs)
    {
        if (!started || nowNs - startNs < 0)
        {
            startNs = nowNs;
            started = true;
        }
    }

    public synchronized long startNs()
    {
        return startNs;
    }

    /** A producer took its last receipt; the pass's last receipt is the latest of them. */
    public synchronized void lastReceiptNs(final long nowNs)
    {
        if (0 == lastReceiptNs || nowNs - lastReceiptNs > 0)
        {
            lastReceiptNs = nowNs;
        }
    }

    public synchronized long lastReceiptNs()
    {
        return lastReceiptNs;
    }

    public void lastDeliveryNs(final long nowNs)
    {
        lastDeliveryNs = nowNs;
    }

    public long lastDeliveryNs()
    {
        return lastDeliveryNs;
    }
}
