package io.ringmq.daemon.failover;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusterControl;
import io.aeron.cluster.RecordingLog;
import io.aeron.exceptions.AeronException;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * Keeps the witness's data directory bounded. Every lease renewal is an entry in the cluster's log, and Aeron Cluster
 * neither snapshots nor deletes by itself, so the log (and a restart's replay of it) would grow for as long as the
 * witness runs. Every {@code ringmq.replication.witness.snapshot.interval} this agent asks the consensus module for a
 * snapshot (its control toggle, as Aeron's ClusterControl tool does); when the module's snapshot counter says one was
 * taken, it deletes what {@link SnapshotRetention} no longer needs: the recordings of the snapshots older than the two
 * newest, and the log's segment files before the older of those two (the archive deletes whole segments only, so up
 * to one segment before that position stays).
 * <p>
 * Counted in the witness's media driver's counters ({@code ringmq witness snapshots}, {@code ringmq witness bytes
 * purged}) and logged. A deletion the archive refuses is logged and tried again after the next snapshot: it costs
 * disk, never the registry.
 * <p>
 * Not thread-safe: its own agent thread (blocking archive requests: never the cluster's threads).
 */
final class WitnessCompaction implements Agent
{
    /** The newest two: the older one is what an operator falls back to by invalidating the newest. */
    static final int SNAPSHOTS_KEPT = 2;
    /** Outside {@code RingmqCounter}'s range: those are a daemon's, read by {@code ringmq stat}. */
    static final int SNAPSHOTS_COUNTER_TYPE_ID = 7201;
    static final int BYTES_PURGED_COUNTER_TYPE_ID = 7202;
    /** How soon a snapshot request is tried again while the consensus module is busy with another action. */
    private static final long BUSY_RETRY_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Logger LOG = LoggerFactory.getLogger(WitnessCompaction.class);

    private final Aeron aeron;
    private final Lock clientLock;
    private final AtomicCounter controlToggle;
    private final AtomicCounter clusterSnapshots;
    private final File clusterDir;
    private final AeronArchive archive;
    private final NanoClock clock;
    private final long intervalNs;
    private final Counter snapshotsCounter;
    private final Counter bytesPurgedCounter;
    private long nextSnapshotNs;
    private long snapshotsSeen;
    private volatile long snapshotsTaken;
    private volatile long bytesPurged;

    /**
     * @param aeron              this agent's own Aeron client, owned by the caller: every counter is read and written
     *                           through its mapping of the driver's counters, under its lock and while it is open. The
     *                           consensus module's own client unmaps its counters when it closes (a driver timeout
     *                           under a long stall, say); a read through them after that would crash the process.
     * @param controlToggleId    the id of the consensus module's control toggle counter.
     * @param clusterSnapshotsId the id of the consensus module's count of snapshots taken.
     * @param archive            a client of the witness's archive over {@code aeron}, owned by the caller.
     * @param snapshotsCounter   counts the snapshots this agent saw taken (a counter of {@code aeron}).
     * @param bytesPurgedCounter counts the bytes of segment files deleted (a counter of {@code aeron}).
     */
    WitnessCompaction(
        final Aeron aeron,
        final int controlToggleId,
        final int clusterSnapshotsId,
        final File clusterDir,
        final AeronArchive archive,
        final NanoClock clock,
        final long intervalNs,
        final Counter snapshotsCounter,
        final Counter bytesPurgedCounter)
    {
        this.aeron = aeron;
        this.clientLock = aeron.context().clientLock();
        this.controlToggle = new AtomicCounter(aeron.countersReader().valuesBuffer(), controlToggleId);
        this.clusterSnapshots = new AtomicCounter(aeron.countersReader().valuesBuffer(), clusterSnapshotsId);
        this.clusterDir = clusterDir;
        this.archive = archive;
        this.clock = clock;
        this.intervalNs = intervalNs;
        this.snapshotsCounter = snapshotsCounter;
        this.bytesPurgedCounter = bytesPurgedCounter;
    }

    public void onStart()
    {
        nextSnapshotNs = clock.nanoTime() + intervalNs;
        snapshotsSeen = readClusterSnapshots();
    }

    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        int work = 0;
        final long snapshots = readClusterSnapshots();
        if (snapshots != snapshotsSeen)
        {
            final long taken = snapshots - snapshotsSeen;
            snapshotsSeen = snapshots;
            final long purged = compact();
            bytesPurged += purged;
            snapshotsTaken += taken; // after: a reader of the count sees the compaction done
            updateCounters(taken, purged);
            work++;
        }
        if (nowNs - nextSnapshotNs >= 0)
        {
            nextSnapshotNs = nowNs + (requestSnapshot() ? intervalNs : Math.min(intervalNs, BUSY_RETRY_NS));
            work++;
        }
        return work;
    }

    /** Snapshots taken since the witness started. Any thread. */
    long snapshotsTaken()
    {
        return snapshotsTaken;
    }

    /** Bytes of segment files deleted since the witness started. Any thread. */
    long bytesPurged()
    {
        return bytesPurged;
    }

    public String roleName()
    {
        return "ringmq-witness-compaction";
    }

    /**
     * Deletes what the newest snapshots made unnecessary.
     *
     * @return the bytes of segment files deleted.
     */
    private long compact()
    {
        final SnapshotRetention retention;
        try (RecordingLog recordingLog = new RecordingLog(clusterDir, false))
        {
            retention = SnapshotRetention.of(recordingLog.entries(), SNAPSHOTS_KEPT);
        }
        long purged = 0;
        int snapshotsDeleted = 0;
        try
        {
            for (int i = 0; i < retention.snapshotRecordingsToDelete().size(); i++)
            {
                final long recordingId = retention.snapshotRecordingsToDelete().getLong(i);
                final int[] lengths = lengthsOf(recordingId);
                if (null != lengths) // null: deleted after an earlier snapshot
                {
                    purged += archive.purgeRecording(recordingId) * lengths[1];
                    snapshotsDeleted++;
                }
            }
            purged += purgeLogBefore(retention.logRecordingId(), retention.keepLogFrom());
        }
        catch (final AeronException ex)
        {
            LOG.warn("witness: could not delete what its snapshots made unnecessary (tried again after the next " +
                "snapshot): {}", ex.toString());
        }
        LOG.info("witness: snapshot {} taken; deleted {} older snapshot recordings and {} bytes in all, the log " +
            "kept from position {} ({} bytes purged since start)", snapshotsSeen, snapshotsDeleted, purged,
            retention.keepLogFrom(), bytesPurged + purged);
        return purged;
    }

    /** @return the bytes of the log's segment files deleted: whole segments before {@code position}. */
    private long purgeLogBefore(final long logRecordingId, final long position)
    {
        final int[] lengths = Aeron.NULL_VALUE == logRecordingId || 0 == position ? null : lengthsOf(logRecordingId);
        if (null == lengths)
        {
            return 0;
        }
        final int termLength = lengths[0];
        final int segmentLength = lengths[1];
        final long startPosition = archive.getStartPosition(logRecordingId);
        final long newStartPosition =
            AeronArchive.segmentFileBasePosition(startPosition, position, termLength, segmentLength);
        final long firstSegment =
            AeronArchive.segmentFileBasePosition(startPosition, startPosition, termLength, segmentLength);
        return newStartPosition > firstSegment ?
            archive.purgeSegments(logRecordingId, newStartPosition) * segmentLength : 0;
    }

    private long readClusterSnapshots()
    {
        clientLock.lock();
        try
        {
            requireOpen();
            return clusterSnapshots.get();
        }
        finally
        {
            clientLock.unlock();
        }
    }

    /** @return false while the consensus module is busy with another action (the toggle is not neutral). */
    private boolean requestSnapshot()
    {
        clientLock.lock();
        try
        {
            requireOpen();
            return ClusterControl.ToggleState.SNAPSHOT.toggle(controlToggle);
        }
        finally
        {
            clientLock.unlock();
        }
    }

    private void updateCounters(final long taken, final long purged)
    {
        clientLock.lock();
        try
        {
            requireOpen();
            snapshotsCounter.getAndAdd(taken);
            bytesPurgedCounter.getAndAdd(purged);
        }
        finally
        {
            clientLock.unlock();
        }
    }

    /** Its Aeron client closed (the driver stopped answering): nothing here can be read any more. */
    private void requireOpen()
    {
        if (aeron.isClosed())
        {
            throw new AgentTerminationException("witness: compaction stops: its Aeron client closed");
        }
    }

    /** {term length, segment file length} of the recording, or null if the archive no longer holds it. */
    private int[] lengthsOf(final long recordingId)
    {
        final int[] lengths = new int[2];
        final int found = archive.listRecording(recordingId, (controlSessionId, correlationId, id, startTimestamp,
            stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength,
            sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) ->
        {
            lengths[0] = termBufferLength;
            lengths[1] = segmentFileLength;
        });
        return 0 == found ? null : lengths;
    }
}
