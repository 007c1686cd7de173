package io.ringmq.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Steady-state appends must not allocate: the journal handler is on the latency path of every command. */
class AppendAllocationTest
{
    private static final int RECORD_LENGTH = 100;
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 100_000;

    @TempDir
    Path dir;

    @Test
    void steadyStateAppendAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        final UnsafeBuffer record = Records.direct(Records.command(1, RECORD_LENGTH - 16, 1));
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY"))
        {
            long logSequence = 0;
            for (int i = 0; i < WARM_UP; i++)
            {
                record.putLong(0, ++logSequence);
                journal.append(record, 0, RECORD_LENGTH);
            }

            final long before = threads.getCurrentThreadAllocatedBytes();
            final long start = System.nanoTime();
            for (int i = 0; i < MEASURED; i++)
            {
                record.putLong(0, ++logSequence);
                journal.append(record, 0, RECORD_LENGTH);
            }
            final long elapsedNs = System.nanoTime() - start;
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            final double perAppend = (double)allocated / MEASURED;
            System.out.printf("append allocation: %d bytes over %d appends = %.4f B/append; %.0f appends/s%n",
                allocated, MEASURED, perAppend, MEASURED * 1e9 / elapsedNs);
            assertTrue(perAppend < 1.0, "allocated " + allocated + " bytes over " + MEASURED + " appends");

            final long replayStart = System.nanoTime();
            final long replayed = journal.replay((buffer, offset, length) -> { });
            System.out.printf("replay: %d records at %.0f records/s%n",
                replayed, replayed * 1e9 / (System.nanoTime() - replayStart));
            assertEquals(WARM_UP + MEASURED, replayed);
        }
    }
}
