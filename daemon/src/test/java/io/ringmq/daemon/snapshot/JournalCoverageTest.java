package io.ringmq.daemon.snapshot;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalCoverageTest
{
    private static final Path JOURNAL = Path.of("/data/journal");
    private static final Path SNAPSHOTS = Path.of("/data/snapshots");

    @Test
    void aJournalFromTheStartOrAnEmptyOneNeedsNoSnapshot()
    {
        assertDoesNotThrow(() -> JournalCoverage.requireCovered(1, 0, JOURNAL, SNAPSHOTS));
        assertDoesNotThrow(() -> JournalCoverage.requireCovered(0, 0, JOURNAL, SNAPSHOTS));
    }

    @Test
    void aSnapshotUpToTheRecordBeforeTheFirstOrLaterCoversIt()
    {
        assertDoesNotThrow(() -> JournalCoverage.requireCovered(101, 100, JOURNAL, SNAPSHOTS));
        assertDoesNotThrow(() -> JournalCoverage.requireCovered(101, 150, JOURNAL, SNAPSHOTS));
    }

    @Test
    void refusesWithoutASnapshotAndNamesTheGap()
    {
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> JournalCoverage.requireCovered(101, 0, JOURNAL, SNAPSHOTS));
        assertTrue(refused.getMessage().contains("there is no valid snapshot in " + SNAPSHOTS), refused.getMessage());
        assertTrue(refused.getMessage().contains("log sequences 1 to 100 are missing"), refused.getMessage());
    }

    @Test
    void refusesASnapshotThatStopsShortOfTheJournal()
    {
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> JournalCoverage.requireCovered(101, 99, JOURNAL, SNAPSHOTS));
        assertTrue(refused.getMessage().contains("only up to log sequence 99"), refused.getMessage());
        assertTrue(refused.getMessage().contains("log sequences 100 to 100 are missing"), refused.getMessage());
        assertTrue(refused.getMessage().contains(JOURNAL.toString()), refused.getMessage());
    }
}
