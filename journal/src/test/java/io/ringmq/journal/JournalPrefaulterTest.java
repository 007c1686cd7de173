package io.ringmq.journal;

import io.ringmq.core.protocol.CommandHeader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The prefaulter covers what is mapped of the next stretch after the appender, once a quarter of it was written
 * into, looks for a chunk Chronicle has not mapped yet only after the appender moved, tries a failed stretch again
 * and stops where the system has no such call; on Linux, the appender's own thread then takes far fewer page faults, and the file's bytes do not change.
 */
class JournalPrefaulterTest
{
    private static final long MIB = 1 << 20;
    private static final byte[] STAT = new byte[4096];

    private final List<String> calls = new ArrayList<>();
    private final List<JournalPrefaulter.Mapping> mapped = new ArrayList<>();
    private int mappingReads;
    private int refuseWith;
    private File file = new File("/data/journal/20261207.cq4");
    private long position;

    private final JournalPrefaulter.Memory memory = new JournalPrefaulter.Memory()
    {
        public List<JournalPrefaulter.Mapping> mappings(final String path)
        {
            mappingReads++;
            return List.copyOf(mapped);
        }

        public int populateWrite(final long address, final long length)
        {
            calls.add(address + "+" + length);
            return refuseWith;
        }
    };

    private final JournalPrefaulter prefaulter = new JournalPrefaulter(new JournalPrefaulter.WriteFront()
    {
        public File file()
        {
            return file;
        }

        public long position()
        {
            return position;
        }
    }, 4 * MIB, memory);

    @Test
    void coversTheNextStretchOnceAQuarterOfItWasWrittenInto()
    {
        mapped.add(new JournalPrefaulter.Mapping(1_000_000_000L, 0, 64 * MIB));
        position = 5000;
        assertTrue(prefaulter.prefault());
        assertEquals(List.of((1_000_000_000L + 4096) + "+" + (4 * MIB + 5000 - 4096)), calls, "from the page written");

        position += MIB - 1; // under a quarter
        assertTrue(prefaulter.prefault());
        assertEquals(1, calls.size(), "still three quarters ahead");

        position += 2; // a quarter
        assertTrue(prefaulter.prefault());
        assertEquals((1_000_000_000L + 4 * MIB + 4096) + "+" + (MIB + 905), calls.get(1),
            "from the page where the last ended");
        assertEquals(1, mappingReads, "the mapping is known");
    }

    @Test
    void aChunkNotMappedYetIsLookedForAgainOnlyOnceTheAppenderMoved()
    {
        mapped.add(new JournalPrefaulter.Mapping(2_000_000_000L, 0, 64 * MIB));
        position = 64 * MIB - MIB;
        assertTrue(prefaulter.prefault());
        assertEquals(List.of((2_000_000_000L + 63 * MIB) + "+" + MIB), calls, "up to the mapping's end");

        assertTrue(prefaulter.prefault());
        assertEquals(1, mappingReads, "the appender has not moved: the maps are not read again");

        position += MIB; // the appender reached the next chunk, which Chronicle maps at 3,000,000,000
        mapped.add(new JournalPrefaulter.Mapping(3_000_000_000L, 64 * MIB, 64 * MIB));
        assertTrue(prefaulter.prefault());
        assertEquals(2, mappingReads);
        assertEquals(3_000_000_000L + "+" + 4 * MIB, calls.get(1));
    }

    @Test
    void aNewFileStartsOverAFailedPassIsTriedAgainAndAMissingCallStopsIt()
    {
        mapped.add(new JournalPrefaulter.Mapping(1_000_000_000L, 0, 64 * MIB));
        position = 10 * MIB;
        assertTrue(prefaulter.prefault());
        file = new File("/data/journal/20261208.cq4"); // rolled
        position = 8192;
        assertTrue(prefaulter.prefault());
        assertEquals((1_000_000_000L + 8192) + "+" + 4 * MIB, calls.get(1), "prefaulted from the new file's start");
        assertEquals(2, mappingReads, "the new file's mappings read");

        refuseWith = 14; // EFAULT: past the file's end, say: this pass stops, a later one tries again
        position += 2 * MIB;
        assertTrue(prefaulter.prefault());
        position += 1;
        assertTrue(prefaulter.prefault());
        final String failedStart = calls.get(2).substring(0, calls.get(2).indexOf('+'));
        assertEquals(failedStart, calls.get(3).substring(0, calls.get(3).indexOf('+')), "asked again from where it failed");

        refuseWith = 22; // EINVAL: an older kernel, without the call
        position += 1;
        assertFalse(prefaulter.prefault());
    }

    @Test
    void theAppendersThreadTakesFewerPageFaultsAndTheRecordsStayTheSame(@TempDir final Path dir) throws Exception
    {
        assumeTrue(Files.isReadable(Path.of("/proc/thread-self/stat")), "needs Linux's per-thread fault count");
        appenderFaults(dir.resolve("warm-up"), false); // the JIT's and the heap's first faults are not the journal's
        final long without = appenderFaults(dir.resolve("plain"), false);
        final long with = appenderFaults(dir.resolve("prefaulted"), true);
        assertTrue(with * 4 < without, "the appender's minor faults: " + with + " prefaulted, " + without + " not");
    }

    /** Appends 40 MiB in batches from this thread; with prefault, a pass runs after each batch on another thread. */
    private static long appenderFaults(final Path dir, final boolean prefault) throws Exception
    {
        final ExecutorService other = Executors.newSingleThreadExecutor();
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY", FsyncPolicy.NONE))
        {
            final JournalPrefaulter prefaulter = new JournalPrefaulter(journal.writeFront(), 4 * MIB,
                JournalPrefaulter.LinuxMemory.load());
            final UnsafeBuffer record = new UnsafeBuffer(new byte[220]);
            journal.openAppender();
            long faults = 0;
            long logSequence = 0;
            for (int batch = 0; batch < 400; batch++)
            {
                final long before = minorFaults();
                for (int i = 0; i < 512; i++)
                {
                    CommandHeader.write(record, 0, ++logSequence, 1_000, 7);
                    journal.append(record, 0, record.capacity());
                }
                faults += minorFaults() - before;
                journal.publishAppended();
                if (prefault)
                {
                    assumeTrue(other.submit(prefaulter::prefault).get(10, TimeUnit.SECONDS),
                        "madvise(MADV_POPULATE_WRITE) refused: needs Linux 5.14");
                }
            }
            final long[] read = {0};
            journal.replay((buffer, offset, length) -> read[0]++);
            assertEquals(logSequence, read[0], "every record reads back");
            return faults;
        }
        finally
        {
            other.shutdownNow();
        }
    }

    /**
     * This thread's minor faults (field 10 of {@code /proc/thread-self/stat}), read into a buffer kept for it: what it
     * allocates would fault in fresh heap pages of its own, counted with the journal's.
     */
    private static long minorFaults() throws IOException
    {
        final int length;
        try (RandomAccessFile stat = new RandomAccessFile("/proc/thread-self/stat", "r"))
        {
            length = stat.read(STAT);
        }
        int field = 2; // the command's name, in parentheses, is field 2 and may hold spaces: count from its end
        int i = length - 1;
        while (STAT[i] != ')')
        {
            i--;
        }
        long value = 0;
        for (i++; i < length && field <= 10; i++)
        {
            if (' ' == STAT[i])
            {
                field++;
            }
            else if (10 == field)
            {
                value = value * 10 + (STAT[i] - '0');
            }
        }
        return value;
    }
}
