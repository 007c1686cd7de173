package io.ringmq.daemon.failover;

import io.aeron.Aeron;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusterControl;
import io.aeron.cluster.RecordingLog;
import io.aeron.exceptions.AeronException;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.concurrent.TimeUnit;

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

    private final AtomicCounter controlToggle;
    private final AtomicCounter clusterSnapshots;
    private final File clusterDir;
    private final AeronArchive archive;
    private final NanoClock clock;
    private final long intervalNs;
    private final AtomicCounter snapshotsTaken;
    private final AtomicCounter bytesPurged;
    private long nextSnapshotNs;
    private long snapshotsSeen;

    /**
     * @param controlToggle    the consensus module's control toggle.
     * @param clusterSnapshots the consensus module's count of snapshots taken.
     * @param archive          a client of the witness's archive, owned by the caller.
     * @param snapshotsTaken   counts the snapshots this agent saw taken.
     * @param bytesPurged      counts the bytes of segment files deleted.
     */
    WitnessCompaction(
        final AtomicCounter controlToggle,
        final AtomicCounter clusterSnapshots,
        final File clusterDir,
        final AeronArchive archive,
        final NanoClock clock,
        final long intervalNs,
        final AtomicCounter snapshotsTaken,
        final AtomicCounter bytesPurged)
    {
        this.controlToggle = controlToggle;
        this.clusterSnapshots = clusterSnapshots;
        this.clusterDir = clusterDir;
        this.archive = archive;
        this.clock = clock;
        this.intervalNs = intervalNs;
        this.snapshotsTaken = snapshotsTaken;
        this.bytesPurged = bytesPurged;
    }

    public void onStart()
    {
        nextSnapshotNs = clock.nanoTime() + intervalNs;
        snapshotsSeen = clusterSnapshots.get();
    }

    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        int work = 0;
        final long snapshots = clusterSnapshots.get();
        if (snapshots != snapshotsSeen)
        {
            final long taken = snapshots - snapshotsSeen;
            snapshotsSeen = snapshots;
            compact();
            snapshotsTaken.getAndAdd(taken); // after: a reader of the count sees the compaction done
            work++;
        }
        if (nowNs - nextSnapshotNs >= 0)
        {
            if (ClusterControl.ToggleState.SNAPSHOT.toggle(controlToggle))
            {
                nextSnapshotNs = nowNs + intervalNs;
                work++;
            }
            else
            {
                nextSnapshotNs = nowNs + Math.min(intervalNs, BUSY_RETRY_NS);
            }
        }
        return work;
    }

    public String roleName()
    {
        return "ringmq-witness-compaction";
    }

    /** Deletes what the newest snapshots made unnecessary. */
    private void compact()
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
        bytesPurged.getAndAdd(purged);
        LOG.info("witness: snapshot {} taken; deleted {} older snapshot recordings and {} bytes in all, the log " +
            "kept from position {} ({} bytes purged since start)", snapshotsSeen, snapshotsDeleted, purged,
            retention.keepLogFrom(), bytesPurged.get());
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
