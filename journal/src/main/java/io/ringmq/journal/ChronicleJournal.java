package io.ringmq.journal;

import io.ringmq.core.protocol.CommandHeader;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.PointerBytesStore;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.posix.PosixAPI;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The journal of every command the broker accepted, in ring order, on a Chronicle Queue: one Chronicle document per
 * command. Chronicle's document header already carries the length; the document holds a checksum, then the
 * command's bytes verbatim (a {@link CommandHeader} then the client's SBE frame), so a replay hands the state machine
 * exactly the bytes it saw live:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |        Chronicle header: data length (ready, not metadata)    |
 *  +---------------------------------------------------------------+
 *  |        CRC-32C of the command bytes below (little-endian)     |
 *  +---------------------------------------------------------------+
 *  |        CommandHeader (24 bytes: log sequence, timestamp,      |
 *  |        transport session)                                     ...
 *  +---------------------------------------------------------------+
 *  |        client frame (SBE)                                     ...
 *  +---------------------------------------------------------------+
 * </pre>
 * A replay checks every record (checksum, and that log sequences follow one another without a gap) and what lies
 * after the last one: a torn last record (an append cut short by a kill) is cleared with a warning; anything else
 * that is wrong stops the replay with a {@link JournalCorruptedException} naming the file and position, never a
 * silent skip ({@link JournalRepair} is the way out).
 * <p>
 * Threading:
 * <ul>
 *   <li>{@link #append}, {@link #sync} and the appender lifecycle belong to one writer thread (the journal handler
 *   thread). Chronicle appenders are bound to the thread that first uses them, so the appender is created lazily by
 *   the first append on that thread.</li>
 *   <li>{@link #replay} and {@link #lastLogSequence} each use a tailer of their own, created and closed within the
 *   call on the caller's thread. They are meant for recovery, before appends start; run while another thread
 *   appends, they see some prefix of the journal, never a torn record.</li>
 *   <li>{@link #syncAppended} on one other thread (the sync stage's), which forces what the writer published at its
 *   ends of batch ({@link #publishAppended}) while the writer goes on appending.</li>
 *   <li>{@link #close} after the writer and the syncer have stopped.</li>
 *   <li>{@link JournalRetention} deletes old roll-cycle files on the writer thread, and only while no reader of this
 *   journal has a tailer open: readers hold {@link #readers}' read lock, retention only tries its write lock.</li>
 * </ul>
 */
public final class ChronicleJournal implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleJournal.class);

    private final Path directory;
    private final SingleChronicleQueue queue;
    private final int maxRecordLength;
    private final boolean forcesOnSync;
    private JournalDamage clearedTornTail;
    /** Held (read side) by every method that reads through a tailer; retention deletes files only under the write side. */
    private final ReentrantReadWriteLock readers = new ReentrantReadWriteLock();

    // Writer-thread state: reused for every append so steady state allocates nothing.
    private final PointerBytesStore source = BytesStore.nativePointer();
    private final RecordChecksum checksum = new RecordChecksum();
    private ExcerptAppender appender;
    /** Lets the sync stage's thread force what the writer appended: see {@link #syncAppended()}. */
    private final AppendedFileSync appendedFileSync = new AppendedFileSync();
    /** Writer thread: the end of the last record appended, a byte offset in the appender's file. */
    private long appendedEnd;
    /** Published by the writer at each end of batch ({@link #publishAppended}), for the prefaulter. */
    private volatile File frontFile;
    private volatile long frontPosition;
    private JournalPrefaulter prefaulter;

    private ChronicleJournal(final Path directory, final SingleChronicleQueue queue, final boolean forcesOnSync)
    {
        this.directory = directory;
        this.queue = queue;
        this.forcesOnSync = forcesOnSync;
        // Chronicle maps each chunk with an overlap into the next, so a record no longer than the overlap lies inside
        // one mapping wherever it starts and reads can hand out a plain address (see RecordReader). Longer records
        // were seen to append fine yet be unreadable that way. Half the overlap leaves room for the document header
        // and padding without depending on their exact size. The checksum comes out of that room.
        this.maxRecordLength = maxRecordBytes(queue) - RecordChecksum.LENGTH;
    }

    /**
     * Opens the journal in {@code directory}, creating the directory and the queue files if needed, so that
     * {@link #sync()} forces data to disk (as {@link FsyncPolicy#BATCH} and {@link FsyncPolicy#INTERVAL} need).
     *
     * @param rollCycle one of MINUTELY, HOURLY, DAILY, FAST_HOURLY, FAST_DAILY, LARGE_DAILY, TEST_SECONDLY
     *                  (case-insensitive).
     * @throws IllegalArgumentException for any other roll cycle name; the message names the allowed values.
     */
    public static ChronicleJournal open(final Path directory, final String rollCycle)
    {
        return open(directory, rollCycle, FsyncPolicy.BATCH);
    }

    /**
     * Opens the journal for the given fsync policy. Chronicle's {@code ExcerptAppender.sync()} msyncs with the
     * queue's {@link SyncMode}, and the default ({@code ASYNC}, i.e. MS_ASYNC) waits for nothing, so a policy that
     * syncs opens the queue with {@link SyncMode#SYNC}; the mode alone syncs nothing per append, the handler still
     * calls {@link #sync()} at its commit points. {@link FsyncPolicy#NONE} keeps Chronicle's default mode, so
     * nothing on the writer thread ever waits for the disk.
     *
     * @param rollCycle one of MINUTELY, HOURLY, DAILY, FAST_HOURLY, FAST_DAILY, LARGE_DAILY, TEST_SECONDLY
     *                  (case-insensitive).
     * @throws IllegalArgumentException for any other roll cycle name; the message names the allowed values.
     * @throws IllegalStateException    if the policy syncs but Chronicle has no native msync here (it would
     *                                  silently do nothing).
     */
    public static ChronicleJournal open(final Path directory, final String rollCycle, final FsyncPolicy fsync)
    {
        return open(directory, rollCycle, fsync, null);
    }

    /**
     * As {@link #open(Path, String, FsyncPolicy)}, with the clock that decides the roll cycle a record goes to; for
     * tests that cross roll boundaries without waiting. {@code null} keeps Chronicle's (the system clock).
     */
    public static ChronicleJournal open(
        final Path directory, final String rollCycle, final FsyncPolicy fsync, final TimeProvider rollClock)
    {
        Objects.requireNonNull(fsync, "fsync");
        return open(directory, JournalRollCycle.parse(rollCycle), rollClock, 0, fsync.syncs());
    }

    /**
     * For tests: a clock to cross roll boundaries without waiting, and a small block size to make records straddle
     * Chronicle's mapped chunks. {@code null} and 0 keep Chronicle's defaults. {@link #sync()} forces.
     */
    static ChronicleJournal open(
        final Path directory, final RollCycle rollCycle, final TimeProvider timeProvider, final long blockSize)
    {
        return open(directory, rollCycle, timeProvider, blockSize, true);
    }

    static ChronicleJournal open(
        final Path directory,
        final RollCycle rollCycle,
        final TimeProvider timeProvider,
        final long blockSize,
        final boolean forceOnSync)
    {
        Objects.requireNonNull(directory, "directory");
        if (forceOnSync)
        {
            requireNativeMsync();
        }
        QueueFileHeaders.require(directory);
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(directory).rollCycle(rollCycle);
        if (forceOnSync)
        {
            builder.syncMode(SyncMode.SYNC);
        }
        if (null != timeProvider)
        {
            builder.timeProvider(timeProvider);
        }
        if (blockSize > 0)
        {
            builder.blockSize(blockSize);
        }
        return new ChronicleJournal(directory, builder.build(), forceOnSync);
    }

    /** The longest document the journal writes: checksum and command. */
    private static int maxRecordBytes(final SingleChronicleQueue queue)
    {
        return (int)Math.min(Integer.MAX_VALUE, queue.overlapSize() / 2);
    }

    /**
     * Chronicle falls back to a no-op POSIX layer when its native one fails to load; its msync then returns success
     * without doing anything. A durable policy must not run on that.
     */
    private static void requireNativeMsync()
    {
        try
        {
            PosixAPI.posix().getpid();
        }
        catch (final RuntimeException | LinkageError ex)
        {
            throw new IllegalStateException(
                "journal fsync needs Chronicle's native POSIX access (msync), which is not available: " + ex, ex);
        }
    }

    /**
     * Appends one command: bytes {@code [offset, offset + length)} of {@code buffer}, which must start with a
     * {@link CommandHeader}. Writer thread only (see the class comment).
     * <p>
     * Copies once, from the buffer straight into the mapped queue file; Chronicle's own copy is used because it knows
     * where its mapped chunks end, so a record that straddles a chunk boundary is still written whole.
     *
     * @throws IllegalArgumentException if {@code length} is shorter than a command header or longer than
     *                                  {@link #maxRecordLength()}.
     */
    public void append(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < CommandHeader.LENGTH || length > maxRecordLength)
        {
            throw new IllegalArgumentException("journal record length " + length + " outside [" +
                CommandHeader.LENGTH + ", " + maxRecordLength + "]");
        }
        buffer.boundsCheck(offset, length);
        final int crc = checksum.compute(buffer, offset, length);

        final ExcerptAppender appender = openAppender();
        try (DocumentContext document = appender.writingDocument())
        {
            try
            {
                final Bytes<?> bytes = document.wire().bytes();
                bytes.writeInt(crc);
                copyInto(bytes, buffer, offset, length);
                appendedEnd = bytes.writePosition();
            }
            catch (final Throwable t)
            {
                // A half-copied command must never become a record: replay would feed it to the state machine.
                document.rollbackOnClose();
                throw t;
            }
        }
    }

    private void copyInto(final Bytes<?> target, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] array = buffer.byteArray();
        if (null != array)
        {
            target.write(array, (int)(buffer.addressOffset() - BufferUtil.ARRAY_BASE_OFFSET) + offset, length);
        }
        else
        {
            source.set(buffer.addressOffset() + offset, length);
            target.write(source, 0L, length);
        }
    }

    /**
     * Writer thread, at each end of batch, before the batch's ring sequence is published: tells
     * {@link #syncAppended()} which queue file the records appended so far are in. Allocation-free while the roll
     * cycle stays the same.
     */
    void publishAppended()
    {
        final ExcerptAppender appender = this.appender;
        if (null != appender)
        {
            final File file = appendedFileSync.published(appender);
            if (null != file)
            {
                if (file != frontFile)
                {
                    frontFile = file;
                }
                frontPosition = appendedEnd;
            }
        }
    }

    /**
     * Prefaults the pages of the appender's file up to {@code aheadBytes} past its last published batch, on a thread
     * of its own ({@link JournalPrefaulter}), until {@link #close()}. Call once, before appending, from a thread whose
     * CPU affinity the prefaulter may share (it inherits it). Does nothing where the system cannot (logged).
     */
    public void prefaultAhead(final long aheadBytes)
    {
        if (null != prefaulter)
        {
            throw new IllegalStateException("the journal prefaults already");
        }
        prefaulter = JournalPrefaulter.start(writeFront(), aheadBytes);
    }

    /** Where the appender was at its last published end of batch, safe to read from any thread. */
    JournalPrefaulter.WriteFront writeFront()
    {
        return new JournalPrefaulter.WriteFront()
        {
            public File file()
            {
                return frontFile;
            }

            public long position()
            {
                return frontPosition;
            }
        };
    }

    /**
     * Forces to disk, from a thread that is not the writer (one syncer thread), every record the writer had appended
     * when it last published its end of batch ({@link #publishAppended()}), while the writer goes on appending:
     * fdatasync of the queue files it wrote to (see {@link AppendedFileSync} for why not Chronicle's msync from this
     * thread). Does nothing before the first published batch. Unlike {@link #sync()}, a failure throws.
     *
     * @throws java.io.UncheckedIOException if the sync failed.
     */
    public void syncAppended()
    {
        appendedFileSync.sync();
    }

    /** For tests in this package, on the syncer thread. */
    AppendedFileSync appendedFileSync()
    {
        return appendedFileSync;
    }

    /** The syncer thread, when it stops: lets go of the file it syncs. */
    void closeSyncer()
    {
        appendedFileSync.closeChannel();
    }

    /**
     * Forces what has been appended so far to disk: msync(MS_SYNC) of the written part of the mapped queue file
     * since the last sync, returning once the kernel has written it. Writer thread only; does nothing before the
     * first append. On a journal opened with {@link FsyncPolicy#NONE} it only schedules write-back (MS_ASYNC).
     * <p>
     * Chronicle logs an msync failure rather than throwing it.
     */
    public void sync()
    {
        final ExcerptAppender appender = this.appender;
        if (null != appender)
        {
            appender.sync();
        }
    }

    /**
     * Replays every record from the start, in append order, on the caller's thread. See
     * {@link #replay(RecordHandler, ReplayProgress)}.
     */
    public long replay(final RecordHandler handler)
    {
        return replay(handler, ReplayProgress.silent());
    }

    /**
     * Replays every record from the start, in append order, on the caller's thread, checking each before handing it
     * on. Meant for recovery, before the first append.
     * <ul>
     *   <li>A torn last record (an append cut short: its bytes without a complete header, nothing after it) is
     *   cleared from the file, with a warning; {@link #clearedTornTail()} then describes it. It was never
     *   acknowledged: its batch had not ended.</li>
     *   <li>Any other damage throws {@link JournalCorruptedException} after handing on the good records before
     *   it.</li>
     * </ul>
     *
     * @param handler  called once per record with a buffer that wraps the mapped file and is valid only during the
     *                 call; copy what must outlive it.
     * @param progress told of each record, to report on long replays.
     * @return the number of records replayed.
     * @throws JournalCorruptedException naming the file, index and byte position of the damaged record.
     */
    public long replay(final RecordHandler handler, final ReplayProgress progress)
    {
        return replayAfter(0, handler, progress); // log sequences start at 1: every record
    }

    /**
     * After a scan: a torn last record is cleared from its file, with a warning (it was never acknowledged: its batch
     * had not ended); any other damage throws. Records a full disk cut short after Chronicle completed them (see
     * {@link CutShortWrite}) are set aside in place instead, and what follows them cleared.
     *
     * @param scan the scan that found the damage.
     * @return the Chronicle index of the first record set aside (to be read again), or -1 if none was.
     */
    private long clearTornTailOrThrow(final JournalScan.Result result, final JournalScan scan)
    {
        final JournalDamage damage = result.damage();
        if (null == damage)
        {
            return -1;
        }
        if (!damage.isTornTail() || null == damage.file() || damage.position() < 0)
        {
            throw new JournalCorruptedException(damage);
        }
        final int maxRecordBytes = maxRecordBytes(queue);
        final JournalScan.CommandStamp before = scan.commandBefore(damage.index()); // none after a torn append
        final long tornAt = null == before ? damage.position() :
            JournalTail.setAside(damage.file(), damage.position(), maxRecordBytes, before);
        final long cleared = JournalTail.clear(damage.file(), tornAt, maxRecordBytes);
        clearedTornTail = damage;
        if (tornAt != damage.position())
        {
            LOG.warn("journal: a write cut short by a full disk at byte {} of {}, after log sequence {}: set aside " +
                "in place as the passage of time only (bytes {} to {}), {} bytes cleared after it: {}; it was never " +
                "acknowledged, and its command is lost", damage.position(), damage.file(), before.logSequence(),
                damage.position(), tornAt, cleared, damage.reason());
            return damage.index();
        }
        LOG.warn("journal: cleared a torn last record ({} bytes at byte {} of {}, after log sequence {}): {}; " +
            "it was never acknowledged", cleared, damage.position(), damage.file(), result.lastLogSequence(),
            damage.reason());
        return -1;
    }

    /**
     * Like {@link #replay(RecordHandler, ReplayProgress)}, but only the records after {@code logSequence} (what a
     * snapshot does not hold). It seeks straight to the first of them instead of reading every record before it, so
     * recovery from a recent snapshot takes time in proportion to the journal's tail, not its length; the records
     * it skips are not checked (the snapshot stands for them).
     *
     * @return the number of records handed on.
     */
    public long replayAfter(final long logSequence, final RecordHandler handler, final ReplayProgress progress)
    {
        Objects.requireNonNull(handler, "handler");
        readers.readLock().lock();
        try
        {
            return replayAfterLocked(logSequence, handler, progress);
        }
        finally
        {
            readers.readLock().unlock();
        }
    }

    private long replayAfterLocked(final long logSequence, final RecordHandler handler, final ReplayProgress progress)
    {
        final long[] handed = {0};
        final JournalScan scan = new JournalScan(queue, maxRecordBytes(queue));
        final JournalScan.Visitor handing = (index, buffer, offset, length) ->
        {
            if (CommandHeader.logSequence(buffer, offset) > logSequence)
            {
                handler.onRecord(buffer, offset, length);
                handed[0]++;
            }
        };
        final long setAsideFrom = clearTornTailOrThrow(scan.scan(indexAfterLocked(logSequence), handing, progress),
            scan);
        if (setAsideFrom >= 0)
        {
            // The records set aside are good ones now: handed on like the rest, so the state reaches the journal's end.
            final JournalScan.Result rest = scan.scan(setAsideFrom, handing, ReplayProgress.silent());
            if (null != rest.damage())
            {
                throw new JournalCorruptedException(rest.damage());
            }
        }
        return handed[0];
    }

    /**
     * The Chronicle index of the record with log sequence {@code logSequence + 1}, found from the first record of each
     * roll cycle (log sequences follow one another within a journal), or -1 to read from the start when it cannot
     * be pinned down (the caller then filters by log sequence).
     */
    long indexAfter(final long logSequence)
    {
        readers.readLock().lock();
        try
        {
            return indexAfterLocked(logSequence);
        }
        finally
        {
            readers.readLock().unlock();
        }
    }

    private long indexAfterLocked(final long logSequence)
    {
        if (logSequence <= 0 || queue.lastIndex() < 0)
        {
            return -1;
        }
        final RollCycle rollCycle = queue.rollCycle();
        final RecordReader reader = new RecordReader();
        try (ExcerptTailer tailer = queue.createTailer())
        {
            long best = -1;
            for (int cycle = queue.firstCycle(); cycle <= queue.lastCycle() && cycle >= 0;
                cycle = queue.nextCycle(cycle, TailerDirection.FORWARD))
            {
                final long firstIndex = rollCycle.toIndex(cycle, 0);
                final long first = logSequenceAt(tailer, reader, firstIndex);
                if (first < 0 || first > logSequence + 1)
                {
                    break;
                }
                best = firstIndex + (logSequence + 1 - first);
                if (queue.nextCycle(cycle, TailerDirection.FORWARD) <= cycle)
                {
                    break;
                }
            }
            if (best >= 0 && logSequenceAt(tailer, reader, best) == logSequence + 1)
            {
                return best;
            }
            return -1;
        }
        catch (final RuntimeException | java.text.ParseException ex)
        {
            return -1; // e.g. a damaged record on the way: the full scan will find and report it
        }
    }

    /** The log sequence of the record at Chronicle {@code index}, or -1 if there is none. Caller holds a reader lock. */
    static long logSequenceAt(final ExcerptTailer tailer, final RecordReader reader, final long index)
    {
        if (!tailer.moveToIndex(index))
        {
            return -1;
        }
        try (DocumentContext document = tailer.readingDocument())
        {
            if (!document.isPresent())
            {
                return -1;
            }
            return CommandHeader.logSequence(reader.wrap(document.wire().bytes()), RecordChecksum.LENGTH);
        }
    }

    /**
     * A reader of this journal from a log sequence on, for a thread other than the writer (a standby's catch-up). The
     * caller closes it, on the thread that uses it.
     */
    public JournalReader reader()
    {
        return new JournalReader(this, queue.createTailer());
    }

    /** Checks every record without changing anything; the visitor sees the good ones before any damage. */
    JournalScan.Result scan(final JournalScan.Visitor visitor)
    {
        readers.readLock().lock();
        try
        {
            return new JournalScan(queue, maxRecordBytes(queue)).scan(visitor, ReplayProgress.silent());
        }
        finally
        {
            readers.readLock().unlock();
        }
    }

    /** The torn last record the last replay cleared, or null if it found none. */
    public JournalDamage clearedTornTail()
    {
        return clearedTornTail;
    }

    /**
     * How many records a replay will go through, from the log sequences of the first and last record (they follow
     * one another); 0 when empty or when they cannot be read (a damaged end, which the replay will report).
     */
    public long estimateRecords()
    {
        try
        {
            final long last = lastLogSequence();
            if (0 == last)
            {
                return 0;
            }
            final long first = firstLogSequence();
            return first <= 0 ? 0 : Math.max(0, last - first + 1);
        }
        catch (final RuntimeException ex)
        {
            return 0;
        }
    }

    /**
     * The log sequence of the first record, 0 if the journal is empty, or -1 if the first record does not check out
     * (its length or checksum is wrong: a replay from the start reports it as damage). More than 1 once retention has
     * deleted old roll cycles: a snapshot must then cover every record before it.
     */
    public long firstLogSequence()
    {
        readers.readLock().lock();
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.toStart();
            try (DocumentContext document = tailer.readingDocument())
            {
                if (!document.isPresent())
                {
                    return 0;
                }
                final Bytes<?> bytes = document.wire().bytes();
                final long length = bytes.readRemaining();
                if (length < RecordChecksum.LENGTH + CommandHeader.LENGTH || length > maxRecordBytes(queue))
                {
                    return -1;
                }
                final DirectBuffer record = new RecordReader().wrap(bytes);
                final int stored = record.getInt(0, java.nio.ByteOrder.LITTLE_ENDIAN);
                final int actual = new RecordChecksum().compute(
                    record, RecordChecksum.LENGTH, record.capacity() - RecordChecksum.LENGTH);
                return stored == actual ? CommandHeader.logSequence(record, RecordChecksum.LENGTH) : -1;
            }
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
        finally
        {
            readers.readLock().unlock();
        }
    }

    /**
     * The log sequence (first field of the {@link CommandHeader}) of the last record, or 0 if the journal is empty.
     */
    public long lastLogSequence()
    {
        readers.readLock().lock();
        try
        {
            return lastLogSequenceLocked();
        }
        finally
        {
            readers.readLock().unlock();
        }
    }

    private long lastLogSequenceLocked()
    {
        final long lastIndex = queue.lastIndex();
        if (lastIndex < 0)
        {
            return 0;
        }

        try (ExcerptTailer tailer = queue.createTailer())
        {
            if (!tailer.moveToIndex(lastIndex))
            {
                throw new IllegalStateException("journal index " + lastIndex + " vanished in " + directory);
            }
            try (DocumentContext document = tailer.readingDocument())
            {
                if (!document.isPresent())
                {
                    throw new IllegalStateException("journal record " + lastIndex + " unreadable in " + directory);
                }
                return CommandHeader.logSequence(
                    new RecordReader().wrap(document.wire().bytes()), RecordChecksum.LENGTH);
            }
        }
    }

    /** True when {@link #sync()} waits for the disk (opened for a policy that syncs). */
    public boolean forcesOnSync()
    {
        return forcesOnSync;
    }

    public Path directory()
    {
        return directory;
    }

    /** Writer thread: the Chronicle index of the last record appended through this journal, or -1 if none yet. */
    long lastIndexAppended()
    {
        final ExcerptAppender appender = this.appender;
        return null == appender ? -1 : appender.lastIndexAppended();
    }

    /** For {@link JournalRetention}, on the writer thread. */
    SingleChronicleQueue queue()
    {
        return queue;
    }

    /** For {@link JournalRetention}: held while it deletes files, so that no reader has a tailer open on them. */
    ReentrantReadWriteLock readers()
    {
        return readers;
    }

    /**
     * The longest command {@link #append} accepts (8 MiB less the checksum with Chronicle's default 64 MiB block
     * size); a configured
     * maximum message size plus {@link CommandHeader#LENGTH} must fit.
     */
    public int maxRecordLength()
    {
        return maxRecordLength;
    }

    /**
     * Creates the appender on the calling thread if it has none yet; that thread becomes the writer. Lets the journal
     * handler bind the appender in {@code onStart} rather than on its first event.
     */
    ExcerptAppender openAppender()
    {
        ExcerptAppender appender = this.appender;
        if (null == appender)
        {
            appender = queue.createAppender();
            this.appender = appender;
        }
        return appender;
    }

    /**
     * Closes the appender on the writer thread, where Chronicle expects it to be closed. A later append opens a new
     * one on whichever thread calls it.
     */
    void closeAppender()
    {
        final ExcerptAppender appender = this.appender;
        if (null != appender)
        {
            this.appender = null;
            appender.close();
            appendedFileSync.appenderClosed();
        }
    }

    /**
     * Closes the appender (if the writer did not already) and the queue. Call after the writer has stopped.
     */
    @Override
    public void close()
    {
        if (null != prefaulter)
        {
            prefaulter.stop();
        }
        final ExcerptAppender appender = this.appender;
        if (null != appender)
        {
            this.appender = null;
            // The writer may have been another thread; it has stopped, so let this thread take the appender over.
            appender.singleThreadedCheckReset();
            appender.close();
        }
        appendedFileSync.close(); // the syncer has stopped too
        queue.close();
    }

    /** Receives each record during {@link #replay}. */
    @FunctionalInterface
    public interface RecordHandler
    {
        /**
         * @param buffer valid only during this call; it wraps the journal's mapped memory.
         */
        void onRecord(DirectBuffer buffer, int offset, int length);
    }
}
