package io.ringmq.daemon.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Lets another thread read the state machine between ring batches: the dispatcher holds the lock from the first
 * command of a batch to its end, and a reader ({@code ringmq status}: the digest, the log sequence) takes it while the
 * dispatcher waits for the next batch. A reader therefore sees the state at a batch boundary, the same on a primary
 * and a standby for the same log sequence, and needs no command on the ring (a standby's ring carries the primary's
 * commands only, and an idle ring has no batch to run a query in).
 * <p>
 * The cost on the dispatcher is an uncontended lock and unlock per batch; a reader stalls the dispatcher for as long
 * as it reads (a digest walks the state, as a snapshot does).
 */
public final class StateReadLock
{
    private static final Logger LOG = LoggerFactory.getLogger(StateReadLock.class);
    private final ReentrantLock lock = new ReentrantLock();
    /** The dispatcher's own: whether it holds the lock for the batch it is in. */
    private boolean inBatch;

    /** The dispatcher, at each command: takes the lock for the batch unless it holds it already. */
    void enterBatch()
    {
        if (!inBatch)
        {
            lock.lock();
            inBatch = true;
        }
    }

    /** The dispatcher, at the end of a batch. */
    void exitBatch()
    {
        if (inBatch)
        {
            inBatch = false;
            lock.unlock();
        }
    }

    /**
     * Reads the state between batches.
     *
     * @return what {@code reader} read, or null if the dispatcher did not end its batch within the timeout (a ring
     *         that failed part-way through one never does).
     */
    public <T> T read(final long timeoutNs, final Supplier<T> reader) throws InterruptedException
    {
        if (!lock.tryLock(timeoutNs, TimeUnit.NANOSECONDS))
        {
            // Names the holder ("Locked by thread ..."): a ring thread stuck in its batch, or one that ended in it.
            LOG.warn("the state could not be read within {} ms: {}", TimeUnit.NANOSECONDS.toMillis(timeoutNs), lock);
            return null;
        }
        try
        {
            return reader.get();
        }
        finally
        {
            lock.unlock();
        }
    }
}
