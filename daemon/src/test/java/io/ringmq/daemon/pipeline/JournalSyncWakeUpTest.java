package io.ringmq.daemon.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.aeron.Subscription;
import io.ringmq.codecs.NodeStartedDecoder;
import io.ringmq.codecs.TickDecoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.FrameValidator;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.daemon.testing.SteppedClock;
import io.ringmq.transport.server.ConnectAdmission;
import io.ringmq.journal.BatchCommit;
import io.ringmq.journal.FsyncPolicy;
import io.ringmq.journal.SyncAtInterval;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The INTERVAL fsync policy syncs an idle tail batch within its interval: the ingress journals a tick once the sync
 * is due, and only one per due time. Driven by hand: the duty cycle is called directly, the clocks are stepped.
 */
class JournalSyncWakeUpTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final CachedNanoClock syncClock = new CachedNanoClock();
    private final AtomicLong syncs = new AtomicLong();
    private final SyncAtInterval commit = new SyncAtInterval(10 * MS, syncClock, (journal) -> syncs.incrementAndGet());
    private final RingBuffer<CommandEvent> ring = RingBuffer.createSingleProducer(CommandEvent::new, 64);
    private final CommandRingProducer ingress = new CommandRingProducer(
        new Subscription[0],
        ring,
        new SteppedClock(),
        syncClock,
        1024,
        0,
        0,
        new TickDemand(),
        10 * MS,
        new RunDefaults(30_000, 5, java.util.List.of()),
        new JournalSyncWakeUp(commit, syncClock),
        StorageHeadroom.UNCHECKED,
        ConnectAdmission.unbounded(),
        (throwable) -> {});

    @Test
    void anIdleUnsyncedBatchGetsOneTickWhenItsSyncIsDue()
    {
        ingress.onStart();
        assertEquals(NodeStartedDecoder.TEMPLATE_ID, templateAt(0));

        // The journal syncs its first batch, then passes a second one unsynced, within the interval.
        syncClock.update(100 * MS);
        commit.onEndOfBatch(null, 0);
        syncClock.update(103 * MS);
        commit.onEndOfBatch(null, 1);
        assertEquals(1, syncs.get());

        syncClock.update(109 * MS);
        assertEquals(0, ingress.doWork(), "not due yet: nothing journaled");
        assertEquals(0, ring.getCursor());

        syncClock.update(110 * MS);
        assertEquals(1, ingress.doWork(), "due: one tick");
        assertEquals(1, ring.getCursor());
        assertEquals(TickDecoder.TEMPLATE_ID, templateAt(1));
        syncClock.update(115 * MS);
        assertEquals(0, ingress.doWork(), "the tick is on its way; no second one");

        commit.onEndOfBatch(null, 1); // the tick's end of batch
        assertEquals(2, syncs.get(), "the tick made the journal sync the idle batch");
        assertFalse(commit.pending());
        assertEquals(0, ingress.doWork());

        syncClock.update(118 * MS);
        commit.onEndOfBatch(null, 2); // another lone batch within the interval
        syncClock.update(125 * MS);
        assertEquals(1, ingress.doWork(), "a new due time gets its own tick");
        assertEquals(2, ring.getCursor());
    }

    @Test
    void policiesThatNeverWaitNeverTick()
    {
        final CommandRingProducer plain = TestIngress.over(ring, StorageHeadroom.UNCHECKED);
        plain.onStart();
        syncClock.update(1_000_000 * MS);
        assertEquals(0, plain.doWork());
        assertEquals(0, ring.getCursor());
    }

    /**
     * Issue 19's batch-commit suspect, cleared for fsync per batch (the policy of the stalled run): it syncs at every
     * end of batch, before the batch passes to the dispatcher, so no batch is ever left unsynced waiting for a tick or
     * a next command.
     */
    @Test
    void theBatchPolicySyncsEveryBatchBeforeItPassesAndLeavesNothingDue()
    {
        final BatchCommit everyBatch =
            FsyncPolicy.BATCH.batchCommit(10 * MS, syncClock, (journal) -> syncs.incrementAndGet());
        final JournalSyncWakeUp wakeUp = new JournalSyncWakeUp(everyBatch, syncClock);
        for (int batch = 1; batch <= 3; batch++)
        {
            syncClock.update(batch * MS); // lone batches well within any interval
            everyBatch.onEndOfBatch(null, batch);
            assertEquals(batch, syncs.get(), "synced at its own end of batch");
            assertEquals(BatchCommit.NO_SYNC_DUE, everyBatch.syncDueAtNs());
            syncClock.update(1_000_000 * MS);
            assertFalse(wakeUp.takeDue(), "nothing waits for a wake-up");
        }
    }

    private int templateAt(final long sequence)
    {
        return FrameValidator.templateId(ring.get(sequence).buffer(), CommandHeader.LENGTH);
    }
}
