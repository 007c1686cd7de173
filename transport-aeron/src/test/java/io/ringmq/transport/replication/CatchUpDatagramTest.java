package io.ringmq.transport.replication;

import io.aeron.Subscription;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.transport.OfferOutcome;
import io.ringmq.transport.testing.EmbeddedAeron;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.util.ArrayList;
import java.util.List;

import static io.ringmq.transport.replication.ReplicationLinkTest.awaitTrue;
import static io.ringmq.transport.replication.ReplicationLinkTest.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Catch-up's channels over UDP loopback: a batch of catch-up commands fills one datagram of Aeron's largest MTU and
 * crosses as one fragment, and the standby's subscriptions at its endpoint (live stream and catch-up, with its wider
 * window) share one socket without Aeron refusing either.
 */
class CatchUpDatagramTest
{
    private static final int LIVE_STREAM = 11;
    private static final int CATCHUP_STREAM = 12;
    /** A term of 1 MiB: an eighth of it is more than the largest MTU, so the MTU is the largest. */
    private static final int MAX_COMMAND_LENGTH = 64 * 1024;
    private static final int COMMAND_FRAME_BYTES = 76; // 100 bytes with the command header

    private final EmbeddedAeron aeron = new EmbeddedAeron();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close()
    {
        CloseHelper.quietCloseAll(closeables);
        aeron.close();
    }

    @Test
    void aCatchUpBatchFillsOneDatagramOfTheLargestMtuAndCrossesAsOneFragment()
    {
        final String endpoint = "localhost:" + freeUdpPort();
        final List<Long> live = new ArrayList<>();
        final List<Long> caughtUp = new ArrayList<>();
        final Subscription liveSubscription =
            closing(aeron.aeron().addSubscription(ReplicationChannels.receiving(endpoint), LIVE_STREAM));
        final CatchUpAdapter standby = closing(new CatchUpAdapter(
            aeron.aeron().addSubscription(ReplicationChannels.catchUpReceiving(endpoint), CATCHUP_STREAM),
            (buffer, offset, length) -> caughtUp.add(CommandHeader.logSequence(buffer, offset)), ignoring()));
        final CatchUpPublisher primary = closing(new CatchUpPublisher(aeron.aeron().addExclusivePublication(
            ReplicationChannels.catchUpSending(endpoint, ReplicationPublisher.termLengthFor(MAX_COMMAND_LENGTH)),
            CATCHUP_STREAM), MAX_COMMAND_LENGTH));
        awaitTrue(primary::isConnected, "the standby's catch-up subscription");

        long logSequence = 0;
        while (primary.commands().append(command(logSequence + 1, COMMAND_FRAME_BYTES), 0,
            CommandHeader.LENGTH + COMMAND_FRAME_BYTES))
        {
            logSequence++;
        }
        final int perCommand = ReplicationFrames.COMMAND_LENGTH_PREFIX + CommandHeader.LENGTH + COMMAND_FRAME_BYTES;
        final int payload = ReplicationChannels.CATCHUP_MTU - 32; // less Aeron's data header
        assertEquals((payload - ReplicationFrames.COMMANDS_HEADER_LENGTH) / perCommand, logSequence,
            "the batch stops where one more command would not fit the datagram");
        final long batched = logSequence;
        awaitTrue(() -> OfferOutcome.SENT == primary.commands().flush(), "the batch sent");

        final int[] fragments = {0};
        awaitTrue(() -> (fragments[0] += standby.poll()) > 0 && caughtUp.size() == batched, "the batch received");
        assertEquals(1, fragments[0], "one datagram, one fragment: nothing for the standby's driver to reassemble");
        for (int i = 0; i < caughtUp.size(); i++)
        {
            assertEquals(i + 1, caughtUp.get(i), "in order");
        }
        assertEquals(0, standby.unknownFrames());
        assertTrue(liveSubscription.poll((buffer, offset, length, header) -> live.add(0L), 10) >= 0);
        assertEquals(List.of(), live, "nothing on the live stream: the streams share the socket only");
    }

    @Test
    void aCommandLongerThanADatagramStillGoesInABatchOfItsOwn()
    {
        final String endpoint = "localhost:" + freeUdpPort();
        final CatchUpPublisher primary = closing(new CatchUpPublisher(aeron.aeron().addExclusivePublication(
            ReplicationChannels.catchUpSending(endpoint, ReplicationPublisher.termLengthFor(MAX_COMMAND_LENGTH)),
            CATCHUP_STREAM), MAX_COMMAND_LENGTH));
        final int longFrame = MAX_COMMAND_LENGTH - CommandHeader.LENGTH;
        assertTrue(primary.commands().append(command(1, longFrame), 0, MAX_COMMAND_LENGTH), "an empty batch takes it");
        assertFalse(primary.commands().append(command(2, 8), 0, CommandHeader.LENGTH + 8),
            "nothing more: the batch is past one datagram already");
    }

    @Test
    void theCatchUpMtuIsTheLargestTheTermAllows()
    {
        assertTrue(ReplicationChannels.catchUpSending("localhost:40000", 16 * 1024 * 1024)
            .endsWith("|mtu=" + ReplicationChannels.CATCHUP_MTU));
        assertTrue(ReplicationChannels.catchUpSending("localhost:40000", 64 * 1024).endsWith("|mtu=8192"),
            "Aeron: a message of at most an eighth of the term");
        assertTrue(ReplicationChannels.catchUpSending("localhost:40000", 16 * 1024 * 1024, 1408)
            .endsWith("|mtu=1408"), "ringmq.replication.catchup.mtu: the network's");
        assertTrue(ReplicationChannels.catchUpSending("localhost:40000", 64 * 1024, 16_384).endsWith("|mtu=8192"),
            "still at most an eighth of the term");
    }

    private <T extends AutoCloseable> T closing(final T closeable)
    {
        closeables.add(0, closeable);
        return closeable;
    }

    private static CatchUpListener ignoring()
    {
        return new CatchUpListener()
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
            }

            public void onCatchUpDone(final int requestId, final long lastLogSequence, final long divergedFrom)
            {
            }
        };
    }

    private static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
