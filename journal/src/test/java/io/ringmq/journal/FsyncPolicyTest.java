package io.ringmq.journal;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.ring.CommandEvent;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FsyncPolicyTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @TempDir
    Path dir;

    @Test
    void parsesTheConfigNamesCaseInsensitively()
    {
        assertSame(FsyncPolicy.NONE, FsyncPolicy.parse("none"));
        assertSame(FsyncPolicy.BATCH, FsyncPolicy.parse("BATCH"));
        assertSame(FsyncPolicy.INTERVAL, FsyncPolicy.parse(" Interval "));

        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FsyncPolicy.parse("ALWAYS"));
        assertTrue(e.getMessage().contains("ALWAYS") && e.getMessage().contains("NONE, BATCH, INTERVAL"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FsyncPolicy.parse(null));
    }

    @Test
    void eachPolicyPicksItsCommit()
    {
        final SystemNanoClock clock = new SystemNanoClock();
        assertSame(BatchCommit.NONE, FsyncPolicy.NONE.batchCommit(10 * MS, clock));
        assertInstanceOf(SyncEveryBatch.class, FsyncPolicy.BATCH.batchCommit(10 * MS, clock));
        final BatchCommit interval = FsyncPolicy.INTERVAL.batchCommit(10 * MS, clock);
        assertEquals(10 * MS, assertInstanceOf(SyncAtInterval.class, interval).intervalNs());
        assertThrows(IllegalArgumentException.class, () -> FsyncPolicy.INTERVAL.batchCommit(0, clock));

        assertFalse(FsyncPolicy.NONE.syncs());
        assertTrue(FsyncPolicy.BATCH.syncs());
        assertTrue(FsyncPolicy.INTERVAL.syncs());
        assertTrue(FsyncPolicy.INTERVAL.describe(10 * MS).contains("10 ms"), FsyncPolicy.INTERVAL.describe(10 * MS));
    }

    @Test
    void batchSyncsOncePerEndOfBatchAndAtShutdown()
    {
        final AtomicLong syncs = new AtomicLong();
        final SyncEveryBatch commit = new SyncEveryBatch((journal) -> syncs.incrementAndGet());
        for (int i = 0; i < 5; i++)
        {
            commit.onEndOfBatch(null, i);
        }
        assertEquals(5, syncs.get());
        commit.onShutdown(null);
        assertEquals(6, syncs.get());
    }

    @Test
    void intervalSyncsOnlyOnceTheIntervalHasPassed()
    {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000 * MS);
        final AtomicLong syncs = new AtomicLong();
        final SyncAtInterval commit = new SyncAtInterval(10 * MS, clock, (journal) -> syncs.incrementAndGet());

        commit.onEndOfBatch(null, 0);
        assertEquals(1, syncs.get(), "the first end of batch syncs");
        assertFalse(commit.pending());

        clock.update(1_005 * MS);
        commit.onEndOfBatch(null, 1);
        clock.update(1_010 * MS - 1);
        commit.onEndOfBatch(null, 2);
        assertEquals(1, syncs.get(), "within the interval");
        assertTrue(commit.pending());

        clock.update(1_010 * MS);
        commit.onEndOfBatch(null, 3);
        assertEquals(2, syncs.get(), "interval reached, measured from the last sync");
        assertFalse(commit.pending());

        clock.update(1_019 * MS);
        commit.onEndOfBatch(null, 4);
        assertEquals(2, syncs.get());
        clock.update(1_030 * MS);
        commit.onEndOfBatch(null, 5);
        assertEquals(3, syncs.get(), "a long gap syncs once, not once per missed interval");

        clock.update(1_031 * MS);
        commit.onEndOfBatch(null, 6);
        assertTrue(commit.pending());
        commit.onShutdown(null);
        assertEquals(4, syncs.get(), "shutdown syncs what the interval held back");
        assertFalse(commit.pending());
    }

    @Test
    void anUnsyncedBatchSaysWhenItsSyncIsDueSoAnIdleJournalStillSyncsInTime()
    {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(2_000 * MS);
        final AtomicLong syncs = new AtomicLong();
        final SyncAtInterval commit = new SyncAtInterval(10 * MS, clock, (journal) -> syncs.incrementAndGet());
        assertEquals(BatchCommit.NO_SYNC_DUE, commit.syncDueAtNs(), "nothing written, nothing due");

        commit.onEndOfBatch(null, 0);
        assertEquals(BatchCommit.NO_SYNC_DUE, commit.syncDueAtNs(), "synced at once");

        clock.update(2_003 * MS);
        commit.onEndOfBatch(null, 1);
        assertEquals(2_010 * MS, commit.syncDueAtNs(), "due one interval after the last sync");
        clock.update(2_007 * MS);
        commit.onEndOfBatch(null, 2);
        assertEquals(2_010 * MS, commit.syncDueAtNs(), "a later unsynced batch does not push the deadline out");

        // No more client commands: the wake-up (the ingress's tick) reaches the journal at the due time.
        clock.update(2_010 * MS);
        commit.onEndOfBatch(null, 3);
        assertEquals(2, syncs.get(), "the wake-up's end of batch syncs");
        assertEquals(BatchCommit.NO_SYNC_DUE, commit.syncDueAtNs());
        assertFalse(commit.pending());

        clock.update(2_011 * MS);
        commit.onEndOfBatch(null, 4);
        assertEquals(2_020 * MS, commit.syncDueAtNs());
        commit.onShutdown(null);
        assertEquals(BatchCommit.NO_SYNC_DUE, commit.syncDueAtNs(), "shutdown synced it");

        assertEquals(BatchCommit.NO_SYNC_DUE, new SyncEveryBatch((journal) -> {}).syncDueAtNs());
        assertEquals(BatchCommit.NO_SYNC_DUE, BatchCommit.NONE.syncDueAtNs());
    }

    @Test
    void journalHandlerSyncsThePendingIntervalAtShutdown()
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final AtomicLong syncs = new AtomicLong();
        final List<byte[]> expected = new ArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY", FsyncPolicy.INTERVAL))
        {
            final JournalHandler handler = new JournalHandler(journal, new SyncAtInterval(10 * MS, clock, (j) ->
            {
                j.sync();
                syncs.incrementAndGet();
            }));
            handler.onStart();
            final CommandEvent event = new CommandEvent();
            for (int i = 1; i <= 6; i++)
            {
                clock.update(i * MS);
                final byte[] command = Records.command(i, 30, i);
                expected.add(command);
                event.set(i, 1_700_000_000_000_000_000L + i, 7, 0, new UnsafeBuffer(command), CommandHeader.LENGTH, 30);
                handler.onEvent(event, i - 1, true);
            }
            assertEquals(1, syncs.get(), "only the first batch of the interval synced");

            handler.onShutdown();
            assertEquals(2, syncs.get(), "the rest synced at shutdown");

            final long[] replayed = new long[1];
            Records.assertSameRecords(expected, Records.replayAll(journal, replayed));
        }
    }

    @Test
    void noneSyncsNothingEvenAtShutdown()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY", FsyncPolicy.NONE))
        {
            assertFalse(journal.forcesOnSync());
            final JournalHandler handler = new JournalHandler(journal, FsyncPolicy.NONE.batchCommit(0, null));
            handler.onStart();
            final byte[] command = Records.command(1, 10, 1);
            final CommandEvent event = new CommandEvent();
            event.set(1, 1L, 7, 0, new UnsafeBuffer(command), CommandHeader.LENGTH, 10);
            handler.onEvent(event, 0, true);
            handler.onShutdown();
            assertEquals(1, journal.lastLogSequence());
        }
    }

    /**
     * The property receipts rely on: a stage after the journal (the dispatcher) never sees a sequence that the
     * BATCH policy has not yet synced, and one sync covers a whole batch.
     */
    @Test
    void noLaterStageSeesAnEventBeforeItsBatchWasSynced() throws Exception
    {
        final int events = 3_000;
        final AtomicLong syncs = new AtomicLong();
        final AtomicLong batchEnds = new AtomicLong();
        final AtomicLong lastSyncedSequence = new AtomicLong(-1);
        final AtomicLong seen = new AtomicLong();
        final AtomicLong seenBeforeSync = new AtomicLong();
        final long[] batchEndSequence = new long[1]; // journal handler thread only

        try (ChronicleJournal journal = ChronicleJournal.open(dir, "FAST_HOURLY", FsyncPolicy.BATCH))
        {
            assertTrue(journal.forcesOnSync());
            final SyncEveryBatch batch = new SyncEveryBatch((j) ->
            {
                j.sync();
                syncs.incrementAndGet();
                lastSyncedSequence.set(batchEndSequence[0]);
            });
            final BatchCommit counted = new BatchCommit()
            {
                public void onEndOfBatch(final ChronicleJournal j, final long sequence)
                {
                    batchEndSequence[0] = sequence;
                    batchEnds.incrementAndGet();
                    batch.onEndOfBatch(j, sequence);
                }

                public void onShutdown(final ChronicleJournal j)
                {
                    batch.onShutdown(j);
                }
            };

            final List<Thread> threads = new CopyOnWriteArrayList<>();
            final Disruptor<CommandEvent> disruptor = new Disruptor<>(CommandEvent::new, 1024, (runnable) ->
            {
                final Thread thread = DaemonThreadFactory.INSTANCE.newThread(runnable);
                threads.add(thread);
                return thread;
            }, ProducerType.SINGLE, new SleepingWaitStrategy());
            disruptor
                .handleEventsWith(new JournalHandler(journal, counted))
                .then((event, sequence, endOfBatch) ->
                {
                    seen.incrementAndGet();
                    if (sequence > lastSyncedSequence.get())
                    {
                        seenBeforeSync.incrementAndGet();
                    }
                });
            final RingBuffer<CommandEvent> ring = disruptor.start();

            final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
            for (int i = 1; i <= events; i++)
            {
                final long sequence = ring.next();
                try
                {
                    ring.get(sequence).set(i, 1_700_000_000_000_000_000L + i, 7, 0, frame, 0, 64);
                }
                finally
                {
                    ring.publish(sequence);
                }
                if (i % 500 == 0)
                {
                    LockSupport.parkNanos(5 * MS); // let the journal catch up: single-event batches too
                }
            }
            disruptor.shutdown(30, TimeUnit.SECONDS);
            for (final Thread thread : threads)
            {
                thread.join(); // halt() does not wait for onShutdown, which syncs once more
            }

            assertEquals(events, seen.get());
            assertEquals(0, seenBeforeSync.get(), "events passed on before their batch was synced");
            assertEquals(events - 1, lastSyncedSequence.get());
            assertEquals(batchEnds.get() + 1, syncs.get(), "one sync per end of batch, one at shutdown");
            assertTrue(batchEnds.get() <= events);
            System.out.printf("BATCH fsync: %d events in %d batches (%.1f events per sync)%n",
                events, batchEnds.get(), (double)events / batchEnds.get());
            assertEquals(events, journal.lastLogSequence());
        }
    }

    /** Smoke test of the real msync path: syncs do not fail, and what was synced reads back after reopening. */
    @Test
    void realSyncLeavesEveryRecordReadable()
    {
        final int count = 1_000;
        final List<byte[]> expected = new ArrayList<>(count);
        long syncNs = 0;
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY", FsyncPolicy.BATCH))
        {
            journal.sync(); // before the first append: nothing to do
            for (int i = 1; i <= count; i++)
            {
                final byte[] command = Records.command(i, 100, i);
                expected.add(command);
                journal.append(Records.direct(command), 0, command.length);
                final long start = System.nanoTime();
                journal.sync();
                syncNs += System.nanoTime() - start;
            }
        }
        System.out.printf("ChronicleJournal.sync() after each 124 B append: %.1f us on average over %d (in %s)%n",
            syncNs / 1e3 / count, count, dir);

        try (ChronicleJournal journal = ChronicleJournal.open(dir, "DAILY", FsyncPolicy.NONE))
        {
            final long[] replayed = new long[1];
            Records.assertSameRecords(expected, Records.replayAll(journal, replayed));
            assertEquals(count, journal.lastLogSequence());
        }
    }
}
