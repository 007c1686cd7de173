package io.ringmq.daemon.replication;

import io.ringmq.client.BrowsedMessage;
import io.ringmq.client.NodeAdminClient;
import io.ringmq.client.RingmqClient;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.daemon.Daemon;
import io.ringmq.daemon.DaemonContext;
import io.ringmq.daemon.testing.TestDaemons;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.FsyncPolicy;
import io.ringmq.transport.NodeStatus;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.ringmq.daemon.replication.PairFixture.node;
import static io.ringmq.daemon.replication.PairFixture.sameLogSequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An old primary that comes back over its own journal (issue 14): its journal holds commands after the point where
 * the new primary's epoch began, which the standby never took. Built in-process: the pair's history up to a graceful
 * stop of the primary (both nodes equal), then the old primary's data directory run on alone, journaling a suffix
 * in the old epoch that the pair never had (what a primary journals after its standby stopped acking, before it is
 * killed), then the standby promoted into epoch 2 and serving.
 * <p>
 * The old primary started as a standby over that journal finds the point of divergence (the first log sequence of
 * epoch 2), sets its records from there on aside (kept in {@code data/diverged-epoch1-<time>/} with the snapshots of
 * a state that had them), rejoins, and reaches the new primary's digest at the same log sequence; every message the
 * pair receipted is on the new primary, none of the set-aside suffix is. Both ways it can learn it: from the primary
 * when it starts, and while it runs (it started while the new primary was down).
 */
class OldPrimaryRejoinTest
{
    private static final long TIMEOUT_MS = 30_000;
    private static final String QUEUE = "orders";
    private static final int BEFORE = 20;
    private static final int DIVERGED = 15;
    private static final int AFTER = 10;

    @TempDir
    Path tempDir;

    private TestPair pair;
    /** The first log sequence of epoch 2: where the old primary's log leaves the pair's history. */
    private long divergedFrom;

    @Test
    void anOldPrimaryStartedOverADivergentJournalSetsTheSuffixAsideAndRejoinsWithTheNewPrimarysDigest()
    {
        Daemon newPrimary = null;
        Daemon oldPrimary = null;
        try
        {
            newPrimary = divergedHistory();
            oldPrimary = Daemon.launch(new DaemonContext().settings(pair.node("primary", "standby")));
            assertTrue(oldPrimary.isStandby());
            assertRejoined(pair.standby, oldPrimary.config());
        }
        finally
        {
            CloseHelper.quietCloseAll(newPrimary, oldPrimary);
        }
    }

    @Test
    void anOldPrimaryThatLearnsOfTheDivergenceWhileRunningSetsTheSuffixAsideInProcessAndRejoins()
    {
        Daemon newPrimary = null;
        Daemon oldPrimary = null;
        try
        {
            divergedHistory().close();
            // The new primary is down: the old primary starts as a standby from its own state, divergent suffix and all.
            oldPrimary = Daemon.launch(new DaemonContext().settings(pair.node("primary", "standby")));
            assertEquals(List.of(), divergedDirectories(oldPrimary.config()), "nothing set aside without an answer");
            final RingmqConfig newPrimaryConfig = pair.node("standby", "primary");
            newPrimary = Daemon.launch(new DaemonContext().settings(newPrimaryConfig));
            assertRejoined(newPrimaryConfig, oldPrimary.config());
        }
        finally
        {
            CloseHelper.quietCloseAll(newPrimary, oldPrimary);
        }
    }

    /**
     * Epoch 1: receipted messages on both nodes, the primary stopped. The old primary's data then journals a suffix
     * the pair never had. The standby is promoted into epoch 2 and receipts more.
     *
     * @return the new primary, running.
     */
    private Daemon divergedHistory()
    {
        pair = new TestPair(tempDir, "journaled", "continue", "200ms");
        final Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby));
        try
        {
            try (Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary));
                 RingmqClient client = TestDaemons.connect(pair.primary);
                 NodeAdminClient primaryNode = node(pair.primary);
                 NodeAdminClient standbyNode = node(pair.standby))
            {
                publish(client, "before", BEFORE);
                sameLogSequence(primaryNode::status, standbyNode::status);
            }
            // The old primary's data run on alone: a suffix in epoch 1 the standby never took.
            final RingmqConfig alone = TestDaemons.config(tempDir.resolve("primary"));
            try (Daemon primaryAlone = Daemon.launch(new DaemonContext().settings(alone));
                 RingmqClient client = TestDaemons.connect(alone))
            {
                publish(client, "diverged", DIVERGED);
            }
            try (NodeAdminClient standbyNode = node(pair.standby))
            {
                divergedFrom = standbyNode.status().logSequence() + 1;
            }
            assertNull(standby.promote(true));
            try (RingmqClient client = TestDaemons.connect(pair.standby))
            {
                publish(client, "after", AFTER);
            }
            return standby;
        }
        catch (final RuntimeException | Error ex)
        {
            standby.close();
            throw ex;
        }
    }

    /** The old primary follows the new one with equal digests; the suffix is set aside; nothing receipted is lost. */
    private void assertRejoined(final RingmqConfig newPrimary, final RingmqConfig oldPrimary)
    {
        try (NodeAdminClient primaryNode = node(newPrimary);
             NodeAdminClient standbyNode = node(oldPrimary);
             RingmqClient client = TestDaemons.connect(newPrimary))
        {
            PairFixture.awaitStatus(standbyNode, (status) -> 2 == status.epoch() && status.inSync(), TIMEOUT_MS,
                "the old primary following epoch 2");
            // A primary reads its standby's acks as commands flow: one more makes it see the rejoined node's.
            publish(client, "live", 1);
            final NodeStatus[] both = sameLogSequence(primaryNode::status, standbyNode::status);
            assertEquals(NodeStatus.STANDBY, both[1].role());
            assertEquals(both[0].digest(), both[1].digest(), "the rejoined old primary's state is the new primary's: " +
                both[0] + " / " + both[1]);

            final List<Path> diverged = divergedDirectories(oldPrimary);
            assertEquals(1, diverged.size(), "one suffix set aside: " + diverged);
            final Path aside = diverged.get(0);
            assertTrue(Files.readString(aside.resolve("ABOUT.txt")).contains("log sequence " + divergedFrom),
                "what was set aside and why, for the operator");
            assertTrue(recordsFrom(oldPrimary, aside.resolve("journal"), divergedFrom) > DIVERGED,
                "the journal as it was, kept whole: the suffix's publishes and the run's own commands");
            try (Stream<Path> snapshots = Files.list(aside.resolve("snapshots")))
            {
                assertTrue(snapshots.findAny().isPresent(), "the alone run's stop snapshotted a state with the suffix");
            }

            final List<String> stored = peek(client);
            for (int i = 0; i < BEFORE; i++)
            {
                assertTrue(stored.contains("before-" + i), "receipted in epoch 1: " + stored);
            }
            for (int i = 0; i < AFTER; i++)
            {
                assertTrue(stored.contains("after-" + i), "receipted in epoch 2: " + stored);
            }
            assertTrue(stored.stream().noneMatch((text) -> text.startsWith("diverged")), "the set-aside suffix is " +
                "in neither node's state: " + stored);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void publish(final RingmqClient client, final String prefix, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            client.publisher(QUEUE).publishAndWait(prefix + "-" + i);
        }
    }

    private static List<String> peek(final RingmqClient client)
    {
        final List<String> texts = new ArrayList<>();
        client.peek(QUEUE, 0, (BrowsedMessage message) -> texts.add(message.payloadAsString()));
        return texts;
    }

    private static List<Path> divergedDirectories(final RingmqConfig config)
    {
        try (Stream<Path> files = Files.list(config.dataDir()))
        {
            return files.filter((path) -> path.getFileName().toString().startsWith("diverged-epoch1-")).toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static long recordsFrom(final RingmqConfig config, final Path journal, final long logSequence)
    {
        final long[] count = {0};
        try (ChronicleJournal reading =
            ChronicleJournal.open(journal, config.journalRollCycle().name(), FsyncPolicy.NONE))
        {
            reading.replay((buffer, offset, length) ->
            {
                if (CommandHeader.logSequence(buffer, offset) >= logSequence)
                {
                    count[0]++;
                }
            });
        }
        return count[0];
    }
}
