package io.ringmq.daemon.snapshot;

import io.ringmq.core.state.QueueStateMachine;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * captured on the dispatch thread between two commands (the only moment it is consistent) and written, checksummed
 * and forced to disk on a thread of its own, so the ring waits for the copy, not for the disk. If the previous
 * snapshot is still being written, the next one waits for the next chance.
 * <p>
 * After each snapshot written, the log sequence of the oldest snapshot kept goes to a retention listener (the
 * journal's retention): no recovery needs the journal records at or before it any more.
 * <p>
 * Snapshots fail safe: one that cannot be captured (no memory for the copy of a large state) or written (a full or
 * unwritable disk) is logged and counted ({@link #failedSnapshots()}) and the daemon goes on; the journal still holds
 * every command, so a failure costs replay time at the next start, not data. The next try waits for the next due time.
 */
public final class Snapshotter implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);
    /** About the largest Java array: the capture buffer cannot be larger. */
    private static final int MAX_CAPTURE_BYTES = Integer.MAX_VALUE - 16;
    /** How long a stop waits for a snapshot being written before it gives up on its own final one. */
    private static final long WRITER_WAIT_MINUTES = 5;

    private final SnapshotStore store;
    private final long everyCommands;
    private final long intervalNs;
    private final EpochNanoClock clock;
    private final LongConsumer retentionPoint;
    private ExpandableArrayBuffer capture = new ExpandableArrayBuffer(64 * 1024);
    private final ExecutorService writer = Executors.newSingleThreadExecutor((runnable) ->
    {
        final Thread thread = new Thread(runnable, "ringmq-snapshot");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicLong lastWrittenLogSequence = new AtomicLong();
    private final AtomicLong failedSnapshots = new AtomicLong();
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
            final Captured captured = captureOrNull(stateMachine, logSequence);
            if (null != captured)
            {
                writing.set(true);
                writer.execute(() -> write(logSequence, nowNs, captured));
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
            // Capturing now would overwrite the buffer the writer is still reading. The journal has every command.
            LOG.warn("the snapshot writer is still busy after {} min: no snapshot at this stop; the next start " +
                "replays the journal after log sequence {}", WRITER_WAIT_MINUTES, lastWrittenLogSequence.get());
            return;
        }
        final long logSequence = stateMachine.lastLogSequence();
        if (logSequence == lastWrittenLogSequence.get())
        {
            return; // nothing new since the last one
        }
        final Captured captured = captureOrNull(stateMachine, logSequence);
        if (null != captured)
        {
            write(logSequence, clock.nanoTime(), captured);
        }
        lastCapturedLogSequence = logSequence;
    }

    /** Snapshots that could not be captured or written since start; thread-safe. */
    public long failedSnapshots()
    {
        return failedSnapshots.get();
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

    /** {@link #captureState}, or null (logged and counted) if there is no memory for it or it fails. */
    private Captured captureOrNull(final QueueStateMachine stateMachine, final long logSequence)
    {
        try
        {
            return captureState(stateMachine);
        }
        catch (final RuntimeException | OutOfMemoryError ex)
        {
            capture = new ExpandableArrayBuffer(64 * 1024); // let a buffer too large to fill go
            failed(logSequence, "could not be captured", ex);
            return null;
        }
    }

    /**
     * Serializes the state into the capture buffer. The writer reads that buffer in place, without a copy: a capture
     * only happens while no write is in progress, so the two never overlap (a copy of a large state costs the ring
     * as much again, and the garbage of one costs a full GC).
     *
     * @return the state as captured, and how long that held the caller.
     */
    private Captured captureState(final QueueStateMachine stateMachine)
    {
        final long startNs = System.nanoTime();
        // Sized once, with room to spare, rather than grown by doubling copies while the ring waits. A larger one is
        // a fresh buffer, not checkLimit's grow-by-copy: the old content is overwritten anyway, and copying it was 6%
        // of the dispatch thread while a backlog grew. Half as much again, so a growing backlog does not reallocate
        // at every capture.
        final long estimate = stateMachine.snapshotSizeEstimate();
        final long wanted = estimate + (estimate >> 2);
        if (wanted > capture.capacity())
        {
            capture = new ExpandableArrayBuffer((int)Math.min(wanted + (wanted >> 1), MAX_CAPTURE_BYTES));
        }
        final int length = stateMachine.writeSnapshot(capture, 0);
        return new Captured(capture.byteArray(), length, System.nanoTime() - startNs);
    }

    /**
     * @param state     the capture buffer's array; the state is its first {@code length} bytes.
     * @param captureNs how long the capture held the dispatch thread (and so the ring), for the log.
     */
    private record Captured(byte[] state, int length, long captureNs)
    {
    }

    private void write(final long logSequence, final long nowNs, final Captured captured)
    {
        try
        {
            final long startNs = System.nanoTime();
            store.write(logSequence, nowNs, captured.state(), captured.length());
            lastWrittenLogSequence.set(logSequence);
            LOG.info("snapshot at log sequence {}: {} bytes, captured in {} ms (the ring waited), written in {} ms",
                logSequence, captured.length(), TimeUnit.NANOSECONDS.toMillis(captured.captureNs()),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
            retentionPoint.accept(store.oldestLogSequence());
        }
        catch (final RuntimeException | OutOfMemoryError ex)
        {
            failed(logSequence, "could not be written", ex);
        }
        finally
        {
            writing.set(false);
        }
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
