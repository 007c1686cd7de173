package io.ringmq.journal;

import net.openhft.chronicle.core.io.AbstractCloseable;
import net.openhft.chronicle.core.io.AbstractReferenceCounted;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** close() must leave no Chronicle appender, tailer, store or mapping behind, whichever thread wrote. */
class JournalResourcesTest
{
    @TempDir
    Path dir;

    @BeforeEach
    void trace()
    {
        AbstractCloseable.enableCloseableTracing();
        AbstractReferenceCounted.enableReferenceTracing();
    }

    @AfterEach
    void untrace()
    {
        AbstractCloseable.disableCloseableTracing();
        AbstractReferenceCounted.disableReferenceTracing();
    }

    @Test
    void closeReleasesEverythingWhenWriterClosedItsAppender() throws Exception
    {
        final byte[] command = Records.command(5, 40, 5);
        final ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY");
        runOnOtherThread(() ->
        {
            journal.openAppender();
            journal.append(Records.direct(command), 0, command.length);
            journal.sync();
            journal.closeAppender();
        });
        assertEquals(5, journal.lastLogSequence());
        assertEquals(1, journal.replay((buffer, offset, length) -> { }));
        journal.close();

        AbstractCloseable.assertCloseablesClosed();
        AbstractReferenceCounted.assertReferencesReleased();
    }

    @Test
    void closeTakesOverAppenderLeftOpenByStoppedWriter() throws Exception
    {
        final byte[] command = Records.command(9, 40, 9);
        final ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY");
        runOnOtherThread(() -> journal.append(Records.direct(command), 0, command.length));
        assertEquals(9, journal.lastLogSequence());
        journal.close();

        AbstractCloseable.assertCloseablesClosed();
        AbstractReferenceCounted.assertReferencesReleased();
    }

    private static void runOnOtherThread(final Runnable task) throws InterruptedException
    {
        final Throwable[] failure = new Throwable[1];
        final Thread writer = new Thread(() ->
        {
            try
            {
                task.run();
            }
            catch (final Throwable t)
            {
                failure[0] = t;
            }
        }, "journal-writer");
        writer.start();
        writer.join();
        if (null != failure[0])
        {
            throw new AssertionError("writer failed", failure[0]);
        }
    }
}
