package io.ringmq.journal;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;

/**
 * Deletes whole roll-cycle files of the journal once a snapshot covers every record in them, so the journal does not
 * grow without bound.
 * <p>
 * Whoever writes snapshots publishes, through {@link #coveredUpTo(long)}, the log sequence that the oldest snapshot it
 * keeps holds the state after: every record at or before it is no longer needed by any recovery. The writer thread
 * (the {@link JournalHandler}) calls {@link #onEndOfBatch(long)} after each batch; that costs one volatile read and a
 * look at the appender's last index (to learn, without reading anything back, the first log sequence of each new roll
 * cycle) unless the point has moved, and then deletes, on the thread that owns the appender, every cycle file whose
 * records all lie at or before the point. The cycles that exist when this is created are read once, then, on the
 * creating thread (at start-up, before appends), so a deletion on the writer thread reads no file. Chronicle caches the directory's list of cycles (first and last cycle, in its
 * {@code metadata.cq4t}); after deleting files it is told to list the directory again
 * ({@link SingleChronicleQueue#refreshDirectoryListing()}), as Chronicle asks of anyone who deletes its files.
 * <p>
 * Never deleted: the last cycle (the appender's), any cycle holding a record after the point, and anything while a
 * reader of this journal has a tailer open (the deletion then waits for a later batch). Other processes must not read
 * the journal directory while the daemon runs with retention on.
 */
public final class JournalRetention
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalRetention.class);

    private final ChronicleJournal journal;
    private final boolean enabled;
    private final AtomicLong coveredUpTo = new AtomicLong();
    private final AtomicLong deletedFiles = new AtomicLong();
    private final AtomicLong freedBytes = new AtomicLong();
    /** Writer thread after construction: the log sequence of the first record of each cycle, where known. */
    private final TreeMap<Integer, Long> firstLogSequenceOfCycle = new TreeMap<>();
    private int lastAppendedCycle = Integer.MIN_VALUE;
    private long appliedUpTo;
    private RollingResourcesCache cycleFiles;

    /**
     * Reads the first record of each roll cycle already in the journal (when enabled): call before appends start,
     * on any thread.
     *
     * @param enabled false: {@link #onEndOfBatch(long)} never deletes anything (the journal keeps every record).
     */
    public JournalRetention(final ChronicleJournal journal, final boolean enabled)
    {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.enabled = enabled;
        if (enabled)
        {
            learnExistingCycles();
            cycleFile(journal.queue(), journal.queue().cycle()); // loads the naming code here, not at the first deletion
        }
    }

    /**
     * Any thread: every record at or before {@code logSequence} is covered by a snapshot that recovery can use. The
     * point only moves forward.
     */
    public void coveredUpTo(final long logSequence)
    {
        coveredUpTo.accumulateAndGet(logSequence, Math::max);
    }

    /** The point last published with {@link #coveredUpTo(long)}. */
    public long coveredUpTo()
    {
        return coveredUpTo.get();
    }

    /**
     * Writer thread, at the end of a batch whose last record has {@code lastLogSequence}: deletes what the newest
     * published point allows, if it moved.
     */
    public void onEndOfBatch(final long lastLogSequence)
    {
        if (!enabled)
        {
            return;
        }
        final long lastIndex = journal.lastIndexAppended();
        if (lastIndex >= 0)
        {
            final RollCycle rollCycle = journal.queue().rollCycle();
            final int cycle = rollCycle.toCycle(lastIndex);
            if (cycle != lastAppendedCycle)
            {
                // Records of one cycle have consecutive sequence numbers from 0, and log sequences from its first.
                lastAppendedCycle = cycle;
                firstLogSequenceOfCycle.putIfAbsent(cycle, lastLogSequence - rollCycle.toSequenceNumber(lastIndex));
            }
        }
        final long point = coveredUpTo.get();
        if (point > appliedUpTo)
        {
            try
            {
                if (deleteCyclesCoveredBy(point))
                {
                    appliedUpTo = point;
                }
            }
            catch (final RuntimeException ex)
            {
                // Keeping a file costs disk, not data, and the writer must go on: say so and wait for the next point.
                appliedUpTo = point;
                LOG.error("journal retention up to log sequence {} failed; old cycle files are kept", point, ex);
            }
        }
    }

    /** Roll-cycle files deleted since start. */
    public long deletedFiles()
    {
        return deletedFiles.get();
    }

    /** Bytes those files held. */
    public long freedBytes()
    {
        return freedBytes.get();
    }

    public boolean enabled()
    {
        return enabled;
    }

    /**
     * Deletes every cycle file before the last cycle whose first record is at or before {@code logSequence + 1}: log
     * sequences follow one another, so every record before that one is at or before {@code logSequence}.
     *
     * @return false if a reader was busy and nothing was tried (try again later).
     */
    boolean deleteCyclesCoveredBy(final long logSequence)
    {
        if (nothingCoveredAsFarAsKnown(logSequence))
        {
            return true; // the usual case: no file system call on the journal thread
        }
        final Lock exclusive = journal.readers().writeLock();
        if (!exclusive.tryLock())
        {
            return false;
        }
        try
        {
            final long startNs = System.nanoTime();
            final SingleChronicleQueue queue = journal.queue();
            queue.refreshDirectoryListing();
            final int firstCycle = queue.firstCycle();
            final int lastCycle = queue.lastCycle();
            if (firstCycle < 0 || firstCycle >= lastCycle)
            {
                return true;
            }
            final NavigableSet<Long> cycles = queue.listCyclesBetween(firstCycle, lastCycle);
            final int keepFrom = firstCycleToKeep(queue, cycles, logSequence);
            int deleted = 0;
            for (final Long cycle : cycles.headSet((long)keepFrom, false))
            {
                deleted += delete(queue, cycle.intValue(), logSequence, keepFrom);
            }
            if (deleted > 0)
            {
                queue.refreshDirectoryListing();
                LOG.info("journal retention: {} file(s) deleted up to log sequence {} in {} us (on the journal thread)",
                    deleted, logSequence, (System.nanoTime() - startNs) / 1_000);
            }
            return true;
        }
        finally
        {
            exclusive.unlock();
        }
    }

    /**
     * The latest cycle (never the first) whose first record is at or before {@code logSequence + 1}; every cycle
     * before it is covered. The first cycle when none qualifies. Cycles without a record are passed over.
     */
    private int firstCycleToKeep(
        final SingleChronicleQueue queue, final NavigableSet<Long> cycles, final long logSequence)
    {
        int keepFrom = cycles.first().intValue();
        ExcerptTailer tailer = null;
        try
        {
            for (final Long cycle : cycles.tailSet(cycles.first(), false))
            {
                Long first = firstLogSequenceOfCycle.get(cycle.intValue());
                if (null == first)
                {
                    // Not seen roll in (several rolls within one batch): read it, once.
                    tailer = null == tailer ? queue.createTailer() : tailer;
                    first = firstLogSequence(queue, tailer, cycle.intValue());
                }
                if (first > logSequence + 1)
                {
                    break;
                }
                if (first > 0)
                {
                    keepFrom = cycle.intValue();
                }
            }
        }
        finally
        {
            if (null != tailer)
            {
                tailer.close();
            }
        }
        return keepFrom;
    }

    /**
     * True when the cycles known here show that no cycle but the first can be deleted: the second one known starts
     * after {@code logSequence + 1}. A cycle this has not seen (several rolls within one batch) is found by the next
     * full look once the point passes the second known one.
     */
    private boolean nothingCoveredAsFarAsKnown(final long logSequence)
    {
        if (firstLogSequenceOfCycle.size() < 2)
        {
            return firstLogSequenceOfCycle.size() == 1;
        }
        final Integer second = firstLogSequenceOfCycle.higherKey(firstLogSequenceOfCycle.firstKey());
        return firstLogSequenceOfCycle.get(second) > logSequence + 1;
    }

    private void learnExistingCycles()
    {
        final Lock shared = journal.readers().readLock();
        shared.lock();
        try (ExcerptTailer tailer = journal.queue().createTailer())
        {
            final SingleChronicleQueue queue = journal.queue();
            queue.refreshDirectoryListing();
            final int firstCycle = queue.firstCycle();
            final int lastCycle = queue.lastCycle();
            if (firstCycle < 0 || firstCycle > lastCycle || queue.lastIndex() < 0)
            {
                return; // empty: Chronicle reports no sensible range
            }
            for (final Long cycle : queue.listCyclesBetween(firstCycle, lastCycle))
            {
                firstLogSequence(queue, tailer, cycle.intValue());
            }
        }
        finally
        {
            shared.unlock();
        }
    }

    /** Reads the first record of {@code cycle} and remembers its log sequence if it has one; -1 if none. */
    private long firstLogSequence(final SingleChronicleQueue queue, final ExcerptTailer tailer, final int cycle)
    {
        final long first = ChronicleJournal.logSequenceAt(tailer, new RecordReader(), queue.rollCycle().toIndex(cycle, 0));
        if (first > 0)
        {
            firstLogSequenceOfCycle.put(cycle, first);
        }
        return first;
    }

    private int delete(final SingleChronicleQueue queue, final int cycle, final long logSequence, final int keepFrom)
    {
        final File file = cycleFile(queue, cycle);
        try
        {
            final long bytes = Files.size(file.toPath());
            if (!Files.deleteIfExists(file.toPath()))
            {
                return 0;
            }
            deletedFiles.incrementAndGet();
            freedBytes.addAndGet(bytes);
            LOG.info("journal retention: deleted {} (cycle {}, every record at or before log sequence {}, which a " +
                "snapshot holds; the journal now starts in cycle {}), {} bytes (file size) freed", file, cycle, logSequence,
                keepFrom, bytes);
            return 1;
        }
        catch (final IOException ex)
        {
            LOG.error("journal retention cannot delete {} (cycle {}); it is kept", file, cycle, ex);
            return 0;
        }
    }

    /** The file Chronicle keeps {@code cycle} in, named as the queue names it (the roll cycle's format, UTC). */
    private File cycleFile(final SingleChronicleQueue queue, final int cycle)
    {
        if (null == cycleFiles)
        {
            final File directory = queue.file();
            final String suffix = SingleChronicleQueue.SUFFIX;
            cycleFiles = new RollingResourcesCache(queue.rollCycle(), queue.epoch(),
                (name) -> new File(directory, name + suffix),
                (file) -> file.getName().substring(0, file.getName().length() - suffix.length()));
        }
        return cycleFiles.resourceFor(cycle).path;
    }
}
