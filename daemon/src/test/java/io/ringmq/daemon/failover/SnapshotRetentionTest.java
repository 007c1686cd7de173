package io.ringmq.daemon.failover;

import io.aeron.Aeron;
import io.aeron.cluster.RecordingLog;
import org.agrona.collections.LongArrayList;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What a witness deletes after a snapshot, from its recording log's entries. */
class SnapshotRetentionTest
{
    private static final int CONSENSUS_MODULE = -1;
    private static final int REGISTRY = 0;
    private static final long LOG = 0;

    private final List<RecordingLog.Entry> entries = new ArrayList<>();

    @Test
    void withoutASnapshotNothingGoes()
    {
        term(0, 0);
        final SnapshotRetention retention = SnapshotRetention.of(entries, 2);
        assertEquals(LOG, retention.logRecordingId());
        assertEquals(0, retention.keepLogFrom());
        assertArrayEquals(new long[0], sorted(retention.snapshotRecordingsToDelete()));
    }

    @Test
    void theTwoNewestStayWithTheLogFromTheOlderOfThem()
    {
        term(0, 0);
        snapshot(1, 2, 1_000);
        snapshot(3, 4, 2_000);
        term(1, 2_500); // a restart: a new term, the same log recording
        snapshot(5, 6, 3_000);
        snapshot(7, 8, 4_000);

        final SnapshotRetention retention = SnapshotRetention.of(entries, 2);
        assertEquals(LOG, retention.logRecordingId());
        assertEquals(3_000, retention.keepLogFrom());
        assertArrayEquals(new long[]{1, 2, 3, 4}, sorted(retention.snapshotRecordingsToDelete()));
    }

    @Test
    void keepingOneKeepsTheLogFromTheNewest()
    {
        term(0, 0);
        snapshot(1, 2, 1_000);
        snapshot(3, 4, 2_000);
        final SnapshotRetention retention = SnapshotRetention.of(entries, 1);
        assertEquals(2_000, retention.keepLogFrom());
        assertArrayEquals(new long[]{1, 2}, sorted(retention.snapshotRecordingsToDelete()));
    }

    @Test
    void fewerSnapshotsThanKeptKeepTheLogFromTheOldest()
    {
        term(0, 0);
        snapshot(1, 2, 1_000);
        final SnapshotRetention retention = SnapshotRetention.of(entries, 2);
        assertEquals(1_000, retention.keepLogFrom());
        assertArrayEquals(new long[0], sorted(retention.snapshotRecordingsToDelete()));
    }

    @Test
    void anInvalidatedSnapshotIsNeitherKeptNorDeleted()
    {
        term(0, 0);
        snapshot(1, 2, 1_000);
        snapshot(3, 4, 2_000);
        entries.add(entry(5, 0, 3_000, CONSENSUS_MODULE, RecordingLog.ENTRY_TYPE_SNAPSHOT, false));
        entries.add(entry(6, 0, 3_000, REGISTRY, RecordingLog.ENTRY_TYPE_SNAPSHOT, false));

        final SnapshotRetention retention = SnapshotRetention.of(entries, 2);
        assertEquals(1_000, retention.keepLogFrom(), "an operator fell back past the newest: the two valid ones stay");
        assertArrayEquals(new long[0], sorted(retention.snapshotRecordingsToDelete()));
    }

    @Test
    void atLeastOneIsKept()
    {
        assertThrows(IllegalArgumentException.class, () -> SnapshotRetention.of(entries, 0));
    }

    private void term(final long leadershipTermId, final long termBase)
    {
        entries.add(new RecordingLog.Entry(LOG, leadershipTermId, termBase, Aeron.NULL_VALUE, 0, Aeron.NULL_VALUE,
            RecordingLog.ENTRY_TYPE_TERM, null, true, 0, entries.size()));
    }

    /** A snapshot: the registry's recording and the consensus module's, at one log position. */
    private void snapshot(final long registryRecording, final long consensusRecording, final long logPosition)
    {
        entries.add(entry(registryRecording, 0, logPosition, REGISTRY, RecordingLog.ENTRY_TYPE_SNAPSHOT, true));
        entries.add(entry(consensusRecording, 0, logPosition, CONSENSUS_MODULE, RecordingLog.ENTRY_TYPE_SNAPSHOT,
            true));
    }

    private RecordingLog.Entry entry(
        final long recordingId,
        final long leadershipTermId,
        final long logPosition,
        final int serviceId,
        final int type,
        final boolean valid)
    {
        return new RecordingLog.Entry(recordingId, leadershipTermId, 0, logPosition, 0, serviceId, type, null, valid,
            0, entries.size());
    }

    private static long[] sorted(final LongArrayList ids)
    {
        final long[] array = ids.toLongArray();
        Arrays.sort(array);
        return array;
    }
}
