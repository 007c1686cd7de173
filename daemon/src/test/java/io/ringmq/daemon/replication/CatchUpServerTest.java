package io.ringmq.daemon.replication;

import io.aeron.ExclusivePublication;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.daemon.snapshot.SnapshotStore;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.FsyncPolicy;
import io.ringmq.transport.replication.CatchUpAdapter;
import io.ringmq.transport.replication.CatchUpListener;
import io.ringmq.transport.replication.CatchUpPublisher;
import io.ringmq.transport.replication.CatchUpRequestPoller;
import io.ringmq.transport.replication.CatchUpRequester;
import io.ringmq.transport.replication.ReplicationFrames;
import io.ringmq.transport.testing.EmbeddedAeron;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The primary's catch-up server stepped by hand over IPC, on a clock the test moves: what it sends for a request, from
 * the journal or, for a range the journal no longer holds, the snapshot and then the journal; and that it sends
 * nothing while its rate bound is spent.
 */
class CatchUpServerTest
{
    private static final String CHANNEL = "aeron:ipc?term-length=64k";
    private static final int COMMAND_BYTES = 100;

    @TempDir
    Path tempDir;

    private final EmbeddedAeron aeron = new EmbeddedAeron();
    private final List<Long> received = new ArrayList<>();
    private final List<Long> done = new ArrayList<>();
    private final List<Long> divergedFrom = new ArrayList<>();
    /** The server's epoch and where it began (a promoted primary's EpochStarted). */
    private long serverEpoch = 1;
    private long serverEpochFirstLogSequence = 1;
    private final ByteArrayOutputStream snapshotBytes = new ByteArrayOutputStream();
    private static final long STEP_DEADLINE_NS = TimeUnit.SECONDS.toNanos(10);

    private long nowNs = 1;
    private ChronicleJournal journal;
    private CatchUpServer server;
    private CatchUpRequester requester;
    private CatchUpAdapter answers;
    private ExclusivePublication publication;
    /** Fragments the standby's end has read: one per frame, as every frame here fits one. */
    private int fragments;

    @AfterEach
    void close()
    {
        if (null != server)
        {
            server.onClose();
        }
        CloseHelper.quietCloseAll(requester, answers, journal, aeron);
    }

    @Test
    void sendsTheJournalAfterTheRequestedLogSequenceThenDone()
    {
        start(1, 50, 1L << 30);
        requester.request(20, 0, 1);
        stepUntil(() -> !done.isEmpty(), 1_000);
        assertEquals(List.of(50L), done, "the journal's end");
        assertEquals(30, received.size());
        for (int i = 0; i < received.size(); i++)
        {
            assertEquals(21 + i, received.get(i), "in order from 21");
        }
    }

    @Test
    void aRangeTheJournalNoLongerHoldsComesAsTheSnapshotFileThenTheJournalAfterIt() throws IOException
    {
        final SnapshotStore snapshots = new SnapshotStore(tempDir.resolve("snapshots"), 2);
        final byte[] state = new byte[10_000]; // a few chunks
        for (int i = 0; i < state.length; i++)
        {
            state[i] = (byte)(i * 31);
        }
        final Path file = snapshots.write(100, 0, state, state.length);
        start(101, 20, 1L << 30); // as if retention deleted 1 to 100
        requester.request(10, 0, 1);
        stepUntil(() -> !done.isEmpty(), 1_000);
        assertArrayEquals(Files.readAllBytes(file), snapshotBytes.toByteArray(), "the file, byte for byte");
        assertEquals(20, received.size(), "then 101 to 120");
        assertEquals(101L, received.get(0));
        assertEquals(List.of(120L), done);
    }

    /**
     * A primary of epoch 3, which began at log sequence 41: an old primary of epoch 2 that journaled past 40 is told
     * where it diverged and sent nothing; one of epoch 2 that stopped before 41 is behind, not divergent, and is sent
     * the rest (its EpochStarted included); a log two epochs behind cannot be matched and diverges from its first.
     */
    @Test
    void aStandbyWhoseLogLeftThisPrimarysHistoryIsToldWhereAndSentNothing()
    {
        serverEpoch = 3;
        serverEpochFirstLogSequence = 41;
        start(1, 50, 1L << 30);

        requester.request(45, 0, 2);
        stepUntil(() -> !done.isEmpty(), 1_000);
        assertEquals(List.of(40L), done, "the last log sequence both logs share");
        assertEquals(List.of(41L), divergedFrom, "the old epoch's records from 41 on are to be set aside");
        assertEquals(List.of(), received, "nothing follows a divergent log");

        requester.request(38, 0, 2);
        stepUntil(() -> 2 == done.size(), 1_000);
        assertEquals(List.of(41L, 0L), divergedFrom, "behind, not divergent");
        assertEquals(12, received.size(), "39 to 50");
        assertEquals(39L, received.get(0));

        requester.request(45, 0, 3);
        stepUntil(() -> 3 == done.size(), 1_000);
        assertEquals(0L, divergedFrom.get(2), "a standby of this epoch follows its log");

        requester.request(10, ReplicationFrames.SNAPSHOT_ONLY, 1);
        stepUntil(() -> 4 == done.size(), 1_000);
        assertEquals(1L, divergedFrom.get(3), "two epochs behind: nothing of it can be matched");
        assertEquals(0L, done.get(3));
    }

    /**
     * Each COMMANDS frame is as full as one datagram of the publication takes (over IPC here, Aeron's default MTU): a
     * read that ends on its byte budget keeps its last, partial batch to fill it from the next read, rather than send
     * it as a small datagram of its own; only the journal's end sends a partial one.
     */
    @Test
    void batchesFillWholeDatagramsAcrossReadsAndOnlyTheJournalsEndGoesPartial()
    {
        final int commands = 2_000;
        start(1, commands, 1L << 30);
        final int perFrame = (publication.maxPayloadLength() - ReplicationFrames.COMMANDS_HEADER_LENGTH) /
            (ReplicationFrames.COMMAND_LENGTH_PREFIX + COMMAND_BYTES);
        requester.request(0, 0, 1);
        stepUntil(() -> !done.isEmpty(), 1_000);
        assertEquals(commands, received.size());
        assertEquals(commands, server.servedCommands());
        assertEquals((commands + perFrame - 1) / perFrame + done.size(), fragments,
            perFrame + " commands a frame, the last frame the rest, then DONE");
    }

    @Test
    void nothingMoreGoesWhileTheRateBoundIsSpent()
    {
        start(1, 2_000, 1_000_000); // 1 MB/s: 1,000 bytes a millisecond
        requester.request(0, 0, 1);
        stepUntil(() -> !received.isEmpty() && received.size() == server.servedCommands(), 1_000);
        final int firstRead = received.size();
        assertTrue(firstRead < 2_000, "one read, then the bound: " + firstRead);
        for (int i = 0; i < 100; i++)
        {
            step();
        }
        assertEquals(firstRead, server.servedCommands(), "the clock has not moved: the overdraft is not paid");
        assertEquals(firstRead, received.size());
        nowNs += TimeUnit.SECONDS.toNanos(1);
        stepUntil(() -> received.size() > firstRead, 1_000);
        assertTrue(received.size() < 2_000, "a second pays for about a megabyte: " + received.size());
    }

    /**
     * A journal holding {@code count} commands of {@value #COMMAND_BYTES} bytes from {@code first}, a server over it
     * with {@code bytesPerSecond}, and the standby's ends of the link.
     */
    private void start(final long first, final int count, final long bytesPerSecond)
    {
        journal = ChronicleJournal.open(tempDir.resolve("journal"), "DAILY", FsyncPolicy.NONE);
        final UnsafeBuffer command = new UnsafeBuffer(new byte[COMMAND_BYTES]);
        for (long logSequence = first; logSequence < first + count; logSequence++)
        {
            CommandHeader.write(command, 0, logSequence, logSequence * 1_000, 7);
            journal.append(command, 0, COMMAND_BYTES);
        }
        publication = aeron.aeron().addExclusivePublication(CHANNEL, 2);
        server = new CatchUpServer(
            new CatchUpRequestPoller(aeron.aeron().addSubscription(CHANNEL, 1)),
            new CatchUpPublisher(publication, 1024, serverEpoch),
            journal,
            new SnapshotStore(tempDir.resolve("snapshots"), 2),
            bytesPerSecond,
            () -> nowNs,
            serverEpoch,
            serverEpochFirstLogSequence);
        requester = new CatchUpRequester(aeron.aeron().addExclusivePublication(CHANNEL, 1));
        answers = new CatchUpAdapter(aeron.aeron().addSubscription(CHANNEL, 2),
            (buffer, offset, length) -> received.add(CommandHeader.logSequence(buffer, offset)),
            new CatchUpListener()
            {
                public void onSnapshotChunk(
                    final int requestId,
                    final long snapshotLogSequence,
                    final long fileLength,
                    final long fileOffset,
                    final DirectBuffer buffer,
                    final int offset,
                    final int length)
                {
                    assertEquals(snapshotBytes.size(), fileOffset, "chunks in order");
                    final byte[] bytes = new byte[length];
                    buffer.getBytes(offset, bytes);
                    snapshotBytes.writeBytes(bytes);
                }

                public void onCatchUpDone(final int requestId, final long lastLogSequence, final long diverged)
                {
                    done.add(lastLogSequence);
                    divergedFrom.add(diverged);
                }
            });
        stepUntil(requester::isConnected, 1_000);
        stepUntil(answers::isConnected, 1_000);
        nowNs += TimeUnit.MILLISECONDS.toNanos(1); // a millisecond's allowance to start with
    }

    private void step()
    {
        server.doWork();
        fragments += answers.poll();
    }

    /**
     * Steps both ends, yielding between steps to let the media driver move the frames: at least {@code steps} (times
     * 100) and at least {@link #STEP_DEADLINE_NS}, since on a loaded machine the driver's threads may get no CPU for
     * all of a fast loop's yields (an image took longer than 100,000 of them to connect under a load average of 20).
     */
    private void stepUntil(final BooleanSupplier condition, final int steps)
    {
        final long deadlineNs = System.nanoTime() + STEP_DEADLINE_NS;
        for (int i = 0; (i < steps * 100 || System.nanoTime() - deadlineNs < 0) && !condition.getAsBoolean(); i++)
        {
            step();
            Thread.yield();
        }
        assertTrue(condition.getAsBoolean(), "not within the steps");
    }
}
