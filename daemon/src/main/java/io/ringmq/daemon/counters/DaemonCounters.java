package io.ringmq.daemon.counters;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.ringmq.core.state.OutputSink;
import io.ringmq.journal.BatchCommit;
import org.agrona.CloseHelper;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A daemon's counters in its media driver's CnC file ({@link RingmqCounter} lists them), each written by the thread
 * that owns its figure:
 * <ul>
 *   <li>queues, groups and sessions by the dispatch thread ({@link #stateCounters()}, at a bounded rate);</li>
 *   <li>errors by code by the dispatch thread, as the state machine's sink ({@link #countingErrors});</li>
 *   <li>journal syncs and their time by the journal thread ({@link #countingSyncer});</li>
 *   <li>figures other threads already publish (ring capacity, journal position, snapshots, refused frames) by a
 *   sampler thread of its own ({@link #sample}), so they stay live while the ring is full and the dispatcher
 *   busy.</li>
 * </ul>
 * Why Aeron's counters rather than a file of our own: the daemon always has an Aeron client, whether its driver is
 * embedded or external, and a reader needs only the Aeron directory the config already names; AeronStat shows them
 * beside the driver's own.
 */
public final class DaemonCounters implements AutoCloseable
{
    /** Least command time between two copies of the state machine's figures, and the sampler's period. */
    public static final long INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final CounterAllocator allocator;
    private final StateCounters stateCounters;
    private final Counter syncs;
    private final Counter syncTimeNs;
    private final List<Counter> sampled = new ArrayList<>();
    private final List<LongSupplier> sources = new ArrayList<>();
    private ErrorCountingSink errorCounting;
    private ScheduledExecutorService sampler;

    public DaemonCounters(final Aeron aeron)
    {
        allocator = new CounterAllocator(aeron);
        stateCounters = new StateCounters(allocator, INTERVAL_NS, allocator.daemonCounter(RingmqCounter.SESSIONS));
        syncs = allocator.daemonCounter(RingmqCounter.JOURNAL_SYNCS);
        syncTimeNs = allocator.daemonCounter(RingmqCounter.JOURNAL_SYNC_TIME);
    }

    /** The counters the dispatch thread copies the state machine's figures into. */
    public StateCounters stateCounters()
    {
        return stateCounters;
    }

    /** The state machine's sink: {@code egress}, with the errors it is told counted by code. */
    public OutputSink countingErrors(final OutputSink egress)
    {
        errorCounting = new ErrorCountingSink(egress, allocator);
        return errorCounting;
    }

    /** Syncs the journal as {@link BatchCommit.Syncer#JOURNAL} does, counting each sync and the time it took. */
    public BatchCommit.Syncer countingSyncer(final NanoClock clock)
    {
        return (journal) ->
        {
            final long startNs = clock.nanoTime();
            BatchCommit.Syncer.JOURNAL.sync(journal);
            syncTimeNs.getAndAddRelease(clock.nanoTime() - startNs);
            syncs.incrementRelease();
        };
    }

    /**
     * A daemon-wide counter the sampler thread sets from {@code source} every {@link #INTERVAL_NS} once
     * {@link #startSampling()} ran; {@code source} must be safe to call from that thread.
     */
    public DaemonCounters sample(final RingmqCounter counter, final LongSupplier source)
    {
        sampled.add(allocator.daemonCounter(counter));
        sources.add(source);
        return this;
    }

    public void startSampling()
    {
        sampler = Executors.newSingleThreadScheduledExecutor((runnable) ->
        {
            final Thread thread = new Thread(runnable, "ringmq-counters");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(this::sampleNow, 0, INTERVAL_NS, TimeUnit.NANOSECONDS);
    }

    private void sampleNow()
    {
        for (int i = 0, size = sampled.size(); i < size; i++)
        {
            sampled.get(i).setRelease(sources.get(i).getAsLong());
        }
    }

    /** Call once the ring has stopped (no thread writes the counters any more): frees them in the driver. */
    public void close()
    {
        if (null != sampler)
        {
            sampler.shutdownNow();
            try
            {
                sampler.awaitTermination(1, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        CloseHelper.closeAll(stateCounters, errorCounting, syncs, syncTimeNs);
        CloseHelper.closeAll(sampled);
    }
}
