package io.ringmq.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.ringmq.journal.DamagedJournalTest.cq4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A queue file with no Chronicle header (empty, or zeroed) made a start wait about 2.5 minutes and then come up with
 * none of the journal's commands. It is refused at once, naming the file; once it is moved aside, the journal opens.
 */
class HeaderlessQueueFileTest
{
    @TempDir
    Path dir;

    @Test
    void anEmptyQueueFileIsRefusedAtOnceNamingIt() throws IOException
    {
        final Path file = journalWithFiveRecords();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(0);
        }
        assertRefusedAtOnce(file, "0 bytes long");
    }

    @Test
    void aZeroedQueueFileIsRefusedAtOnceAndOpensOnceMovedAside() throws IOException
    {
        final Path file = journalWithFiveRecords();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.allocate(1 << 20), 0);
        }
        assertRefusedAtOnce(file, "zeros where its header goes");

        Files.move(file, dir.resolve("aside.cq4.bak"));
        try (ChronicleJournal journal = ChronicleJournal.open(dir.resolve("journal"), "DAILY"))
        {
            assertEquals(0, journal.replay((buffer, offset, length) -> {}));
            final byte[] command = Records.command(1, 10, 1);
            journal.append(Records.direct(command), 0, command.length);
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir.resolve("journal"), "DAILY"))
        {
            Records.assertSameRecords(List.of(Records.command(1, 10, 1)), Records.replayAll(journal, new long[1]));
        }
    }

    private Path journalWithFiveRecords() throws IOException
    {
        try (ChronicleJournal journal = ChronicleJournal.open(dir.resolve("journal"), "DAILY"))
        {
            for (int i = 1; i <= 5; i++)
            {
                final byte[] command = Records.command(i, 50, i);
                journal.append(Records.direct(command), 0, command.length);
            }
        }
        return cq4(dir.resolve("journal"));
    }

    private void assertRefusedAtOnce(final Path file, final String problem)
    {
        final long startNs = System.nanoTime();
        final JournalCorruptedException e = assertThrows(JournalCorruptedException.class,
            () -> ChronicleJournal.open(dir.resolve("journal"), "DAILY").close());
        assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(10), "refused without waiting on Chronicle");
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(problem) &&
            e.getMessage().contains("It is the newest"), e::getMessage);
    }
}
