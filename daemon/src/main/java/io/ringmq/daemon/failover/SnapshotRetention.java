package io.ringmq.daemon.failover;

import io.aeron.Aeron;
import io.aeron.cluster.RecordingLog;
import org.agrona.collections.LongArrayList;

import java.util.List;
import java.util.TreeSet;

/**
 * What the witness may delete once it has taken a snapshot, read from its cluster's recording log: the newest
 * {@code kept} snapshots stay, with the log from the older of them on (so either one, with the log after it, rebuilds
 * the registry: an operator who invalidates the newest falls back to the other), and everything before goes.
 * <p>
 * A restart loads the newest valid snapshot and replays the log from that snapshot's position (Aeron Cluster's
 * recovery plan); nothing older is read. The recording log's entries of deleted snapshots stay as they are: Aeron lets
 * only the newest be invalidated, and recovery never reaches past the kept ones.
 * <p>
 * Pure: a function of the entries given. Thread-safe (no state).
 *
 * @param logRecordingId             the log's recording (the newest term's), or {@link Aeron#NULL_VALUE} if none.
 * @param keepLogFrom                log position before which the log is no longer needed; 0 if it all is.
 * @param snapshotRecordingsToDelete recordings of the snapshots older than the kept ones (every service's and the
 *                                   consensus module's).
 */
record SnapshotRetention(long logRecordingId, long keepLogFrom, LongArrayList snapshotRecordingsToDelete)
{
    /**
     * @param entries the recording log's entries, in its order.
     * @param kept    how many of the newest snapshots to keep, at least 1.
     */
    static SnapshotRetention of(final List<RecordingLog.Entry> entries, final int kept)
    {
        if (kept < 1)
        {
            throw new IllegalArgumentException("at least the newest snapshot is kept: " + kept);
        }
        long logRecordingId = Aeron.NULL_VALUE;
        final TreeSet<Long> snapshotPositions = new TreeSet<>();
        for (final RecordingLog.Entry entry : entries)
        {
            if (!entry.isValid)
            {
                continue;
            }
            if (RecordingLog.ENTRY_TYPE_TERM == entry.type && Aeron.NULL_VALUE != entry.recordingId)
            {
                logRecordingId = entry.recordingId; // the newest term's: the log recording a restart extends
            }
            else if (RecordingLog.ENTRY_TYPE_SNAPSHOT == entry.type)
            {
                snapshotPositions.add(entry.logPosition); // one position per snapshot, whatever its services
            }
        }
        final LongArrayList toDelete = new LongArrayList();
        if (snapshotPositions.size() < 1)
        {
            return new SnapshotRetention(logRecordingId, 0, toDelete);
        }
        long keepLogFrom = snapshotPositions.last();
        for (int i = 1; i < kept && null != snapshotPositions.lower(keepLogFrom); i++)
        {
            keepLogFrom = snapshotPositions.lower(keepLogFrom);
        }
        for (final RecordingLog.Entry entry : entries)
        {
            if (entry.isValid && RecordingLog.ENTRY_TYPE_SNAPSHOT == entry.type && entry.logPosition < keepLogFrom)
            {
                toDelete.addLong(entry.recordingId);
            }
        }
        return new SnapshotRetention(logRecordingId, keepLogFrom, toDelete);
    }
}
