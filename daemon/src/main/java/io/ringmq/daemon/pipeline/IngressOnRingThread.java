package io.ringmq.daemon.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.journal.FsyncPolicy;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The ring's wait when one thread runs a primary's whole pipeline (no standby): whenever the ring has nothing for its
 * handler, the handler's thread runs the client ingress' duty cycle itself, which is what puts commands on the ring.
 * A command a client sends is then polled, journaled, applied and answered on one thread, with no other thread to wake
 * on the way: on a machine with fewer cores than busy threads each such wake-up is a yield or a park of microseconds.
 * <p>
 * The ring has a single producer, and it is this thread; the ingress never blocks on a full ring (it leaves fragments
 * in Aeron's log until there is room), so a full ring empties before the ingress polls again. The ingress' own idle
 * strategy paces the thread while nothing comes; nothing else publishes, so nothing needs signalling.
 * <p>
 * Lifecycle: {@link #runningWith} starts the ingress on the ring thread before its first wait (the ingress journals
 * the run's start then) and closes it as the thread ends; {@link #stopIngress(long, TimeUnit)} closes it earlier.
 */
public final class IngressOnRingThread implements WaitStrategy
{
    /**
     * Commands a batch takes at most when its end costs no sync: about what the ring thread's second-level cache holds
     * of a batch (each command's slot, its journal record, its answer and the frame it came in, near a kilobyte), so
     * the journal and the dispatcher read the slots the poll just wrote from the cache and not from memory. Measured on
     * the deployment shape's 1P/1C throughput, alternated: about 7% more messages per second than batches of up to
     * 4,096 (perf README, "The client's wait and the ring's batch size").
     */
    public static final int CACHED_BATCH_COMMANDS = 512;
    /** How long the thread finds no work before {@link #whenIdle}'s action runs: longer than the gaps of a busy stream. */
    static final long IDLE_AFTER_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final IdleStrategy idle;
    private final int maxBatchCommands;
    private final ErrorHandler errorHandler;
    private final NanoClock clock;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private Agent ingress;
    private Runnable onIdle = () -> { };
    /** The ring thread's only: when the last poll found work, and whether the idle action waits for a quiet spell. */
    private long lastWorkNs;
    private boolean idleRunDue;
    /** The ring thread's only. */
    private boolean running;

    /**
     * @param idle             how the thread waits while neither the ring nor the ingress has work.
     * @param maxBatchCommands when the polling of one batch stops, once it has taken at least this many commands
     *                         (see {@link #maxBatchCommands}); the ring's free room bounds a batch too, as the ingress
     *                         stops at a full ring.
     * @param errorHandler     told of an ingress duty cycle that threw (the fail-stop path, as the ingress' own
     *                         runner's).
     * @param clock            times the quiet spell before {@link #whenIdle} runs.
     */
    public IngressOnRingThread(
        final IdleStrategy idle, final int maxBatchCommands, final ErrorHandler errorHandler, final NanoClock clock)
    {
        if (maxBatchCommands < 1)
        {
            throw new IllegalArgumentException("maxBatchCommands=" + maxBatchCommands + " must be >= 1");
        }
        this.idle = Objects.requireNonNull(idle, "idle");
        this.maxBatchCommands = maxBatchCommands;
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * How many commands one batch should take, for a journal that syncs as {@code fsync} says on a ring of
     * {@code ringSize} slots. Where every batch ends in a sync ({@link FsyncPolicy#BATCH}), the sync costs far more
     * than any cache miss: a batch takes all that waits, up to the ring's size, so one sync covers as many commands
     * as it can (about 5% more messages per second than batches of up to 4,096, alternated). Otherwise a batch stops at
     * {@link #CACHED_BATCH_COMMANDS}.
     */
    public static int maxBatchCommands(final FsyncPolicy fsync, final int ringSize)
    {
        return FsyncPolicy.BATCH == fsync ? ringSize : Math.min(CACHED_BATCH_COMMANDS, ringSize);
    }

    /**
     * What the ring thread does once, between batches, when it has found no work for {@link #IDLE_AFTER_NS} after some
     * (the dispatcher's copy of its figures into the counters, which a busy thread makes only every interval). Before
     * the ring starts.
     */
    public IngressOnRingThread whenIdle(final Runnable onIdle)
    {
        this.onIdle = Objects.requireNonNull(onIdle, "onIdle");
        return this;
    }

    /**
     * The client ingress, the ring's one producer: set once the ring exists (the ingress publishes on it), before the
     * ring starts.
     */
    public IngressOnRingThread ingress(final Agent ingress)
    {
        this.ingress = Objects.requireNonNull(ingress, "ingress");
        return this;
    }

    /**
     * The ring's one handler, with the ingress started on its thread once the handler has started (the journal's
     * appender is open) and closed before the handler stops (nothing is published after the journal's last sync).
     */
    public EventHandler<CommandEvent> runningWith(final EventHandler<CommandEvent> handler)
    {
        return new EventHandler<>()
        {
            public void onEvent(final CommandEvent event, final long sequence, final boolean endOfBatch)
                throws Exception
            {
                handler.onEvent(event, sequence, endOfBatch);
            }

            public void onStart()
            {
                handler.onStart();
                startIngress();
            }

            public void onShutdown()
            {
                try
                {
                    closeIngress();
                }
                finally
                {
                    handler.onShutdown();
                }
            }
        };
    }

    private void startIngress()
    {
        if (!stopRequested)
        {
            running = true;
            ingress.onStart();
        }
    }

    public long waitFor(
        final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
        throws AlertException
    {
        long available;
        while ((available = dependentSequence.get()) < sequence)
        {
            barrier.checkAlert();
            final int work = pollIngress();
            if (work > 0)
            {
                lastWorkNs = clock.nanoTime();
                idleRunDue = true;
            }
            else if (idleRunDue && clock.nanoTime() - lastWorkNs >= IDLE_AFTER_NS)
            {
                idleRunDue = false;
                runWhenIdle();
            }
            idle.idle(work);
        }
        return available;
    }

    /**
     * Runs the ingress' duty cycle until it finds nothing more or the batch has its commands: one cycle polls a bounded
     * number of fragments, and what waited in Aeron's log while the last batch was journaled (an fsync takes hundreds
     * of microseconds) belongs in the next batch, as the ingress thread of its own would have put it there.
     */
    private int pollIngress()
    {
        int total = 0;
        while (total < maxBatchCommands)
        {
            final int work = dutyCycle();
            if (0 == work)
            {
                break;
            }
            total += work;
        }
        return total;
    }

    private int dutyCycle()
    {
        if (!running)
        {
            return 0;
        }
        if (stopRequested)
        {
            closeIngress();
            return 0;
        }
        try
        {
            return ingress.doWork();
        }
        catch (final Throwable ex)
        {
            errorHandler.onError(ex);
            return 0;
        }
    }

    private void runWhenIdle()
    {
        try
        {
            onIdle.run();
        }
        catch (final Throwable ex)
        {
            errorHandler.onError(ex);
        }
    }

    /** Nobody but this thread publishes on the ring, so no waiter needs waking. */
    public void signalAllWhenBlocking()
    {
    }

    /**
     * Any thread: the ingress takes no more commands. Waits until the ring thread has closed it (at its next wait, or
     * as it ends).
     *
     * @return false if the ring thread did not close it within the timeout (it is busy, or stuck in a handler).
     */
    public boolean stopIngress(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        stopRequested = true;
        return closed.await(timeout, unit);
    }

    /** On the ring thread: closes the ingress if it runs (a stop asked for it, or the ring thread ends). */
    private void closeIngress()
    {
        if (running)
        {
            running = false;
            try
            {
                ingress.onClose();
            }
            catch (final Throwable ex)
            {
                errorHandler.onError(ex);
            }
        }
        closed.countDown();
    }

    public String toString()
    {
        return "IngressOnRingThread{" + (null == ingress ? "no ingress yet" : ingress.roleName()) + ", " + idle + "}";
    }
}
