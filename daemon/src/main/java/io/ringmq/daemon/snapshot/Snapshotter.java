package io.ringmq.daemon.snapshot;

import io.ringmq.core.state.QueueStateMachine;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Takes a snapshot every N commands or M nanoseconds, whichever comes first (0 turns either off; both 0 turns
 * snapshots off, including the one at a graceful stop), but never before as many commands have been journaled since
 * the last one as that one held messages: a backlog that keeps growing is written at doubling intervals (amortized,
 * a snapshot costs at most about as much as the journal it covers) rather than in full every N commands, and since
 * loading a snapshot of R messages costs about what replaying R commands does, recovery stays bounded. The state is
 * serialized on the dispatch thread between two commands (the only moment it is consistent), a fixed chunk
 * ({@link #CHUNK_BYTES}) at a time, each chunk written into the snapshot's temporary file (the page cache) and
 * checksummed by the snapshot thread while the next is serialized: the memory a snapshot takes (three chunks) does not
 * grow with the state, and the ring waits for the serialization, and for the page cache only when it falls behind,
 * never for the disk. The file is then forced, renamed into place and the old ones pruned on the snapshot thread. If
 * the previous snapshot is still being finished, the next one waits for the next chance.
 * <p>
 * After each snapshot written, the log sequence of the oldest snapshot kept goes to a retention listener (the
 * journal's retention): no recovery needs the journal records at or before it any more.
 * <p>
 * Snapshots fail safe: one that cannot be streamed or finished (a full or unwritable disk) is logged and counted
 * ({@link #failedSnapshots()}), its temporary file deleted, and the daemon goes on; the journal still holds every
 * command, so a failure costs replay time at the next start, not data. The next try waits for the next due time.
 */
public final class Snapshotter implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);
    /** What a snapshot takes in memory, however large the state: the chunk it streams through. */
    static final int CHUNK_BYTES = 1 << 20;
    /** How long a stop waits for a snapshot being written before it gives up on its own final one. */
    private static final long WRITER_WAIT_MINUTES = 5;

    private final SnapshotStore store;
    private final long everyCommands;
    private final long intervalNs;
    private final EpochNanoClock clock;
    private final LongConsumer retentionPoint;
    /**
     * The oldest journal record a payload held at the last capture may be read back from (dispatch thread writes it
     * before handing the snapshot to the writer thread, which reads it after): retention keeps it.
     */
    private long payloadRecordsFrom = Long.MAX_VALUE;
    /** Direct, so a file write takes it without the JDK's copy into a temporary direct buffer. */
    private final UnsafeBuffer chunk;
    /** Where chunks wait while the snapshot thread writes them; reused, as snapshots never overlap. */
    private final ByteBuffer[] inFlight;
    private final ExecutorService writer = Executors.newSingleThreadExecutor((runnable) ->
    {
        final Thread thread = new Thread(runnable, "ringmq-snapshot");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicLong lastWrittenLogSequence = new AtomicLong();
    private final AtomicLong failedSnapshots = new AtomicLong();
    private final AtomicLong writtenSnapshots = new AtomicLong();
    private long lastCapturedLogSequence;
    /** Messages the state held at the last capture. */
    private long lastCapturedMessages;
    private long lastCaptureNs;

    /**
     * @param everyCommands commands between snapshots; 0 = not by count.
     * @param intervalNs    time between snapshots; 0 = not by time.
     */
    public Snapshotter(
        final SnapshotStore store,
        final long everyCommands,
        final long intervalNs,
        final EpochNanoClock clock,
        final long recoveredLogSequence)
    {
        this(store, everyCommands, intervalNs, clock, recoveredLogSequence, (logSequence) -> {});
    }

    /**
     * @param retentionPoint told, on the thread that wrote it, after each snapshot written: the log sequence of the
     *                       oldest snapshot now kept ({@link SnapshotStore#oldestLogSequence()}).
     */
    public Snapshotter(
        final SnapshotStore store,
        final long everyCommands,
        final long intervalNs,
        final EpochNanoClock clock,
        final long recoveredLogSequence,
        final LongConsumer retentionPoint)
    {
        this(store, everyCommands, intervalNs, clock, recoveredLogSequence, retentionPoint, CHUNK_BYTES);
    }

    /** @param chunkBytes the chunk a snapshot streams through (tests make a state many chunks long with a small one). */
    Snapshotter(
        final SnapshotStore store,
        final long everyCommands,
        final long intervalNs,
        final EpochNanoClock clock,
        final long recoveredLogSequence,
        final LongConsumer retentionPoint,
        final int chunkBytes)
    {
        this.chunk = new UnsafeBuffer(ByteBuffer.allocateDirect(chunkBytes));
        this.inFlight = SnapshotFileWriter.inFlightBuffers(chunkBytes);
        this.retentionPoint = retentionPoint;
        this.store = store;
        this.everyCommands = everyCommands;
        this.intervalNs = intervalNs;
        this.clock = clock;
        this.lastCapturedLogSequence = recoveredLogSequence;
        this.lastWrittenLogSequence.set(recoveredLogSequence);
        this.lastCaptureNs = clock.nanoTime();
    }

    /** Dispatch thread, after a ring batch: captures and hands off a snapshot if one is due and none is in progress. */
    public void afterBatch(final QueueStateMachine stateMachine)
    {
        final long logSequence = stateMachine.lastLogSequence();
        if (logSequence == lastCapturedLogSequence || writing.get())
        {
            return;
        }
        final long nowNs = clock.nanoTime();
        final long commandsSince = logSequence - lastCapturedLogSequence;
        final boolean byCount = everyCommands > 0 && commandsSince >= everyCommands;
        final boolean byTime = intervalNs > 0 && nowNs - lastCaptureNs >= intervalNs;
        // A snapshot holds every retained message: the next one waits until the journal since this one is as long (in
        // commands) as this one was (in messages), so a growing backlog is written at doubling intervals, not again
        // every N commands, and what a recovery replays stays within the size of the state it loads.
        if ((byCount || byTime) && commandsSince >= lastCapturedMessages)
        {
            lastCapturedMessages = stateMachine.retainedMessages();
            lastCapturedLogSequence = logSequence;
            lastCaptureNs = nowNs;
            final SnapshotFileWriter streamed = streamOrNull(stateMachine, logSequence, nowNs);
            if (null != streamed)
            {
                writing.set(true);
                writer.execute(() -> finish(streamed));
            }
        }
    }

    /**
     * Writes a snapshot now, on the caller's thread (graceful stop: the ring has drained), unless snapshots are off
     * (both intervals 0).
     */
    public void snapshotNow(final QueueStateMachine stateMachine)
    {
        if (0 == everyCommands && 0 == intervalNs)
        {
            return;
        }
        if (!awaitWriter())
        {
            // Two snapshots in flight at once could finish out of order. The journal has every command.
            LOG.warn("the snapshot writer is still busy after {} min: no snapshot at this stop; the next start " +
                "replays the journal after log sequence {}", WRITER_WAIT_MINUTES, lastWrittenLogSequence.get());
            return;
        }
        final long logSequence = stateMachine.lastLogSequence();
        if (logSequence == lastWrittenLogSequence.get())
        {
            return; // nothing new since the last one
        }
        final SnapshotFileWriter streamed = streamOrNull(stateMachine, logSequence, clock.nanoTime());
        if (null != streamed)
        {
            writing.set(true);
            finish(streamed);
        }
        lastCapturedLogSequence = logSequence;
    }

    /** Snapshots that could not be captured or written since start; thread-safe. */
    public long failedSnapshots()
    {
        return failedSnapshots.get();
    }

    /** Snapshots written (durable and in place) since start; thread-safe. */
    public long writtenSnapshots()
    {
        return writtenSnapshots.get();
    }

    /** Log sequence of the newest snapshot on disk (or the one recovery started from). */
    public long lastWrittenLogSequence()
    {
        return lastWrittenLogSequence.get();
    }

    public void close()
    {
        awaitWriter();
        writer.shutdown();
    }

    /**
     * Streams the state, serialized on the caller's thread (its owner: the ring waits meanwhile), chunk by chunk into
     * the snapshot's temporary file, written by the snapshot thread: no copy of the state in memory. The disk is forced
     * later, by {@link #finish}.
     *
     * @return the snapshot streamed, or null (logged and counted, the temporary file deleted) if that failed.
     */
    private SnapshotFileWriter streamOrNull(
        final QueueStateMachine stateMachine, final long logSequence, final long nowNs)
    {
        final long startNs = System.nanoTime();
        SnapshotFileWriter file = null;
        try
        {
            file = store.begin(logSequence, nowNs, writer, inFlight);
            stateMachine.writeSnapshot(chunk, file);
            payloadRecordsFrom = stateMachine.oldestPayloadLogSequence();
            file.streamNs(System.nanoTime() - startNs);
            return file;
        }
        catch (final RuntimeException | OutOfMemoryError ex)
        {
            if (null != file)
            {
                file.abandon();
            }
            failed(logSequence, "could not be streamed to its file", ex);
            return null;
        }
    }

    /** Makes a streamed snapshot durable and puts it in place; on the writer thread, or the caller's at a stop. */
    private void finish(final SnapshotFileWriter streamed)
    {
        final long logSequence = streamed.logSequence();
        try
        {
            final long startNs = System.nanoTime();
            store.finish(streamed);
            lastWrittenLogSequence.set(logSequence);
            LOG.info("snapshot at log sequence {}: {} bytes, streamed to the file in {} ms (the ring waited), " +
                "forced to disk in {} ms", logSequence, streamed.bodyLength(),
                TimeUnit.NANOSECONDS.toMillis(streamed.streamNs()),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
            writtenSnapshots.incrementAndGet();
            retentionPoint.accept(retentionPoint(store.oldestLogSequence(), payloadRecordsFrom));
        }
        catch (final RuntimeException | OutOfMemoryError ex)
        {
            streamed.abandon();
            failed(logSequence, "could not be written", ex);
        }
        finally
        {
            writing.set(false);
        }
    }

    /**
     * What journal retention may delete up to: what the oldest snapshot kept covers, but never the record of a payload
     * held now (kept messages' payloads are read back from the journal) or after it.
     */
    public static long retentionPoint(final long oldestSnapshotLogSequence, final long oldestPayloadLogSequence)
    {
        return Math.min(oldestSnapshotLogSequence, oldestPayloadLogSequence - 1);
    }

    private void failed(final long logSequence, final String what, final Throwable ex)
    {
        // Recovery still has the journal; a failed snapshot costs replay time, not data. Say it loudly.
        LOG.error("snapshot at log sequence {} {} ({} failed since start): {}; the daemon goes on, and the next start " +
            "replays more of the journal", logSequence, what, failedSnapshots.incrementAndGet(), ex.toString(), ex);
    }

    /** @return true once no write is in progress; false if one still is after {@link #WRITER_WAIT_MINUTES}. */
    private boolean awaitWriter()
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MINUTES.toNanos(WRITER_WAIT_MINUTES);
        while (writing.get() && System.nanoTime() < deadlineNs)
        {
            Thread.onSpinWait();
            Thread.yield();
        }
        return !writing.get();
    }
}
