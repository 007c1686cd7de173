package io.ringmq.journal;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import io.ringmq.core.ring.CommandEvent;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal's sync as a ring stage of its own ({@code journal -> sync -> dispatch}): no later stage sees a command
 * before its sync, the journal appends on while a sync is blocked, a stop syncs what is pending, and the syncer
 * follows the writer from one roll-cycle file to the next.
 */
class SyncHandlerTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(20);

    @TempDir
    Path dir;

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);

    @Test
    void noLaterStageSeesACommandBeforeItsSyncReturned() throws Exception
    {
        final int events = 3_000;
        final AtomicLong syncedUpTo = new AtomicLong(-1);
        final AtomicLong syncs = new AtomicLong();
        final AtomicLong seen = new AtomicLong();
        final AtomicLong seenBeforeSync = new AtomicLong();
        final AtomicReference<Thread> syncThread = new AtomicReference<>();
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "FAST_HOURLY", FsyncPolicy.BATCH))
        {
            final BatchCommit realSync = (j, sequence) ->
            {
                j.syncAppended();
                syncThread.set(Thread.currentThread());
                syncs.incrementAndGet();
                syncedUpTo.set(sequence);
            };
            final JournalHandler journaling = new JournalHandler(journal, BatchCommit.NONE);
            final Disruptor<CommandEvent> disruptor = pipeline(journaling, new SyncHandler(journal, realSync),
                (event, sequence, endOfBatch) ->
                {
                    seen.incrementAndGet();
                    if (sequence > syncedUpTo.get())
                    {
                        seenBeforeSync.incrementAndGet();
                    }
                });
            final RingBuffer<CommandEvent> ring = disruptor.start();
            for (int i = 1; i <= events; i++)
            {
                publish(ring, i);
                if (i % 500 == 0)
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // single-command batches too
                }
            }
            stop(disruptor);

            assertEquals(events, seen.get());
            assertEquals(0, seenBeforeSync.get(), "commands passed on before their sync returned");
            assertEquals(events - 1, syncedUpTo.get());
            assertTrue(syncs.get() >= 1 && syncs.get() <= events, "syncs " + syncs.get());
            assertTrue(threads.contains(syncThread.get()), "synced on a ring thread");
            assertEquals(events, journal.lastLogSequence());
            System.out.printf("sync stage, BATCH: %d commands in %d syncs%n", events, syncs.get());
        }
    }

    /**
     * The point of the stage: a slow msync holds up the receipts of what it covers, not the appending of what comes
     * next. Commands published while the first sync is blocked are appended (the standby acks them {@code journaled})
     * and the next sync covers them all at once.
     */
    @Test
    void theJournalAppendsOnWhileASyncIsBlockedAndTheNextSyncCoversWhatCameMeanwhile() throws Exception
    {
        final CountDownLatch firstSyncEntered = new CountDownLatch(1);
        final CountDownLatch firstSyncReleased = new CountDownLatch(1);
        final List<Long> syncedAt = new CopyOnWriteArrayList<>();
        final AtomicLong seen = new AtomicLong();
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "FAST_HOURLY", FsyncPolicy.BATCH))
        {
            final BatchCommit blockingFirst = new BatchCommit()
            {
                public void onEndOfBatch(final ChronicleJournal j, final long sequence)
                {
                    if (syncedAt.isEmpty())
                    {
                        firstSyncEntered.countDown();
                        awaitQuietly(firstSyncReleased);
                    }
                    j.syncAppended();
                    syncedAt.add(sequence);
                }

                public void onShutdown(final ChronicleJournal j)
                {
                    j.syncAppended();
                }
            };
            final JournalHandler journaling = new JournalHandler(journal, BatchCommit.NONE);
            final Disruptor<CommandEvent> disruptor = pipeline(journaling, new SyncHandler(journal, blockingFirst),
                (event, sequence, endOfBatch) -> seen.incrementAndGet());
            final RingBuffer<CommandEvent> ring = disruptor.start();
            try
            {
                publish(ring, 1);
                assertTrue(firstSyncEntered.await(20, TimeUnit.SECONDS), "the first sync started");
                for (int i = 2; i <= 10; i++)
                {
                    publish(ring, i);
                }
                awaitTrue(() -> 9 == disruptor.getSequenceValueFor(journaling), "appended while the sync is blocked");
                assertEquals(9, journaling.appendedSequence());
                assertEquals(10, journal.lastLogSequence());
                assertEquals(0, seen.get(), "no receipt before its sync");
                assertTrue(syncedAt.isEmpty());
            }
            finally
            {
                firstSyncReleased.countDown();
            }
            awaitTrue(() -> 10 == seen.get(), "every command passed on once synced");
            stop(disruptor);
            assertEquals(List.of(0L, 9L), syncedAt, "the second sync covered the nine appended meanwhile at once");
        }
    }

    /** A stop drains the ring, then the sync stage syncs what the INTERVAL policy left pending. */
    @Test
    void aStopSyncsWhatTheIntervalLeftPendingOnTheSyncThread() throws Exception
    {
        final List<Thread> syncedOn = new CopyOnWriteArrayList<>();
        final AtomicLong appendedBeforeLastSync = new AtomicLong(-1);
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "FAST_HOURLY", FsyncPolicy.INTERVAL))
        {
            final JournalHandler journaling = new JournalHandler(journal, BatchCommit.NONE);
            final SyncAtInterval interval = new SyncAtInterval(TimeUnit.HOURS.toNanos(1), new CachedNanoClock(),
                (j) ->
                {
                    j.syncAppended();
                    syncedOn.add(Thread.currentThread());
                    appendedBeforeLastSync.set(journaling.appendedSequence());
                });
            final Disruptor<CommandEvent> disruptor =
                pipeline(journaling, new SyncHandler(journal, interval), (event, sequence, endOfBatch) -> {});
            final RingBuffer<CommandEvent> ring = disruptor.start();
            publish(ring, 1);
            awaitTrue(() -> 1 == syncedOn.size(), "the first batch synced");
            publish(ring, 2);
            publish(ring, 3);
            awaitTrue(interval::pending, "a batch left unsynced within the interval");
            stop(disruptor);

            assertEquals(2, syncedOn.size(), "the first batch, then the stop");
            assertEquals(2, appendedBeforeLastSync.get(), "the stop's sync came after the last append");
            assertTrue(threads.contains(syncedOn.get(1)) && syncedOn.get(0) == syncedOn.get(1), "the sync thread");
            assertTrue(!interval.pending());
        }
    }

    /**
     * The writer publishes the file of each roll cycle it moves to; one sync on another thread forces each of them
     * (records of a cycle left since the last sync are covered too), the newest last, and what was written reads back.
     */
    @Test
    void theSyncerFollowsTheWriterAcrossRollCycles() throws Exception
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.HOURS.toNanos(1_000_000));
        final ExecutorService syncer = Executors.newSingleThreadExecutor();
        final List<byte[]> expected = new ArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.open(dir, LegacyRollCycles.MINUTELY, clock, 0, true))
        {
            final AppendedFileSync files = journal.appendedFileSync();
            syncer.submit(journal::syncAppended).get(10, TimeUnit.SECONDS); // nothing published yet: nothing to do
            assertEquals(0L, syncer.submit(files::forces).get());

            long logSequence = 1;
            for (int cycle = 0; cycle < 3; cycle++)
            {
                for (int i = 0; i < 5; i++)
                {
                    final byte[] command = Records.command(logSequence++, 40, cycle);
                    expected.add(command);
                    journal.append(Records.direct(command), 0, command.length);
                }
                journal.publishAppended(); // an end of batch in each cycle
                clock.advanceMillis(TimeUnit.MINUTES.toMillis(1));
            }
            syncer.submit(journal::syncAppended).get(10, TimeUnit.SECONDS);
            assertEquals(3L, syncer.submit(files::forces).get(), "each cycle's file forced once");
            assertEquals(cycleFiles().get(2).toFile().getCanonicalFile(),
                syncer.submit(files::syncing).get().getCanonicalFile(), "the newest cycle's file last");

            syncer.submit(journal::syncAppended).get(10, TimeUnit.SECONDS);
            assertEquals(4L, syncer.submit(files::forces).get(), "no roll since: the newest file alone");
            syncer.submit(journal::closeSyncer).get(10, TimeUnit.SECONDS);

            // A pipeline stops and another starts (a promotion): the new writer publishes its file again, and the new
            // syncer, which forgot the old one, starts from it.
            journal.closeAppender();
            final byte[] command = Records.command(logSequence, 40, 9);
            expected.add(command);
            journal.append(Records.direct(command), 0, command.length);
            syncer.submit(journal::syncAppended).get(10, TimeUnit.SECONDS);
            assertEquals(4L, syncer.submit(files::forces).get(), "nothing published since the syncer stopped");
            journal.publishAppended();
            syncer.submit(journal::syncAppended).get(10, TimeUnit.SECONDS);
            assertEquals(5L, syncer.submit(files::forces).get(), "the new writer's file");
            assertEquals(cycleFiles().get(3).toFile().getCanonicalFile(),
                syncer.submit(files::syncing).get().getCanonicalFile());
        }
        finally
        {
            syncer.shutdownNow();
        }
        try (ChronicleJournal reopened = ChronicleJournal.open(dir, LegacyRollCycles.MINUTELY, clock, 0))
        {
            Records.assertSameRecords(expected, Records.replayAll(reopened, new long[1]));
        }
    }

    private Disruptor<CommandEvent> pipeline(
        final JournalHandler journaling, final SyncHandler syncing, final EventHandler<CommandEvent> dispatch)
    {
        final Disruptor<CommandEvent> disruptor = new Disruptor<>(CommandEvent::new, 1024, (runnable) ->
        {
            final Thread thread = DaemonThreadFactory.INSTANCE.newThread(runnable);
            threads.add(thread);
            return thread;
        }, ProducerType.SINGLE, new SleepingWaitStrategy());
        disruptor.handleEventsWith(journaling).then(syncing).then(dispatch);
        return disruptor;
    }

    private void publish(final RingBuffer<CommandEvent> ring, final long logSequence)
    {
        final long sequence = ring.next();
        try
        {
            ring.get(sequence).set(logSequence, 1_700_000_000_000_000_000L + logSequence, 7, 0, frame, 0, 64);
        }
        finally
        {
            ring.publish(sequence);
        }
    }

    /** Drains and halts the ring, then waits for the handlers' onShutdown (halt does not). */
    private void stop(final Disruptor<CommandEvent> disruptor) throws Exception
    {
        disruptor.shutdown(30, TimeUnit.SECONDS);
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue(!thread.isAlive(), "ring thread stopped");
        }
    }

    private List<Path> cycleFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter((path) -> path.toString().endsWith(".cq4")).sorted().toList();
        }
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, "not within the deadline: " + what);
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
    }

    /** A sync that does not return until released (bounded, so a failing test cannot hang the build). */
    private static void awaitQuietly(final CountDownLatch released)
    {
        try
        {
            released.await(DEADLINE_NS, TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
