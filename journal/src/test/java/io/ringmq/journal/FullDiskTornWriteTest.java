package io.ringmq.journal;

import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.TickDecoder;
import io.ringmq.core.protocol.CommandHeader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.ringmq.journal.DamagedJournalTest.cq4;
import static io.ringmq.journal.DamagedJournalTest.overwrite;
import static io.ringmq.journal.DamagedJournalTest.positionOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write into the mapped queue file cut short by a full disk, the way it can be left when the JVM reports the fault
 * late (an {@link InternalError} "in a recent unsafe memory access", after Chronicle completed the document): a whole
 * header, then the record's pages from some page boundary on never written (zeros). Last, with nothing good after it
 * and a record before it, it is a torn tail that a start sets aside in place (a Tick at its log sequence) and the
 * journal goes on; anywhere else it is damage, as is a last record damaged any other way.
 */
class FullDiskTornWriteTest
{
    private static final int PAGE = 4096;
    /** Long enough to span pages, so the fault can fall inside it. */
    private static final int LONG_BODY = 3 * PAGE;

    @TempDir
    Path dir;

    @Test
    void aLastRecordWhosePagesWereNeverWrittenIsSetAsideAtStartAndTheJournalGoesOn() throws IOException
    {
        final List<byte[]> written = writeJournal(8);
        final long header = positionOf(dir, written.get(7)) - 8;
        zeroFromPageBoundary(written.get(7), 1);

        final List<byte[]> expected = new ArrayList<>(written.subList(0, 7));
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            final List<byte[]> replayed = Records.replayAll(journal, new long[1]);
            Records.assertSameRecords(expected, replayed.subList(0, 7));
            assertEquals(8, replayed.size(), "the seven good records, then the one set aside");
            final byte[] setAside = replayed.get(7);
            assertTick(setAside, 8, written.get(6));
            expected.add(setAside);

            final JournalDamage torn = journal.clearedTornTail();
            assertNotNull(torn, "the cut-short write is noticed");
            assertTrue(torn.isTornTail());
            assertEquals(header, torn.position(), "the record's header");
            assertEquals(7, torn.recordsBefore());
            assertTrue(torn.reason().contains("full disk"), torn::reason);
            assertEquals(8, journal.lastLogSequence());

            final byte[] next = Records.command(9, 10, 90);
            expected.add(next);
            journal.append(Records.direct(next), 0, next.length);
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            Records.assertSameRecords(expected, Records.replayAll(journal, new long[1]));
            assertNull(journal.clearedTornTail(), "nothing torn any more");
            final byte[] after = Records.command(10, 20, 100);
            expected.add(after);
            journal.append(Records.direct(after), 0, after.length);
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            Records.assertSameRecords(expected, Records.replayAll(journal, new long[1]));
            assertEquals(10, journal.lastLogSequence());
        }
    }

    @Test
    void aReplayFromASnapshotAtTheRecordBeforeHandsOnTheRecordSetAside() throws IOException
    {
        final List<byte[]> written = writeJournal(8);
        zeroFromPageBoundary(written.get(7), 2);

        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            final List<byte[]> handed = new ArrayList<>();
            assertEquals(1, journal.replayAfter(7, (buffer, offset, length) ->
                handed.add(Records.copy(buffer, offset, length)), ReplayProgress.silent()));
            assertTick(handed.get(0), 8, written.get(6));
        }
    }

    @Test
    void aFirstRecordWhosePagesWereNeverWrittenIsDamageForItHasNoLogSequenceToTake() throws IOException
    {
        final List<byte[]> written = writeJournal(1);
        zeroFromPageBoundary(written.get(0), 1);

        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            final JournalCorruptedException e = assertThrows(JournalCorruptedException.class,
                () -> journal.replay((buffer, offset, length) -> {}));
            assertFalse(e.damage().isTornTail(), e::getMessage);
        }
    }

    @Test
    void aRecordWithUnwrittenPagesFollowedByAGoodOneIsDamage() throws IOException
    {
        final List<byte[]> written = writeJournal(8);
        final long header = positionOf(dir, written.get(6)) - 8;
        zeroFromPageBoundary(written.get(6), 1);

        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            final JournalCorruptedException e = assertThrows(JournalCorruptedException.class,
                () -> journal.replay((buffer, offset, length) -> {}));
            assertFalse(e.damage().isTornTail(), e::getMessage);
            assertEquals(header, e.damage().position());
            assertEquals(1, e.damage().readableAfter());
        }
    }

    @Test
    void aLastRecordWithZerosThatStopShortOfAPageBoundaryIsDamage() throws IOException
    {
        // Zeros inside one page are not what an unallocated page leaves: the disk changed bytes of a whole record.
        final List<byte[]> written = writeJournal(8);
        final byte[] last = written.get(7);
        final long data = positionOf(dir, last);
        final long nextPage = (data + PAGE - 1) & -PAGE;
        overwrite(cq4(dir), nextPage + 8, new byte[64]);

        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            final JournalCorruptedException e = assertThrows(JournalCorruptedException.class,
                () -> journal.replay((buffer, offset, length) -> {}));
            assertFalse(e.damage().isTornTail(), e::getMessage);
            assertEquals(data - 8, e.damage().position());
        }
    }

    @Test
    void repairLeavesAWriteCutShortByAFullDiskToTheNormalStart() throws IOException
    {
        final List<byte[]> written = writeJournal(4);
        zeroFromPageBoundary(written.get(3), 2);

        final JournalRepair.Outcome outcome = JournalRepair.repair(dir, "DAILY");
        assertFalse(outcome.repaired(), outcome::describe);
        assertTrue(outcome.damage().isTornTail(), outcome::describe);
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            final List<byte[]> replayed = Records.replayAll(journal, new long[1]);
            Records.assertSameRecords(written.subList(0, 3), replayed.subList(0, 3));
            assertTick(replayed.get(3), 4, written.get(2));
        }
    }

    /** A Tick (the passage of time only) at {@code logSequence}, at the time of the command before it. */
    private static void assertTick(final byte[] record, final long logSequence, final byte[] before)
    {
        final UnsafeBuffer command = new UnsafeBuffer(record);
        assertEquals(logSequence, CommandHeader.logSequence(command, 0));
        assertEquals(CommandHeader.timestampNs(new UnsafeBuffer(before), 0), CommandHeader.timestampNs(command, 0));
        assertEquals(TickDecoder.TEMPLATE_ID, new MessageHeaderDecoder().wrap(command, CommandHeader.LENGTH).templateId());
    }

    /** Records 1..count; each a few pages long, so a fault can fall inside any of them. */
    private List<byte[]> writeJournal(final int count)
    {
        final List<byte[]> written = new ArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            for (int i = 1; i <= count; i++)
            {
                final byte[] command = Records.command(i, LONG_BODY + i, i);
                journal.append(Records.direct(command), 0, command.length);
                written.add(command);
            }
        }
        return written;
    }

    /**
     * Zeroes a record's bytes from its {@code page}-th page boundary to its end, as pages the kernel could not
     * allocate read back.
     */
    private void zeroFromPageBoundary(final byte[] command, final int page) throws IOException
    {
        final long data = positionOf(dir, command);
        final long from = ((data + PAGE - 1) & -PAGE) + (long)(page - 1) * PAGE;
        final long end = data + command.length;
        assertTrue(from < end, "the record spans that page boundary");
        overwrite(cq4(dir), from, new byte[(int)(end - from)]);
    }
}
