package io.ringmq.transport.replication;

import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.transport.OfferOutcome;
import io.ringmq.transport.testing.EmbeddedAeron;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both ends of the replication link over IPC (the same classes run over UDP between nodes). */
class ReplicationLinkTest
{
    private static final String CHANNEL = "aeron:ipc?term-length=64k";
    private static final int COMMANDS_STREAM = 7;
    private static final int ACKS_STREAM = 8;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final EmbeddedAeron aeron = new EmbeddedAeron();

    @AfterEach
    void close()
    {
        aeron.close();
    }

    @Test
    void aBatchArrivesAsItsCommandsInOrder()
    {
        final ExclusivePublication publication = aeron.aeron().addExclusivePublication(CHANNEL, COMMANDS_STREAM);
        final List<Long> offered = new ArrayList<>();
        final ReplicationAdapter adapter = new ReplicationAdapter(
            aeron.aeron().addSubscription(CHANNEL, COMMANDS_STREAM), recording(offered, -1));
        final ReplicationPublisher publisher = new ReplicationPublisher(publication, 1024);
        awaitTrue(publisher::isConnected, "the subscription connects");

        for (long logSequence = 1; logSequence <= 3; logSequence++)
        {
            assertTrue(publisher.append(command(logSequence, 100), 0, CommandHeader.LENGTH + 100));
        }
        final long positionBefore = publication.position();
        awaitTrue(() -> OfferOutcome.SENT == publisher.flush(), "sent: a limit may lag the connect");
        assertFalse(publisher.hasPending());
        assertEquals(align(ReplicationFrames.COMMANDS_HEADER_LENGTH + 3 * (4 + CommandHeader.LENGTH + 100) + 32),
            publication.position() - positionBefore, "one Aeron message for the batch");

        awaitTrue(() -> adapter.poll() >= 0 && offered.size() == 3, "three commands");
        assertEquals(List.of(1L, 2L, 3L), offered);
        assertEquals(0, adapter.unknownFrames());
    }

    @Test
    void aSinkWithNoRoomGetsTheBatchAgainFromItsStart()
    {
        final ExclusivePublication publication = aeron.aeron().addExclusivePublication(CHANNEL, COMMANDS_STREAM);
        final List<Long> offered = new ArrayList<>();
        final ReplicationAdapter adapter = new ReplicationAdapter(
            aeron.aeron().addSubscription(CHANNEL, COMMANDS_STREAM), recording(offered, 2));
        final ReplicationPublisher publisher = new ReplicationPublisher(publication, 1024);
        awaitTrue(publisher::isConnected, "the subscription connects");
        for (long logSequence = 1; logSequence <= 3; logSequence++)
        {
            publisher.append(command(logSequence, 10), 0, CommandHeader.LENGTH + 10);
        }
        awaitTrue(() -> OfferOutcome.SENT == publisher.flush(), "sent: a limit may lag the connect");

        awaitTrue(() -> adapter.poll() >= 0 && offered.size() == 5, "the batch twice, cut short the first time");
        assertEquals(List.of(1L, 2L, 1L, 2L, 3L), offered, "the whole batch again: the sink skips what it took");
    }

    @Test
    void aFullBatchRefusesTheNextCommandUntilFlushed()
    {
        final ExclusivePublication publication = aeron.aeron().addExclusivePublication(CHANNEL, COMMANDS_STREAM);
        final ReplicationPublisher publisher = new ReplicationPublisher(publication, 1024);
        assertEquals(8192, publication.maxMessageLength(), "a 64k term: messages up to 8k, so batches of 8k");
        int appended = 0;
        while (publisher.append(command(appended + 1, 1000), 0, CommandHeader.LENGTH + 1000))
        {
            appended++;
        }
        assertEquals((8192 - ReplicationFrames.COMMANDS_HEADER_LENGTH) / (4 + CommandHeader.LENGTH + 1000), appended);
        publisher.discard();
        assertTrue(publisher.append(command(1, 1000), 0, CommandHeader.LENGTH + 1000), "room again");
    }

    @Test
    void aCommandLargerThanThePublicationTakesIsRefusedAtStart()
    {
        final ExclusivePublication publication = aeron.aeron().addExclusivePublication(CHANNEL, COMMANDS_STREAM);
        assertThrows(IllegalArgumentException.class, () -> new ReplicationPublisher(publication, 8192));
        assertTrue(ReplicationPublisher.termLengthFor(8192) / 8 >= 8192 + ReplicationFrames.COMMANDS_HEADER_LENGTH + 4);
    }

    @Test
    void acksAreCumulativeAndOnlyNewOnesAreSent()
    {
        final ReplicationAckPoller poller =
            new ReplicationAckPoller(aeron.aeron().addSubscription(CHANNEL, ACKS_STREAM), 2);
        final ReplicationAckSender sender =
            new ReplicationAckSender(() -> aeron.aeron().addExclusivePublication(CHANNEL, ACKS_STREAM), 2);
        assertEquals(0, sender.ack(2), "the primary knows the standby has what both recovered");
        awaitTrue(() -> 1 == sender.ack(5), "an ack sent once connected");
        assertEquals(0, sender.ack(4));
        awaitTrue(() -> poller.poll() >= 0 && 5 == poller.ackedLogSequence(), "the ack of 5");
        sender.renew();
        awaitTrue(() -> 1 == sender.ack(6), "an ack on the new publication");
        awaitTrue(() -> poller.poll() >= 0 && 6 == poller.ackedLogSequence(), "the ack of 6");
        assertEquals(0, poller.unknownFrames());
    }

    @Test
    void framesOfAnotherKindAreCountedAndSkipped()
    {
        final ExclusivePublication publication = aeron.aeron().addExclusivePublication(CHANNEL, COMMANDS_STREAM);
        final List<Long> offered = new ArrayList<>();
        final ReplicationAdapter adapter = new ReplicationAdapter(
            aeron.aeron().addSubscription(CHANNEL, COMMANDS_STREAM), recording(offered, -1));
        final UnsafeBuffer ack = new UnsafeBuffer(new byte[ReplicationFrames.ACK_LENGTH]);
        ReplicationFrames.writeAck(ack, 9, 1);
        final UnsafeBuffer overrun = new UnsafeBuffer(new byte[ReplicationFrames.COMMANDS_HEADER_LENGTH + 8]);
        ReplicationFrames.writeCommandsHeader(overrun, 1, EpochFence.FIRST_EPOCH);
        overrun.putInt(ReplicationFrames.COMMANDS_HEADER_LENGTH, 1000); // a command longer than the frame
        awaitTrue(() -> publication.offer(ack) > 0, "the ack offered");
        awaitTrue(() -> publication.offer(overrun) > 0, "the overrun offered");
        awaitTrue(() -> adapter.poll() >= 0 && 2 == adapter.unknownFrames(), "both counted");
        assertTrue(offered.isEmpty());
    }

    /**
     * A standby that has taken epoch 2 refuses an epoch 1 primary's frames (counted), takes a newer primary's and
     * learns its epoch, and its acks carry that epoch, which a primary of an older epoch's standby would not accept.
     */
    @Test
    void framesOfAnOlderEpochAreRefusedAndANewerEpochIsLearnt()
    {
        final List<Long> offered = new ArrayList<>();
        final EpochFence fence = new EpochFence(2);
        final ReplicationAdapter adapter = new ReplicationAdapter(
            aeron.aeron().addSubscription(CHANNEL, COMMANDS_STREAM), recording(offered, -1), fence);
        final ReplicationPublisher oldPrimary =
            new ReplicationPublisher(aeron.aeron().addExclusivePublication(CHANNEL, COMMANDS_STREAM), 1024, 1);
        awaitTrue(oldPrimary::isConnected, "the subscription connects");
        oldPrimary.append(command(1, 10), 0, CommandHeader.LENGTH + 10);
        awaitTrue(() -> OfferOutcome.SENT == oldPrimary.flush(), "sent: a limit may lag the connect");
        awaitTrue(() -> adapter.poll() >= 0 && 1 == fence.refusedFrames(), "the old epoch's frame refused");
        assertTrue(offered.isEmpty());

        final ReplicationPublisher newPrimary =
            new ReplicationPublisher(aeron.aeron().addExclusivePublication(CHANNEL, COMMANDS_STREAM), 1024, 3);
        awaitTrue(newPrimary::isConnected, "the new primary connects");
        newPrimary.append(command(1, 10), 0, CommandHeader.LENGTH + 10);
        awaitTrue(() -> OfferOutcome.SENT == newPrimary.flush(), "sent: a limit may lag the connect");
        awaitTrue(() -> adapter.poll() >= 0 && 1 == offered.size(), "the new epoch's frame taken");
        assertEquals(3, fence.epoch());

        final ReplicationAckPoller epoch3 = new ReplicationAckPoller(aeron.aeron().addSubscription(CHANNEL, ACKS_STREAM), 0, 3);
        final ReplicationAckPoller epoch4 = new ReplicationAckPoller(aeron.aeron().addSubscription(CHANNEL, ACKS_STREAM), 0, 4);
        final ReplicationAckSender sender =
            new ReplicationAckSender(() -> aeron.aeron().addExclusivePublication(CHANNEL, ACKS_STREAM), 0, fence);
        awaitTrue(() -> 1 == sender.ack(1), "an ack sent");
        awaitTrue(() -> epoch3.poll() >= 0 && 1 == epoch3.ackedLogSequence(), "the ack taken in its epoch");
        awaitTrue(() -> epoch4.poll() >= 0 && 1 == epoch4.staleAcks(), "refused by a newer primary");
        assertEquals(0, epoch4.ackedLogSequence());
    }

    /** A sink that records the log sequence of every offer, and says "no room" once, at {@code fullAt}. */
    private static ReplicatedCommandSink recording(final List<Long> offered, final long fullAt)
    {
        final long[] refuse = {fullAt};
        return (buffer, offset, length) ->
        {
            final long logSequence = CommandHeader.logSequence(buffer, offset);
            offered.add(logSequence);
            if (logSequence == refuse[0])
            {
                refuse[0] = -1;
                return false;
            }
            return true;
        };
    }

    static DirectBuffer command(final long logSequence, final int frameLength)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandHeader.LENGTH + frameLength]);
        CommandHeader.write(buffer, 0, logSequence, 1_000L * logSequence, 42);
        buffer.setMemory(CommandHeader.LENGTH, frameLength, (byte)logSequence);
        return buffer;
    }

    private static int align(final int length)
    {
        return (length + 31) & ~31;
    }

    static void awaitTrue(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.yield();
        }
    }
}
