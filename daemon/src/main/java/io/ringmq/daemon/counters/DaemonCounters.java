package io.ringmq.daemon.counters;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.core.state.OutputSink;
import io.ringmq.daemon.pipeline.StageHistograms;
import io.ringmq.daemon.pipeline.StageRecorder;
import io.ringmq.journal.BatchCommit;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Lock;
import java.util.function.LongSupplier;

/**
 * A daemon's counters in its media driver's CnC file ({@link RingmqCounter} lists them).
 * <ul>
 *   <li>The dispatch thread copies the state machine's figures (queues, groups, sessions) and counts errors by code
 *   into plain memory ({@link #stateCounters()}, {@link #countingErrors}): no call to the driver, no allocation
 *   once a queue exists.</li>
 *   <li>The thread that syncs the journal counts syncs, their time and the slow ones in memory ({@link
 *   #countingSyncer}); the sampler warns of slow ones in the log.</li>
 *   <li>A sampler thread of its own, every {@link #INTERVAL_NS}, adds and frees the counters of queues, groups and
 *   error codes as they come and go (each add waits for the driver), copies the dispatch thread's figures into them,
 *   and samples what other threads already publish (ring capacity, journal position, snapshots, refused frames,
 *   {@link #sample}): those stay live while the ring is full and the dispatcher busy.</li>
 * </ul>
 * Why Aeron's counters rather than a file of our own: the daemon always has an Aeron client, whether its driver is
 * embedded or external, a reader needs only the Aeron directory the config already names, and AeronStat shows them
 * beside the driver's own.
 */
public final class DaemonCounters implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(DaemonCounters.class);
    /** Least command time between two copies of the state machine's figures, and the sampler's period. */
    public static final long INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** What a closed client's counters read as: none. */
    private static final CountersReader EMPTY =
        new CountersReader(new UnsafeBuffer(new byte[0]), new UnsafeBuffer(new byte[0]));

    private final Aeron aeron;
    /**
     * The Aeron client's own lock: the client unmaps the CnC file when it closes (also on its own, when its conductor
     * times out) while holding it, so a counter written or read under it with the client seen open is still mapped.
     */
    private final Lock clientLock;
    private final CounterAllocator allocator;
    private final StateCounters stateCounters = new StateCounters(INTERVAL_NS);
    /** Written by the thread that syncs, which must never wait for the client's lock (an add holds it for ms). */
    private final JournalSyncFigures syncFigures = new JournalSyncFigures();
    /** The clock of the syncs' figures, for the sampler's slow-sync warning; null until a syncer is made. */
    private volatile NanoClock syncClock;
    private final List<Counter> sampled = new ArrayList<>();
    private final List<LongSupplier> sources = new ArrayList<>();
    /** Sampler thread only. */
    private final List<RowCounters> rows = new ArrayList<>();
    /** Sampler thread only, by {@link ErrorCode#ordinal()}. */
    private final Counter[] errors = new Counter[ErrorCode.values().length];
    private ScheduledExecutorService sampler;
    /** Null until {@link #stages} is called. */
    private StageCounters stages;

    public DaemonCounters(final Aeron aeron)
    {
        this.aeron = aeron;
        clientLock = aeron.context().clientLock();
        allocator = new CounterAllocator(aeron);
        sample(RingmqCounter.JOURNAL_SYNCS, syncFigures::syncs);
        sample(RingmqCounter.JOURNAL_SYNC_TIME, syncFigures::timeNs);
        sample(RingmqCounter.JOURNAL_SYNCS_SLOW, syncFigures::slowSyncs);
        sample(RingmqCounter.SESSIONS, stateCounters::sessions);
    }

    /** Where the dispatch thread copies the state machine's figures. */
    public StateCounters stateCounters()
    {
        return stateCounters;
    }

    /** The state machine's sink: {@code egress}, with the errors it is told counted by code. */
    public OutputSink countingErrors(final OutputSink egress)
    {
        return new ErrorCountingSink(egress, stateCounters);
    }

    /**
     * Syncs the journal as {@link BatchCommit.Syncer#APPENDED} does (from the thread that syncs), counting each sync
     * and its time, recording its latency into {@code latency} (the {@code journal_sync} stage) and counting it as slow
     * from {@code slowNs} ({@code ringmq.journal.fsync.slow}), which the sampler then logs as a warning.
     */
    public BatchCommit.Syncer countingSyncer(final NanoClock clock, final StageRecorder latency, final long slowNs)
    {
        syncFigures.slowThresholdNs(slowNs);
        syncClock = clock;
        return (journal) ->
        {
            final long startNs = clock.nanoTime();
            BatchCommit.Syncer.APPENDED.sync(journal);
            final long durationNs = clock.nanoTime() - startNs;
            syncFigures.recordSync(durationNs);
            StageHistograms.record(latency, durationNs);
        };
    }

    /**
     * A daemon-wide counter the sampler sets from {@code source}, which must be safe to call from its thread. Call
     * before {@link #startSampling()}.
     */
    public DaemonCounters sample(final RingmqCounter counter, final LongSupplier source)
    {
        sampled.add(allocator.daemonCounter(counter));
        sources.add(source);
        return this;
    }

    /**
     * Shows the stages' latency figures in counters: the sampler collects the histograms ({@link
     * StageHistograms#collect}) each time, by {@code clock}. Call before {@link #startSampling()}.
     */
    public DaemonCounters stages(final StageHistograms histograms, final NanoClock clock)
    {
        stages = new StageCounters(histograms, clock, allocator);
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
        sampler.scheduleAtFixedRate(this::sampleOrLog, 0, INTERVAL_NS, TimeUnit.NANOSECONDS);
    }

    /** A periodic task that throws is never run again: a failed sample is logged, and the next one tries again. */
    private void sampleOrLog()
    {
        try
        {
            sampleNow();
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("counters not sampled: {}", ex.toString());
        }
    }

    private void sampleNow()
    {
        if (aeron.isClosed())
        {
            return;
        }
        warnOfSlowSyncs();
        addAndFreeCounters();
        if (null != stages)
        {
            stages.collect();
        }
        clientLock.lock();
        try
        {
            if (aeron.isClosed())
            {
                return;
            }
            for (int i = 0, size = sampled.size(); i < size; i++)
            {
                sampled.get(i).setRelease(sources.get(i).getAsLong());
            }
            for (int i = 0, size = rows.size(); i < size; i++)
            {
                rows.get(i).copy();
            }
            if (null != stages)
            {
                stages.copy();
            }
            final AtomicLongArray errorsByCode = stateCounters.errorsByCode();
            for (int i = 0; i < errors.length; i++)
            {
                if (null != errors[i])
                {
                    errors[i].setRelease(errorsByCode.get(i));
                }
            }
        }
        finally
        {
            clientLock.unlock();
        }
    }

    private void warnOfSlowSyncs()
    {
        final NanoClock clock = syncClock;
        final String warning = null == clock ? null : syncFigures.slowSyncWarning(clock.nanoTime());
        if (null != warning)
        {
            LOG.warn(warning);
        }
    }

    /** Each add and free waits for the driver: done outside the client's lock, which others need meanwhile. */
    private void addAndFreeCounters()
    {
        FigureRow added;
        while (null != (added = stateCounters.addedRows().poll()))
        {
            rows.add(new RowCounters(added, allocator));
        }
        for (final Iterator<RowCounters> it = rows.iterator(); it.hasNext(); )
        {
            final RowCounters row = it.next();
            if (row.row.isGone())
            {
                row.close();
                it.remove();
            }
        }
        final AtomicLongArray errorsByCode = stateCounters.errorsByCode();
        for (int i = 0; i < errors.length; i++)
        {
            if (null == errors[i] && errorsByCode.get(i) > 0)
            {
                errors[i] = allocator.add(
                    RingmqCounter.ERRORS, allocator.nextOwnerId(), ErrorCode.values()[i].name(), "");
            }
        }
    }

    /**
     * What the counters say now, read through the daemon's own client (the Prometheus endpoint's scrape); empty once
     * the client has closed. Allocates.
     */
    public CountersReport report()
    {
        clientLock.lock();
        try
        {
            return aeron.isClosed() ? CountersReport.read(EMPTY) : CountersReport.read(aeron.countersReader());
        }
        finally
        {
            clientLock.unlock();
        }
    }

    /**
     * Stops the sampler. The counters go with the daemon's Aeron client, which frees them all at once when it closes
     * (freeing them one by one would wait a round trip to the driver for each).
     */
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
    }
}
