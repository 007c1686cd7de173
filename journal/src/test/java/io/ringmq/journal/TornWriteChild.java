package io.ringmq.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * Run as a child JVM by {@link DamagedJournalTest}: appends records 1..count (bodies of 41 + n bytes), then starts
 * record count + 1, a long one, and dies half-way through it ({@code Runtime.halt}, as SIGKILL: no finally, no
 * shutdown hook), leaving a torn last record in the file.
 */
public final class TornWriteChild
{
    static final int TORN_BODY = 3000;
    static final int TORN_WRITTEN = 2000;

    public static void main(final String[] args)
    {
        final Path dir = Path.of(args[0]);
        final int count = Integer.parseInt(args[1]);
        final ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY", FsyncPolicy.NONE);
        for (int i = 1; i <= count; i++)
        {
            final byte[] command = Records.command(i, 41 + i, i);
            journal.append(Records.direct(command), 0, command.length);
        }
        final ExcerptAppender appender = journal.openAppender();
        final DocumentContext document = appender.writingDocument();
        document.wire().bytes().writeInt(0x5EED).write(Records.command(count + 1, TORN_BODY, count + 1), 0, TORN_WRITTEN);
        Runtime.getRuntime().halt(0);
    }
}
