package io.ringmq.transport.replication;

import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.transport.OfferOutcome;
import io.ringmq.transport.testing.EmbeddedAeron;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.ringmq.transport.replication.ReplicationLinkTest.awaitTrue;
import static io.ringmq.transport.replication.ReplicationLinkTest.command;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both ends of catch-up over IPC: the standby's request, and the primary's commands, snapshot chunks and DONE. */
class CatchUpLinkTest
{
    private static final String CHANNEL = "aeron:ipc?term-length=64k";
    private static final int REQUESTS_STREAM = 9;
    private static final int ANSWERS_STREAM = 10;

    private final EmbeddedAeron aeron = new EmbeddedAeron();

    @AfterEach
    void close()
    {
        aeron.close();
    }

    @Test
    void theNewestRequestIsTheOneServed()
    {
        final CatchUpRequestPoller requests =
            new CatchUpRequestPoller(aeron.aeron().addSubscription(CHANNEL, REQUESTS_STREAM));
        final CatchUpRequester requester =
            new CatchUpRequester(aeron.aeron().addExclusivePublication(CHANNEL, REQUESTS_STREAM));
        awaitTrue(requester::isConnected, "the primary's subscription");
        assertFalse(requests.hasRequest());

        // Connected is not yet room: the driver sets a new publication's limit on its next duty cycle.
        final int[] first = {0};
        awaitTrue(() -> (first[0] = requester.request(41, 0, 2)) > 0, "the first request sent");
        assertEquals(first[0] + 1, requester.request(57, ReplicationFrames.SNAPSHOT_ONLY, 3));
        awaitTrue(() -> requests.poll() >= 0 && requests.hasRequest() && first[0] + 1 == requests.requestId(), "both");
        requests.take();
        assertFalse(requests.hasRequest());
        assertEquals(57, requests.afterLogSequence());
        assertEquals(ReplicationFrames.SNAPSHOT_ONLY, requests.flags());
        assertEquals(3, requests.epoch(), "the requester's epoch");
        assertEquals(0, requests.unknownFrames());
    }

    @Test
    void commandsSnapshotChunksAndDoneReachTheirHandlersInOrder()
    {
        final List<Long> commands = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        final byte[][] chunk = new byte[1][];
        final CatchUpAdapter adapter = new CatchUpAdapter(aeron.aeron().addSubscription(CHANNEL, ANSWERS_STREAM),
            (buffer, offset, length) -> commands.add(CommandHeader.logSequence(buffer, offset)),
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
                    events.add("chunk " + requestId + " " + snapshotLogSequence + " " + fileLength + " " + fileOffset);
                    chunk[0] = new byte[length];
                    buffer.getBytes(offset, chunk[0]);
                }

                public void onCatchUpDone(final int requestId, final long lastLogSequence, final long divergedFrom)
                {
                    events.add("done " + requestId + " " + lastLogSequence + " after " + commands.size() +
                        " commands, diverged from " + divergedFrom);
                }
            });
        final CatchUpPublisher publisher =
            new CatchUpPublisher(aeron.aeron().addExclusivePublication(CHANNEL, ANSWERS_STREAM), 1024);
        awaitTrue(publisher::isConnected, "the standby's subscription");

        final byte[] bytes = {1, 2, 3, 4, 5};
        // Connected is not yet room: the driver sets a new publication's limit on its next duty cycle.
        awaitTrue(() -> OfferOutcome.SENT == publisher.snapshotChunk(3, 99, 1_000, 200, new UnsafeBuffer(bytes), 0, 5),
            "the chunk sent");
        for (long logSequence = 100; logSequence <= 102; logSequence++)
        {
            assertTrue(publisher.commands().append(command(logSequence, 20), 0, CommandHeader.LENGTH + 20));
        }
        awaitTrue(() -> OfferOutcome.SENT == publisher.commands().flush(), "sent: a limit may lag the connect");
        assertEquals(OfferOutcome.SENT, publisher.done(3, 102, 0));
        awaitTrue(() -> OfferOutcome.SENT == publisher.done(4, 80, 81), "a divergence answered");

        awaitTrue(() -> adapter.poll() >= 0 && events.size() == 3, "the chunk and the ends");
        assertEquals(List.of("chunk 3 99 1000 200", "done 3 102 after 3 commands, diverged from 0",
            "done 4 80 after 3 commands, diverged from 81"), events);
        assertArrayEquals(bytes, chunk[0]);
        assertEquals(List.of(100L, 101L, 102L), commands);
        assertEquals(0, adapter.unknownFrames());
    }

    @Test
    void answersOfAnOlderEpochThanTheFencesAreRefusedAndCountedNewerOnesTaken()
    {
        final List<Long> commands = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        final EpochFence fence = new EpochFence(3); // this standby has taken epoch 3 (the live stream's, say)
        final CatchUpAdapter adapter = new CatchUpAdapter(aeron.aeron().addSubscription(CHANNEL, ANSWERS_STREAM),
            (buffer, offset, length) -> commands.add(CommandHeader.logSequence(buffer, offset)),
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
                    events.add("chunk " + requestId);
                }

                public void onCatchUpDone(final int requestId, final long lastLogSequence, final long divergedFrom)
                {
                    events.add("done " + requestId);
                }
            },
            fence);
        final CatchUpPublisher oldPrimary =
            new CatchUpPublisher(aeron.aeron().addExclusivePublication(CHANNEL, ANSWERS_STREAM), 1024, 2);
        awaitTrue(oldPrimary::isConnected, "the standby's subscription");
        awaitTrue(() -> OfferOutcome.SENT == oldPrimary.snapshotChunk(1, 99, 5, 0, new UnsafeBuffer(new byte[5]), 0, 5),
            "the old primary's chunk sent");
        assertTrue(oldPrimary.commands().append(command(100, 20), 0, CommandHeader.LENGTH + 20));
        awaitTrue(() -> OfferOutcome.SENT == oldPrimary.commands().flush(), "sent: a limit may lag the connect");
        assertEquals(OfferOutcome.SENT, oldPrimary.done(1, 100, 0));
        awaitTrue(() -> adapter.poll() >= 0 && 3 == fence.refusedFrames(), "the old primary's three answers read");
        assertEquals(List.of(), events, "a chunk and a DONE of epoch 2: refused");
        assertEquals(List.of(), commands, "commands of epoch 2: refused");
        assertEquals(3, fence.epoch());

        final CatchUpPublisher newPrimary =
            new CatchUpPublisher(aeron.aeron().addExclusivePublication(CHANNEL, ANSWERS_STREAM), 1024, 4);
        awaitTrue(() -> OfferOutcome.SENT == newPrimary.snapshotChunk(2, 99, 5, 0, new UnsafeBuffer(new byte[5]), 0, 5),
            "the new primary's chunk sent");
        assertTrue(newPrimary.commands().append(command(101, 20), 0, CommandHeader.LENGTH + 20));
        awaitTrue(() -> OfferOutcome.SENT == newPrimary.commands().flush(), "sent: a limit may lag the connect");
        assertEquals(OfferOutcome.SENT, newPrimary.done(2, 101, 0));
        awaitTrue(() -> adapter.poll() >= 0 && events.size() == 2, "the new primary's answers read");
        assertEquals(List.of("chunk 2", "done 2"), events);
        assertEquals(List.of(101L), commands);
        assertEquals(4, fence.epoch(), "a newer epoch raises the fence");
        assertEquals(3, fence.refusedFrames());
        assertEquals(0, adapter.unknownFrames());
    }
}
