package io.ringmq.daemon.replication;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import io.ringmq.config.ReplicationAck;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.journal.BatchCommit;
import io.ringmq.daemon.pipeline.JournalStages;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.FsyncPolicy;
import io.ringmq.journal.JournalHandler;
import io.ringmq.journal.JournalRetention;
import io.ringmq.transport.replication.CatchUpAdapter;
import io.ringmq.transport.replication.CatchUpListener;
import io.ringmq.transport.replication.CatchUpRequester;
import io.ringmq.transport.replication.ReplicatedCommandSink;
import io.ringmq.transport.replication.ReplicationAdapter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The standby's ack per mode while its own journal sync is slow (an msync of seconds on a loaded disk, as the perf rows
 * met): {@code journaled} acks what is appended to its journal without waiting for the sync, {@code synced} only once
 * the sync returned. Before, {@code journaled} waited for the standby's fsync too, and under load its acks stopped
 * thousands of log sequences behind what was shipped while the standby's journal thread sat in msync.
 */
class StandbyJournaledAckTest
{
    private static final long RECOVERED = 10;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path dir;

    @Test
    void journaledAcksWhatIsAppendedWhileTheStandbysSyncIsStillRunningAndSyncedWaitsForIt() throws Exception
    {
        final CountDownLatch syncReleased = new CountDownLatch(1);
        final BatchCommit slowSync = (journal, sequence) -> awaitQuietly(syncReleased);
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "FAST_HOURLY"))
        {
            final Disruptor<CommandEvent> disruptor = new Disruptor<>(
                CommandEvent::new, 16, DaemonThreadFactory.INSTANCE, ProducerType.SINGLE, new BlockingWaitStrategy());
            final JournalHandler journaling = new JournalHandler(journal, slowSync);
            disruptor.handleEventsWith(journaling);
            final LongSupplier synced = () -> disruptor.getSequenceValueFor(journaling);
            final StandbyFollower journaled = follower(disruptor,
                PairLinks.ackedSequence(ReplicationAck.JOURNALED, journaling::appendedSequence, synced));
            final StandbyFollower syncedFollower = follower(disruptor,
                PairLinks.ackedSequence(ReplicationAck.SYNCED, journaling::appendedSequence, synced));
            // On the ring before the handler starts: one batch of three, whose sync then blocks.
            for (long logSequence = RECOVERED + 1; logSequence <= RECOVERED + 3; logSequence++)
            {
                assertTrue(journaled.offer(command(logSequence), 0, CommandHeader.LENGTH + 8));
            }
            disruptor.start();
            try
            {
                awaitCovered(journaled, RECOVERED + 3, "journaled: appended, its sync still running");
                assertEquals(RECOVERED, syncedFollower.coveredLogSequence(), "synced: nothing until the sync returns");
                syncReleased.countDown();
                awaitCovered(syncedFollower, RECOVERED + 3, "synced: once the sync returned");
            }
            finally
            {
                syncReleased.countDown();
                disruptor.shutdown(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * With the sync as a ring stage of its own (the daemon's pipeline when the fsync policy syncs): while the first
     * batch's sync is blocked, later commands are still appended and acked {@code journaled}; {@code synced} follows
     * the sync stage.
     */
    @Test
    void laterCommandsAreAppendedAndAckedJournaledWhileTheSyncStageIsBlocked() throws Exception
    {
        final CountDownLatch syncReleased = new CountDownLatch(1);
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "FAST_HOURLY", FsyncPolicy.BATCH))
        {
            final JournalStages stages = JournalStages.of(journal, new JournalRetention(journal, false),
                FsyncPolicy.BATCH, 0, System::nanoTime, (j) ->
                {
                    awaitQuietly(syncReleased);
                    j.syncAppended();
                }, true);
            final Disruptor<CommandEvent> disruptor = new Disruptor<>(
                CommandEvent::new, 16, DaemonThreadFactory.INSTANCE, ProducerType.SINGLE, new BlockingWaitStrategy());
            final JournalHandler journaling = stages.journalHandler();
            stages.wire(disruptor, journaling, null, (event, sequence, endOfBatch) -> {}, UnaryOperator.identity());
            final LongSupplier synced = stages.syncedSequence(disruptor, journaling);
            final StandbyFollower journaled = follower(disruptor,
                PairLinks.ackedSequence(ReplicationAck.JOURNALED, journaling::appendedSequence, synced));
            final StandbyFollower syncedFollower = follower(disruptor,
                PairLinks.ackedSequence(ReplicationAck.SYNCED, journaling::appendedSequence, synced));
            disruptor.start();
            try
            {
                offer(journaled, RECOVERED + 1, RECOVERED + 3);
                awaitCovered(journaled, RECOVERED + 3, "journaled: the first batch, its sync blocked");
                offer(journaled, RECOVERED + 4, RECOVERED + 6);
                awaitCovered(journaled, RECOVERED + 6, "journaled: appended behind the blocked sync");
                assertEquals(RECOVERED, syncedFollower.coveredLogSequence(), "synced: nothing until a sync returns");
                syncReleased.countDown();
                awaitCovered(syncedFollower, RECOVERED + 6, "synced: once the syncs returned");
            }
            finally
            {
                syncReleased.countDown();
                disruptor.shutdown(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void offer(final StandbyFollower follower, final long fromLogSequence, final long toLogSequence)
    {
        for (long logSequence = fromLogSequence; logSequence <= toLogSequence; logSequence++)
        {
            assertTrue(follower.offer(command(logSequence), 0, CommandHeader.LENGTH + 8));
        }
    }

    @Test
    void receivedAndNoneCoverWhatIsOnTheRing()
    {
        assertNull(PairLinks.ackedSequence(ReplicationAck.RECEIVED, () -> 1, () -> 2));
        assertNull(PairLinks.ackedSequence(ReplicationAck.NONE, () -> 1, () -> 2));
    }

    private static void awaitCovered(final StandbyFollower follower, final long logSequence, final String what)
    {
        final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        while (follower.coveredLogSequence() < logSequence)
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, what + ": covered " + follower.coveredLogSequence());
            Thread.onSpinWait();
        }
        assertEquals(logSequence, follower.coveredLogSequence(), what);
    }

    /** The sync that does not return until released (bounded, so a failing test cannot hang the build). */
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

    private static UnsafeBuffer command(final long logSequence)
    {
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandHeader.LENGTH + 8]);
        CommandHeader.write(command, 0, logSequence, 1_000L * logSequence, 1);
        return command;
    }

    /** A follower on {@code disruptor}'s ring with no Aeron behind it: commands are offered to it directly. */
    private static StandbyFollower follower(final Disruptor<CommandEvent> disruptor, final LongSupplier acked)
    {
        return new StandbyFollower(new StandbyFollower.Links()
        {
            public ReplicationAdapter live(final StandbyFollower follower)
            {
                return new ReplicationAdapter(null, follower);
            }

            public CatchUpAdapter catchUp(final ReplicatedCommandSink sink, final CatchUpListener listener)
            {
                return new CatchUpAdapter(null, sink, listener);
            }

            public CatchUpRequester requester()
            {
                return new CatchUpRequester(null);
            }
        }, new SnapshotReceiver(null), disruptor.getRingBuffer(), () -> 0L, null, acked, RECOVERED,
            (installed) -> {});
    }
}
