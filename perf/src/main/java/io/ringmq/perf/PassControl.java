package io.ringmq.perf;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the producer and consumer threads of one pass share: the start signal, the timestamps that bound the
 * measurement ({@code System.nanoTime()}), the deadline and the first failure. The first failure aborts both threads.
 * <p>
 * Thread-safe.
 */
public final class PassControl
{
    private final CountDownLatch consumerReady = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final long deadlineNs;
    private volatile boolean aborted;
    private volatile boolean producerDone;
    private volatile long startNs;
    private volatile long lastReceiptNs;
    private volatile long lastDeliveryNs;

    public PassControl(final long timeoutNs)
    {
        this.deadlineNs = System.nanoTime() + timeoutNs;
    }

    /** The consumer is subscribed: publishing may start. */
    public void consumerReady()
    {
        consumerReady.countDown();
    }

    /** @return true once the consumer is ready; false if the pass failed or ran out of time first. */
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

    public void producerDone()
    {
        producerDone = true;
    }

    public boolean isProducerDone()
    {
        return producerDone;
    }

    public void startNs(final long nowNs)
    {
        startNs = nowNs;
    }

    public long startNs()
    {
        return startNs;
    }

    public void lastReceiptNs(final long nowNs)
    {
        lastReceiptNs = nowNs;
    }

    public long lastReceiptNs()
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
