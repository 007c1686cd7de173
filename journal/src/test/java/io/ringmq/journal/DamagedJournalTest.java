package io.ringmq.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real damage in real queue files: a writer killed mid-append, bytes flipped inside a record, a header wiped. A
 * replay must drop only a torn tail (with a warning), stop at anything else naming the file and position, and
 * {@link JournalRepair} must keep what came before the damage and move the journal aside.
 */
class DamagedJournalTest
{
    @TempDir
    Path dir;

    @Test
    void aWriterKilledMidAppendLeavesATornTailThatIsClearedAndTheJournalGoesOn() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        runTornWriter(journalDir, 5);

        final List<byte[]> expected = new ArrayList<>();
        for (int i = 1; i <= 5; i++)
        {
            expected.add(Records.command(i, 41 + i, i));
        }
        try (ChronicleJournal journal = ChronicleJournal.open(journalDir, "DAILY"))
        {
            final long[] count = new long[1];
            Records.assertSameRecords(expected, Records.replayAll(journal, count));
            final JournalDamage torn = journal.clearedTornTail();
            assertNotNull(torn, "the torn append is noticed");
            assertTrue(torn.isTornTail());
            assertEquals(cq4(journalDir), torn.file());
            assertEquals(5, torn.recordsBefore());

            // Shorter than the torn one: without clearing, the torn record's bytes would lie after it.
            final byte[] next = Records.command(6, 10, 6);
            expected.add(next);
            journal.append(Records.direct(next), 0, next.length);
        }
        try (ChronicleJournal journal = ChronicleJournal.open(journalDir, "DAILY"))
        {
            final long[] count = new long[1];
            Records.assertSameRecords(expected, Records.replayAll(journal, count));
            assertNull(journal.clearedTornTail(), "nothing torn any more");
            assertEquals(6, journal.lastLogSequence());
        }
    }

    @Test
    void aFlippedByteInTheMiddleStopsTheReplayNamingFileAndPosition() throws IOException
    {
        final List<byte[]> written = writeJournal(20);
        final long at = positionOf(written.get(9)); // record 10
        flipByte(at + 30);

        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            final List<byte[]> replayed = new ArrayList<>();
            final JournalCorruptedException e = assertThrows(JournalCorruptedException.class,
                () -> journal.replay((buffer, offset, length) -> replayed.add(Records.copy(buffer, offset, length))));
            Records.assertSameRecords(written.subList(0, 9), replayed);
            final JournalDamage damage = e.damage();
            assertEquals(cq4(dir), damage.file());
            assertEquals(at - 8, damage.position(), "the record's header: 4 bytes header, 4 bytes checksum");
            assertEquals(9, damage.recordsBefore());
            assertEquals(10, damage.readableAfter());
            assertFalse(damage.isTornTail());
            assertTrue(e.getMessage().contains(cq4(dir).toString()) && e.getMessage().contains("at byte " + (at - 8)) &&
                e.getMessage().contains("checksum") && e.getMessage().contains("--repair"), e.getMessage());
        }
    }

    @Test
    void aDamagedFirstRecordHasNoTrustworthyLogSequence() throws IOException
    {
        final List<byte[]> written = writeJournal(5);
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            assertEquals(1, journal.firstLogSequence());
        }
        flipByte(positionOf(written.get(0)) + 30);

        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            assertEquals(-1, journal.firstLogSequence(), "unknown: the replay reports the damage");
            assertThrows(JournalCorruptedException.class, () -> journal.replay((buffer, offset, length) -> {}));
        }
    }

    /** Issue 18, item 7: Chronicle's own failure to read the file's header escaped, and the daemon exited 2. */
    @Test
    void aQueueFileCutShortIsDamageToRepairNotChroniclesFailure() throws IOException
    {
        final Path journalDir = dir.resolve("journal"); // repaired in place, moved aside next to it, inside dir
        writeJournal(journalDir, 5);
        try (FileChannel channel = FileChannel.open(cq4(journalDir), StandardOpenOption.WRITE))
        {
            channel.truncate(100);
        }

        try (ChronicleJournal journal = ChronicleJournal.open(journalDir, "DAILY"))
        {
            final JournalCorruptedException e = assertThrows(JournalCorruptedException.class,
                () -> journal.replay((buffer, offset, length) -> {}));
            assertEquals(0, e.damage().recordsBefore());
            assertTrue(e.getMessage().contains("Chronicle cannot open the first queue file in " + journalDir) &&
                e.getMessage().contains("--repair"), e.getMessage());
        }
        final JournalRepair.Outcome repaired = JournalRepair.repair(journalDir, "DAILY");
        assertTrue(repaired.repaired(), repaired::describe);
        try (ChronicleJournal journal = ChronicleJournal.open(journalDir, "DAILY"))
        {
            assertEquals(0, journal.replay((buffer, offset, length) -> {}), "an empty journal in its place");
        }
    }

    @Test
    void aWipedHeaderInTheMiddleIsNotMistakenForTheEnd() throws IOException
    {
        final List<byte[]> written = writeJournal(20);
        final long header = positionOf(written.get(14)) - 8;
        overwrite(header, new byte[4]);

        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            final long[] replayed = {0};
            final JournalCorruptedException e = assertThrows(JournalCorruptedException.class,
                () -> journal.replay((buffer, offset, length) -> replayed[0]++));
            assertEquals(14, replayed[0]);
            assertEquals(header, e.damage().position());
            assertFalse(e.damage().isTornTail(), e::getMessage);
        }
    }

    @Test
    void aWholeLastRecordFailingItsChecksumIsDamageNotATornTail() throws IOException
    {
        // A killed writer never leaves a header on a record it did not finish, so this was damaged later (the disk):
        // a start must not drop it silently; a repair drops it and keeps the rest.
        final Path journalDir = dir.resolve("journal"); // repaired in place, moved aside next to it
        final List<byte[]> written = writeJournal(journalDir, 8);
        flipByte(cq4(journalDir), positionOf(journalDir, written.get(7)) + 30);

        try (ChronicleJournal journal = ChronicleJournal.open(journalDir, "DAILY"))
        {
            final JournalCorruptedException e = assertThrows(JournalCorruptedException.class,
                () -> journal.replay((buffer, offset, length) -> {}));
            assertEquals(0, e.damage().readableAfter());
            assertFalse(e.damage().isTornTail());
        }
        final JournalRepair.Outcome outcome = JournalRepair.repair(journalDir, "DAILY");
        assertEquals(7, outcome.kept(), outcome::describe);
        try (ChronicleJournal journal = ChronicleJournal.open(journalDir, "DAILY"))
        {
            final long[] count = new long[1];
            Records.assertSameRecords(written.subList(0, 7), Records.replayAll(journal, count));
            final byte[] next = Records.command(8, 5, 80);
            journal.append(Records.direct(next), 0, next.length);
        }
        try (ChronicleJournal journal = ChronicleJournal.open(journalDir, "DAILY"))
        {
            final long[] count = new long[1];
            assertEquals(8, Records.replayAll(journal, count).size());
            assertNull(journal.clearedTornTail());
        }
    }

    @Test
    void aMissingLogSequenceIsDamageEvenAtTheEnd()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            for (final long logSequence : new long[]{1, 2, 3, 5})
            {
                final byte[] command = Records.command(logSequence, 12, logSequence);
                journal.append(Records.direct(command), 0, command.length);
            }
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            final JournalCorruptedException e = assertThrows(JournalCorruptedException.class,
                () -> journal.replay((buffer, offset, length) -> {}));
            assertTrue(e.getMessage().contains("log sequence 5 where 4 should follow"), e.getMessage());
            assertFalse(e.damage().isTornTail());
        }
    }

    @Test
    void repairKeepsTheRecordsBeforeTheDamageAndMovesTheJournalAside() throws IOException
    {
        final Path journalDir = dir.resolve("journal");
        final List<byte[]> written = writeJournal(journalDir, 20);
        final long at = positionOf(journalDir, written.get(11));
        overwrite(cq4(journalDir), at + 3, new byte[]{(byte)0xFF, 0, 0x55});
        final byte[] asDamaged = prefix(cq4(journalDir));

        final JournalRepair.Outcome outcome = JournalRepair.repair(journalDir, "DAILY");
        assertTrue(outcome.repaired(), outcome::describe);
        assertEquals(11, outcome.kept());
        assertEquals(11, outcome.damage().recordsBefore());
        assertTrue(outcome.movedAside().getFileName().toString().startsWith("journal.damaged-"), outcome::describe);
        assertTrue(java.util.Arrays.equals(asDamaged, prefix(cq4(outcome.movedAside()))),
            "the damaged journal is kept as it was");
        assertEquals(cq4(journalDir).getFileName(), cq4(outcome.movedAside()).getFileName(), "same roll cycle");

        try (ChronicleJournal journal = ChronicleJournal.open(journalDir, "DAILY"))
        {
            final long[] count = new long[1];
            Records.assertSameRecords(written.subList(0, 11), Records.replayAll(journal, count));
            final byte[] next = Records.command(12, 9, 120);
            journal.append(Records.direct(next), 0, next.length);
            assertEquals(12, journal.lastLogSequence());
        }

        final JournalRepair.Outcome again = JournalRepair.repair(journalDir, "DAILY");
        assertFalse(again.repaired());
        assertNull(again.damage(), again::describe);
    }

    @Test
    void repairLeavesATornTailToTheNormalStart() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        runTornWriter(journalDir, 3);
        final JournalRepair.Outcome outcome = JournalRepair.repair(journalDir, "DAILY");
        assertFalse(outcome.repaired());
        assertTrue(outcome.damage().isTornTail(), outcome::describe);
        try (Stream<Path> siblings = Files.list(dir))
        {
            assertEquals(List.of(journalDir), siblings.toList(), "nothing moved");
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    private List<byte[]> writeJournal(final int count)
    {
        return writeJournal(dir, count);
    }

    private static List<byte[]> writeJournal(final Path journalDir, final int count)
    {
        final List<byte[]> written = new ArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.open(journalDir, "DAILY"))
        {
            for (int i = 1; i <= count; i++)
            {
                final byte[] command = Records.command(i, 50 + i, i);
                written.add(command);
                journal.append(Records.direct(command), 0, command.length);
            }
        }
        return written;
    }

    /** Byte offset in the queue file where these command bytes start (they are pseudo-random, so unique). */
    private long positionOf(final byte[] command) throws IOException
    {
        return positionOf(dir, command);
    }

    static long positionOf(final Path journalDir, final byte[] command) throws IOException
    {
        final byte[] file = prefix(cq4(journalDir));
        outer:
        for (int i = 0; i + command.length <= file.length; i++)
        {
            for (int j = 0; j < command.length; j++)
            {
                if (file[i + j] != command[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("record not found in " + cq4(journalDir));
    }

    /** The start of a queue file, where a small test journal's records all are (the rest is sparse zeros). */
    private static byte[] prefix(final Path file) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            while (bytes.hasRemaining() && channel.read(bytes) >= 0)
            {
                // read until full or end of file
            }
        }
        return java.util.Arrays.copyOf(bytes.array(), bytes.position());
    }

    private void flipByte(final long position) throws IOException
    {
        flipByte(cq4(dir), position);
    }

    private static void flipByte(final Path file, final long position) throws IOException
    {
        final byte[] one = new byte[1];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            channel.read(ByteBuffer.wrap(one), position);
        }
        one[0] ^= 0x10;
        overwrite(file, position, one);
    }

    private void overwrite(final long position, final byte[] bytes) throws IOException
    {
        overwrite(cq4(dir), position, bytes);
    }

    static void overwrite(final Path file, final long position, final byte[] bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(bytes), position);
        }
    }

    static Path cq4(final Path journalDir) throws IOException
    {
        try (Stream<Path> files = Files.list(journalDir))
        {
            final List<Path> queueFiles = files.filter((path) -> path.toString().endsWith(".cq4")).toList();
            assertEquals(1, queueFiles.size(), queueFiles::toString);
            return queueFiles.get(0);
        }
    }

    /** A child JVM with this one's flags and class path that appends, then dies mid-append. */
    private static void runTornWriter(final Path journalDir, final int count) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-") || argument.startsWith("-Dchronicle"))
            {
                command.add(argument);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TornWriteChild.class.getName(),
            journalDir.toString(), Integer.toString(count)));
        final Process child = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "torn writer finished");
        assertEquals(0, child.exitValue());
    }
}
