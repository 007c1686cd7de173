package io.ringmq.journal;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Prefaults the pages of the journal's file ahead of its appender, on a thread of its own, so the appender's thread
 * (the ring's) writes into pages the kernel has already allocated and mapped. A queue file is a sparse mapped file:
 * every first write to one of its pages traps into the kernel, which allocates and zeroes a page and maps it, a fault
 * of tens of microseconds on a virtual machine, and at 100-byte messages one every twenty records or so. Chronicle's
 * own pretoucher is not in its open-source build.
 * <p>
 * How: {@code madvise(MADV_POPULATE_WRITE)} (Linux 5.14 and later) over Chronicle's own mapping of the file, found in
 * {@code /proc/self/maps}, from the position the appender last published to {@code aheadBytes} past it. It faults the
 * pages in as a write would, without writing: no byte of the file changes, so it cannot race the appender. A range
 * Chronicle has not mapped yet (the next chunk) is left to the appender, and to a later pass once it is mapped. Where
 * the call is not available (another system, an older kernel) the thread logs so once and stops: nothing else changes;
 * any other failure (a range past the file's end, one unmapped meanwhile) is tried again on a later pass.
 * <p>
 * The thread checks every millisecond while the appender moves and every 50 ms once it has not moved for 100 ms, so an
 * idle daemon wakes it 20 times a second.
 */
final class JournalPrefaulter implements Runnable
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalPrefaulter.class);
    /** madvise advice: populate (prefault) page tables writable, as a write would, without writing. */
    private static final int MADV_POPULATE_WRITE = 23;
    /** The errors that say the call itself is not there: an older kernel or another system. */
    private static final int EINVAL = 22;
    private static final int ENOSYS = 38;
    private static final long PAGE = 4096;
    private static final long BUSY_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int IDLE_AFTER_CHECKS = 100;

    /** Where the appender is: its file and the end of its last published record. */
    interface WriteFront
    {
        /** The file the appender writes to, or null before its first published batch. */
        File file();

        /** The end of the last record the appender published, a byte offset in {@link #file()}. */
        long position();
    }

    /** One mapping of the file in this process. */
    record Mapping(long address, long fileOffset, long length)
    {
        long fileEnd()
        {
            return fileOffset + length;
        }
    }

    /** The system calls, so a test can watch them. */
    interface Memory
    {
        /** The mappings of {@code path} (canonical) in this process. */
        List<Mapping> mappings(String path) throws IOException;

        /** Prefaults {@code length} bytes from {@code address}: 0, or the error number. */
        int populateWrite(long address, long length);
    }

    private final WriteFront front;
    private final long aheadBytes;
    private final Memory memory;
    private volatile boolean running = true;
    private Thread thread;
    private File file;
    private String path;
    private List<Mapping> mappings = List.of();
    private long prefaultedTo;
    private long mappingsReadAt = -1;

    JournalPrefaulter(final WriteFront front, final long aheadBytes, final Memory memory)
    {
        if (aheadBytes < PAGE)
        {
            throw new IllegalArgumentException("aheadBytes=" + aheadBytes + " must be at least a page (" + PAGE + ")");
        }
        this.front = front;
        this.aheadBytes = aheadBytes;
        this.memory = memory;
    }

    /** Starts the thread, or does nothing where the system cannot prefault (logged). */
    static JournalPrefaulter start(final WriteFront front, final long aheadBytes)
    {
        final Memory memory = LinuxMemory.load();
        if (null == memory)
        {
            LOG.info("journal prefault off: madvise(MADV_POPULATE_WRITE) needs Linux");
            return null;
        }
        final JournalPrefaulter prefaulter = new JournalPrefaulter(front, aheadBytes, memory);
        prefaulter.thread = new Thread(prefaulter, "ringmq-journal-prefault");
        prefaulter.thread.setDaemon(true);
        prefaulter.thread.start();
        return prefaulter;
    }

    public void run()
    {
        int unchanged = 0;
        long lastPosition = -1;
        while (running)
        {
            final long position = front.position();
            if (position != lastPosition)
            {
                lastPosition = position;
                unchanged = 0;
                if (!prefault())
                {
                    return;
                }
            }
            else if (unchanged < IDLE_AFTER_CHECKS)
            {
                unchanged++;
            }
            LockSupport.parkNanos(unchanged < IDLE_AFTER_CHECKS ? BUSY_PARK_NS : IDLE_PARK_NS);
        }
    }

    /** Stops the thread and waits for it. */
    void stop()
    {
        running = false;
        final Thread thread = this.thread;
        if (null != thread)
        {
            LockSupport.unpark(thread);
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One pass: prefaults what is mapped of the next {@code aheadBytes} after the appender, once a quarter of what was
     * prefaulted has been written into. False where the system does not have the call (the thread then ends); any
     * other failure leaves the rest of the stretch to a later pass.
     */
    boolean prefault()
    {
        final File current = front.file();
        if (null == current)
        {
            return true;
        }
        if (!current.equals(file))
        {
            file = current;
            path = canonicalPath(current);
            mappings = List.of();
            mappingsReadAt = -1;
            prefaultedTo = 0;
        }
        final long position = front.position();
        final long target = position + aheadBytes;
        if (target - prefaultedTo < aheadBytes / 4)
        {
            return true;
        }
        final long from = Math.max(position, prefaultedTo) & ~(PAGE - 1);
        if (!covered(from) && mappingsReadAt != position)
        {
            mappingsReadAt = position; // Chronicle maps a chunk as its appender reaches it: look again once it moved
            mappings = readMappings();
        }
        long reached = from;
        for (final Mapping mapping : mappings) // in file order
        {
            final long start = Math.max(reached, mapping.fileOffset());
            final long end = Math.min(target, mapping.fileEnd());
            if (start > reached)
            {
                break; // a part not mapped yet: what lies after it waits for a later pass
            }
            if (start >= end)
            {
                continue;
            }
            final int error = memory.populateWrite(mapping.address() + (start - mapping.fileOffset()), end - start);
            if (EINVAL == error || ENOSYS == error)
            {
                LOG.info("journal prefault off: madvise(MADV_POPULATE_WRITE) is not supported here (errno {}; " +
                    "needs Linux 5.14)", error);
                return false;
            }
            if (0 != error)
            {
                break; // e.g. EFAULT past the file's end, ENOMEM for a range unmapped meanwhile: try again later
            }
            reached = Math.max(reached, end);
        }
        prefaultedTo = Math.max(prefaultedTo, reached);
        return true;
    }

    private boolean covered(final long fileOffset)
    {
        for (final Mapping mapping : mappings)
        {
            if (fileOffset >= mapping.fileOffset() && fileOffset < mapping.fileEnd())
            {
                return true;
            }
        }
        return false;
    }

    private List<Mapping> readMappings()
    {
        try
        {
            return memory.mappings(path);
        }
        catch (final IOException ex)
        {
            return List.of();
        }
    }

    private static String canonicalPath(final File file)
    {
        try
        {
            return file.getCanonicalPath();
        }
        catch (final IOException ex)
        {
            return file.getAbsolutePath();
        }
    }

    /** The real calls: {@code /proc/self/maps} and libc's {@code madvise} through JNA. */
    static final class LinuxMemory implements Memory
    {
        private final Function madvise;

        private LinuxMemory(final Function madvise)
        {
            this.madvise = madvise;
        }

        static Memory load()
        {
            if (!Platform.isLinux())
            {
                return null;
            }
            try
            {
                return new LinuxMemory(NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("madvise"));
            }
            catch (final UnsatisfiedLinkError ex)
            {
                return null;
            }
        }

        public List<Mapping> mappings(final String path) throws IOException
        {
            final List<Mapping> found = new ArrayList<>();
            for (final String line : Files.readAllLines(Path.of("/proc/self/maps")))
            {
                if (!line.endsWith(path))
                {
                    continue;
                }
                // start-end perms offset dev inode path
                final String[] fields = line.split("\\s+", 6);
                final int dash = fields[0].indexOf('-');
                final long start = Long.parseUnsignedLong(fields[0].substring(0, dash), 16);
                final long end = Long.parseUnsignedLong(fields[0].substring(dash + 1), 16);
                if (fields[1].startsWith("rw") && fields.length == 6 && fields[5].equals(path))
                {
                    found.add(new Mapping(start, Long.parseUnsignedLong(fields[2], 16), end - start));
                }
            }
            found.sort(Comparator.comparingLong(Mapping::fileOffset));
            return found;
        }

        public int populateWrite(final long address, final long length)
        {
            final int result = madvise.invokeInt(new Object[]{new Pointer(address), length, MADV_POPULATE_WRITE});
            return 0 == result ? 0 : Native.getLastError();
        }
    }
}
