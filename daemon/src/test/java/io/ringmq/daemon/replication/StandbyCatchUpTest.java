package io.ringmq.daemon.replication;

import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.daemon.Daemon;
import io.ringmq.daemon.DaemonContext;
import io.ringmq.daemon.RollClocks;
import io.ringmq.daemon.replication.PairFixture.Pair;
import io.ringmq.daemon.replication.PairFixture.Receipts;
import io.ringmq.daemon.snapshot.SnapshotStore;
import io.ringmq.daemon.testing.TestDaemons;
import net.openhft.chronicle.core.time.SetTimeProvider;
import io.ringmq.transport.NodeStatus;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.ringmq.daemon.replication.PairFixture.newestSnapshot;
import static io.ringmq.daemon.replication.PairFixture.replay;
import static io.ringmq.daemon.replication.PairFixture.restore;
import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standby that is behind the primary (started late, restarted, or started after the primary's retention deleted
 * what it misses) asks for the range, catches up from the primary's journal (or its snapshot and the journal after
 * it), then follows the live stream: in the end it holds the primary's state at the same log sequence. The primary
 * runs with policy continue, so it receipts while the standby is away; it is back in sync once the standby caught up.
 */
class StandbyCatchUpTest
{
    private static final long TIMEOUT_MS = 60_000;

    @TempDir
    Path tempDir;

    @Test
    void aStandbyStartedLateCatchesUpFromTheJournalAndFollowsLive()
    {
        final Pair pair = new Pair(tempDir, "journaled", "continue", "200ms", measuredSettings());
        final Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary));
        Daemon standby = null;
        final String standbyStats;
        try (RingmqClient client = TestDaemons.connect(pair.primary))
        {
            // A measurement (see measuredSettings) looks at the standby's "caught up" line in the output.
            final int messages = Integer.getInteger("ringmq.test.catchup.messages", 5_000);
            final long publishStartNs = System.nanoTime();
            final Publisher publisher = publishWithAcks(client, messages);
            System.out.printf("catch-up: the primary took %,d publishes (and their acks) at %,.0f messages/s%n",
                messages, messages * 1e9 / (System.nanoTime() - publishStartNs));
            final long startNs = System.nanoTime();
            standby = Daemon.launch(new DaemonContext().settings(pair.standby));
            waitInSync(primary, client, publisher);
            final long elapsedNs = System.nanoTime() - startNs;
            System.out.printf("catch-up: in sync again %d ms after the standby's launch: %s%n",
                TimeUnit.NANOSECONDS.toMillis(elapsedNs), standby.statsLine().replaceAll(".*\\| replication ", ""));
            for (int i = 0; i < 100; i++)
            {
                publisher.publishAndWait("live " + i); // followed live, receipted with the standby's ack
            }
            assertTrue(primary.statsLine().contains("standby in sync"), primary.statsLine());
            standbyStats = standby.statsLine();
        }
        finally
        {
            closePrimaryFirst(primary, standby);
        }
        assertFalse(standbyStats.contains("(0 commands)"), "catch-up brought the commands: " + standbyStats);
        assertSameState(pair, true);
    }

    @Test
    void aStandbyRestartedMidStreamResumesWhereItStopped()
    {
        final Pair pair = new Pair(tempDir, "journaled", "continue", "200ms");
        final Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary));
        Daemon standby = null;
        try (RingmqClient client = TestDaemons.connect(pair.primary))
        {
            Publisher publisher = null;
            for (int run = 0; run < 2; run++)
            {
                standby = Daemon.launch(new DaemonContext().settings(pair.standby));
                publisher = publishWithAcks(client, 1_000);
                waitInSync(primary, client, publisher);
                standby.close();
                publishWithAcks(client, 1_000); // the standby is away: receipted by the primary alone
            }
            standby = Daemon.launch(new DaemonContext().settings(pair.standby));
            waitInSync(primary, client, publisher);
        }
        finally
        {
            closePrimaryFirst(primary, standby);
        }
        assertSameState(pair, true);
    }

    /**
     * Under hold, a receipt waits while the standby is away; a restarted standby never sees the held batch on the
     * live stream (it was shipped before it subscribed), so it is catch-up, asked for on connecting, that brings it
     * and releases the receipt.
     */
    @Test
    void underHoldAHeldReceiptIsReleasedOnceTheRestartedStandbyCaughtUp()
    {
        final Pair pair = new Pair(tempDir, "journaled", "hold", "200ms");
        Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby));
        final Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary));
        try (RingmqClient client = TestDaemons.connect(pair.primary))
        {
            publishWithAcks(client, 1_000);
            standby.close();
            final Receipts receipts = new Receipts();
            final Publisher publisher = client.publisher("orders", receipts);
            publisher.publish("while the standby is away");
            PairFixture.pollFor(client, 500);
            assertEquals(0, receipts.count, "held: the standby has not acked it");

            standby = Daemon.launch(new DaemonContext().settings(pair.standby));
            pollUntil(client, () -> receipts.count == 1, TIMEOUT_MS, "the held receipt, once caught up");
            assertTrue(primary.statsLine().contains("standby in sync, times out of sync 0"), primary.statsLine());
            publishWithAcks(client, 100); // and on, live
        }
        finally
        {
            closePrimaryFirst(primary, standby);
        }
        assertSameState(pair, true);
    }

    /**
     * The primary's retention deleted the journal files the standby misses: at start the standby fetches the
     * primary's snapshot, recovers from it, and catches up the journal after it.
     */
    @Test
    void aRangeDeletedByRetentionComesAsTheSnapshotThenTheJournalAfterIt()
    {
        final SetTimeProvider rollClock = new SetTimeProvider(TimeUnit.HOURS.toNanos(1_000_000));
        final Pair pair = new Pair(tempDir, "journaled", "continue", "200ms", retention());
        final Daemon primary = Daemon.launch(
            RollClocks.journalRollClock(new DaemonContext().settings(pair.primary), rollClock));
        Daemon standby = null;
        try (RingmqClient client = TestDaemons.connect(pair.primary))
        {
            final Publisher publisher = publishUntilRetentionDeletes(primary, client, rollClock);
            standby = Daemon.launch(new DaemonContext().settings(pair.standby));
            assertTrue(standby.recoveredSnapshotLogSequence() > 0, "recovered from the primary's snapshot");
            waitInSync(primary, client, publisher);
            publishWithAcks(client, 500); // followed live
            waitInSync(primary, client, publisher);
        }
        finally
        {
            closePrimaryFirst(primary, standby);
        }
        assertSameState(pair, false);
    }

    /**
     * A standby that learns only while running that the primary's journal no longer holds what it misses (it started
     * while the primary was down) loads the primary's snapshot in this process: its pipeline stops, its state comes from
     * the snapshot (a journal that ends before it is moved aside, as at a start: here it is empty), and it catches up
     * the rest and follows live, never restarted.
     */
    @Test
    void aRunningStandbyLoadsThePrimarysSnapshotWithoutARestart() throws Exception
    {
        final SetTimeProvider rollClock = new SetTimeProvider(TimeUnit.HOURS.toNanos(1_000_000));
        final Pair pair = new Pair(tempDir, "journaled", "continue", "200ms", retention());
        try (Daemon primary = Daemon.launch(
            RollClocks.journalRollClock(new DaemonContext().settings(pair.primary), rollClock));
             RingmqClient client = TestDaemons.connect(pair.primary))
        {
            publishUntilRetentionDeletes(primary, client, rollClock);
        }
        final Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby)); // no primary: its own state
        assertEquals(0, standby.recoveredSnapshotLogSequence(), "it started from its own (empty) state");
        final Daemon primary = Daemon.launch(
            RollClocks.journalRollClock(new DaemonContext().settings(pair.primary), rollClock));
        try (RingmqClient client = TestDaemons.connect(pair.primary))
        {
            final Publisher publisher = client.publisher("orders");
            publisher.publishAndWait("while the standby asks");
            waitInSync(primary, client, publisher);
            // Reachable only through the snapshot: the primary's journal no longer holds the first commands.
            pollUntil(client, () -> logSequence(standby) == logSequence(primary), TIMEOUT_MS,
                "the standby at the primary's log sequence: " + standby.statsLine());
            assertTrue(standby.isStandby());
            assertFalse(standby.statsLine().contains("is being loaded"), standby.statsLine());
            publishWithAcks(client, 500); // followed live
            waitInSync(primary, client, publisher);
        }
        finally
        {
            closePrimaryFirst(primary, standby);
        }
        assertSameState(pair, false);
    }

    private static long logSequence(final Daemon daemon)
    {
        try
        {
            final NodeStatus status = daemon.status();
            return null == status ? -1 : status.logSequence();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Both nodes: a file a minute, a snapshot every 1,000 commands, the two newest kept, files they cover deleted. */
    private static Map<String, String> retention()
    {
        return Map.of(
            "ringmq.journal.roll.cycle", "MINUTELY",
            "ringmq.journal.fsync", "NONE",
            "ringmq.snapshot.every.commands", "1000",
            "ringmq.snapshot.interval", "0",
            "ringmq.snapshot.keep", "2");
    }

    /** Three minutes' files of commands, then commands until retention has deleted two of them. */
    private static Publisher publishUntilRetentionDeletes(
        final Daemon primary, final RingmqClient client, final SetTimeProvider rollClock)
    {
        Publisher publisher = null;
        for (int cycle = 0; cycle < 3; cycle++)
        {
            publisher = publishWithAcks(client, 1_100);
            rollClock.advanceMillis(TimeUnit.MINUTES.toMillis(1));
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (primary.journalFilesDeleted() < 2 && System.nanoTime() - deadlineNs < 0)
        {
            publisher.publishAndWait("a batch end: retention acts on the snapshots written");
        }
        assertTrue(primary.journalFilesDeleted() >= 2, primary.statsLine());
        return publisher;
    }

    /** A primary stopping after its standby would wait for acks that cannot come, and stop unreceipted. */
    private static void closePrimaryFirst(final Daemon primary, final Daemon standby)
    {
        primary.close();
        CloseHelper.quietClose(standby);
    }

    /**
     * For a measurement of the catch-up rate, through surefire's {@code testJvmExtra}:
     * {@code -Dringmq.test.catchup.messages=500000} (default 5,000: CI takes seconds) and
     * {@code -Dringmq.test.catchup.settings=ringmq.journal.fsync=NONE,ringmq.ring.size=16384} for both nodes.
     */
    private static Map<String, String> measuredSettings()
    {
        final Map<String, String> settings = new HashMap<>();
        for (final String setting : System.getProperty("ringmq.test.catchup.settings", "").split(","))
        {
            final int equals = setting.indexOf('=');
            if (equals > 0)
            {
                settings.put(setting.substring(0, equals), setting.substring(equals + 1));
            }
        }
        return settings;
    }

    /** Publishes {@code count} messages and consumes them, acking two in three, until every receipt came. */
    private static Publisher publishWithAcks(final RingmqClient client, final int count)
    {
        final Receipts receipts = new Receipts();
        final int[] delivered = new int[1];
        client.consumer("orders", "billing", 1000, 0, (d) ->
        {
            delivered[0]++;
            if (d.sequence() % 3 != 0) // every third stays in flight: state worth comparing
            {
                d.ack();
            }
        });
        final Publisher publisher = client.publisher("orders", receipts);
        for (int i = 0; i < count; i++)
        {
            publisher.publish("m" + i);
            client.poll();
        }
        pollUntil(client, () -> receipts.count == count, TIMEOUT_MS, count + " receipts");
        return publisher;
    }

    /** Until the primary takes the standby as in sync again: its ack covered all that was offered to it. */
    private static void waitInSync(final Daemon primary, final RingmqClient client, final Publisher publisher)
    {
        pollUntil(client, () ->
        {
            publisher.publishAndWait("until in sync"); // the replicator checks at each batch it ships
            return primary.statsLine().contains("standby in sync");
        }, TIMEOUT_MS, "the standby back in sync: " + primary.statsLine());
    }

    /**
     * Both stopped at the same log sequence, in the same state; with {@code fromTheStart} the standby's journal also
     * holds the primary's, record for record (a journal that lost no range to retention).
     */
    private static void assertSameState(final Pair pair, final boolean fromTheStart)
    {
        final SnapshotStore.Loaded primaryState = newestSnapshot(pair.primary);
        final SnapshotStore.Loaded standbyState = newestSnapshot(pair.standby);
        assertEquals(primaryState.logSequence(), standbyState.logSequence(), "both stopped at the same command");
        assertEquals(restore(primaryState).describeState(), restore(standbyState).describeState());
        if (fromTheStart)
        {
            final QueueStateMachine primaryReplay = replay(pair.primary);
            final QueueStateMachine standbyReplay = replay(pair.standby);
            assertEquals(primaryReplay.lastLogSequence(), standbyReplay.lastLogSequence());
            assertEquals(primaryReplay.describeState(), standbyReplay.describeState(), "the same journal");
            assertEquals(primaryReplay.describeState(), restore(standbyState).describeState());
        }
    }
}
