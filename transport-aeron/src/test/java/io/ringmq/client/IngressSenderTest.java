package io.ringmq.client;

import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.aeron.logbuffer.FrameDescriptor;
import io.ringmq.codecs.AckBatchDecoder;
import io.ringmq.codecs.AckDecoder;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.transport.testing.EmbeddedAeron;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's sender stepped by hand over a real IPC publication to a "daemon" subscription in the test: while the
 * daemon takes nothing the sender keeps reading its own responses and gives up after the back-pressure timeout on its
 * own clock (stepped here, one millisecond per wait); a send from inside a handler never blocks but is deferred in
 * order; a daemon whose subscription has gone is reported as lost; and an ack batch is cut to what one unfragmented
 * message carries.
 */
class IngressSenderTest
{
    private static final int STREAM = 4713;
    private static final String CHANNEL = "aeron:ipc?term-length=64k";
    private static final long BACK_PRESSURE_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(5);

    private final EmbeddedAeron embedded = new EmbeddedAeron();
    private final Subscription daemon = embedded.aeron().addSubscription(CHANNEL, STREAM);
    private final ExclusivePublication publication = embedded.aeron().addExclusivePublication(CHANNEL, STREAM);
    private long nowNs;
    private int responsePolls;
    private boolean inHandler;
    private boolean daemonTakesFramesWhileTheSenderWaits;
    private long waitingForRoomSinceNs;
    private final IngressSender sender = new IngressSender(publication, NoOpIdleStrategy.INSTANCE, () -> nowNs,
        BACK_PRESSURE_TIMEOUT_NS, this::pollResponses, () -> inHandler);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final List<Long> ackedSequences = new ArrayList<>();
    private final List<Boolean> unfragmented = new ArrayList<>();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onMessage);
    /** Notes whether each fragment is a whole message, then reassembles: the batch over the limit comes in two. */
    private final FragmentHandler fragmentHandler = (buffer, offset, length, header) ->
    {
        unfragmented.add(FrameDescriptor.UNFRAGMENTED == (header.flags() & FrameDescriptor.UNFRAGMENTED));
        assembler.onFragment(buffer, offset, length, header);
    };

    @BeforeEach
    void connected()
    {
        sender.session(5, 64 * 1024, 60 * 1024, 64);
        // Both ends: the subscription has its image (so a poll reads what was sent) and the publication its subscriber.
        waitUntil(() -> daemon.isConnected() && publication.isConnected(), "the publication connects");
    }

    @AfterEach
    void close()
    {
        embedded.close();
    }

    /**
     * Each wait for the ingress reads the client's responses once, and a millisecond passes; or, while the daemon takes
     * frames meanwhile, it reads them (the media driver gives the publication room on its own thread) and no time
     * passes on the sender's clock, within a deadline on the real one.
     */
    private void pollResponses()
    {
        responsePolls++;
        if (daemonTakesFramesWhileTheSenderWaits)
        {
            if (0 == waitingForRoomSinceNs)
            {
                waitingForRoomSinceNs = System.nanoTime();
            }
            assertTrue(System.nanoTime() - waitingForRoomSinceNs < TimeUnit.SECONDS.toNanos(10), "room never came");
            daemon.poll(fragmentHandler, 100);
            return;
        }
        nowNs += TimeUnit.MILLISECONDS.toNanos(1);
    }

    @Test
    void aBackPressuredSendReadsTheClientsResponsesAndGivesUpAfterTheTimeout()
    {
        final RingmqException refused = assertThrows(RingmqException.class, this::ackUntilRefused);
        assertTrue(refused.getMessage().startsWith("the daemon did not take a frame for 5 ms"), refused.getMessage());
        assertEquals(6, responsePolls, "the client read its responses on every wait, until 5 ms had passed");

        final long sent = drainUntilRoom();
        responsePolls = 0;
        sender.ack(3, sent + 1, 1);
        assertEquals(0, responsePolls, "room again: sent at once");
        drain();
        assertEquals(sent + 1, ackedSequences.get(ackedSequences.size() - 1));
        for (int i = 1; i < ackedSequences.size(); i++)
        {
            assertEquals(ackedSequences.get(i - 1) + 1, ackedSequences.get(i), "every ack arrived, in order");
        }
    }

    @Test
    void aSendFromAHandlerIsDeferredInOrderInsteadOfBlocking()
    {
        assertThrows(RingmqException.class, this::ackUntilRefused); // the ingress has no room
        responsePolls = 0;

        inHandler = true;
        sender.ack(3, 1_000_001, 1);
        sender.ack(3, 1_000_002, 1);
        inHandler = false;
        assertEquals(0, responsePolls, "a handler never waits for the ingress");

        drainUntilRoom();
        sender.sendDeferred();
        drain();
        assertEquals(List.of(1_000_001L, 1_000_002L),
            ackedSequences.subList(ackedSequences.size() - 2, ackedSequences.size()), "sent after the poll, in order");
    }

    /**
     * Issue 19's client suspect, cleared: a frame a handler could not send is not left for a later send or poll to
     * take along; the send of deferred frames that follows the poll (RingmqClient.poll calls it after every poll) waits
     * for room itself, reading the client's responses meanwhile, and returns only once the frame is in the ingress.
     */
    @Test
    void deferredFramesWaitForRoomInTheSendThatFollowsThePollNotForAnotherSend()
    {
        assertThrows(RingmqException.class, this::ackUntilRefused); // the ingress has no room
        inHandler = true;
        sender.ack(3, 2_000_001, 1);
        inHandler = false;

        daemonTakesFramesWhileTheSenderWaits = true; // room comes only while the sender waits for it
        sender.sendDeferred();
        daemonTakesFramesWhileTheSenderWaits = false;

        drain();
        assertEquals(2_000_001L, ackedSequences.get(ackedSequences.size() - 1), "in the ingress when it returned");
        sender.sendDeferred();
        drain();
        assertEquals(1, ackedSequences.stream().filter((sequence) -> 2_000_001L == sequence).count(), "sent once");
    }

    @Test
    void aDaemonWhoseSubscriptionHasGoneIsReportedAsLost()
    {
        sender.ack(3, 1, 1);
        daemon.close();
        waitUntil(() -> !publication.isConnected(), "the media driver drops the subscriber");

        // Aeron appends while the position is under the publisher's limit, connected or not, and the driver pulls
        // that limit in on its own time: a send may still succeed after the subscriber went. At the limit at the
        // latest (a term window of sends), the sender must see NOT_CONNECTED and report the daemon lost.
        final RingmqException lost = assertThrows(RingmqException.class, () ->
        {
            for (long sequence = 2; sequence < 1_000_000; sequence++)
            {
                sender.ack(3, sequence, 1);
            }
        });
        assertTrue(lost.getMessage().startsWith("lost the ringmq daemon"), lost.getMessage());
    }

    @Test
    void anAckBatchIsCutToWhatOneUnfragmentedMessageCarries()
    {
        final int limit = sender.ackBatchLimit(0);
        sendAckBatch(limit);
        waitUntil(() -> ackedSequences.size() == limit, "the batch");
        assertEquals(List.of(true), unfragmented, "one message, not fragmented");

        sendAckBatch(limit + 1); // one entry more than the limit: Aeron has to fragment it
        waitUntil(() -> ackedSequences.size() == 2 * limit + 1, "the larger batch");
        assertEquals(List.of(true, false, false), unfragmented, "the batch over the limit came in two fragments");
    }

    private void sendAckBatch(final int count)
    {
        final PendingAcks acks = new PendingAcks(count);
        for (int i = 1; i <= count; i++)
        {
            acks.add(i, 1);
        }
        sender.acks(3, acks);
        assertEquals(0, acks.count(), "the acks are in the frame");
    }

    /** Acks until the sender gives up on the back-pressured ingress. */
    private void ackUntilRefused()
    {
        for (long sequence = 1; ; sequence++)
        {
            sender.ack(3, sequence, 1);
        }
    }

    /** Reads everything the "daemon" was sent; @return the last acked sequence. */
    private long drain()
    {
        while (daemon.poll(fragmentHandler, 100) > 0)
        {
        }
        return ackedSequences.get(ackedSequences.size() - 1);
    }

    /** Drains, then waits for the media driver to give the publication room again (it does so on its own thread). */
    private long drainUntilRoom()
    {
        final long last = drain();
        waitUntil(() -> publication.availableWindow() > 1024, "room on the ingress");
        return last;
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        headerDecoder.wrap(buffer, offset);
        if (AckDecoder.TEMPLATE_ID == headerDecoder.templateId())
        {
            ackedSequences.add(new AckDecoder().wrapAndApplyHeader(buffer, offset, headerDecoder).sequence());
        }
        else if (AckBatchDecoder.TEMPLATE_ID == headerDecoder.templateId())
        {
            final AckBatchDecoder.EntriesDecoder entries =
                new AckBatchDecoder().wrapAndApplyHeader(buffer, offset, headerDecoder).entries();
            while (entries.hasNext())
            {
                ackedSequences.add(entries.next().sequence());
            }
        }
    }

    private void waitUntil(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, "timed out waiting for " + what);
            if (!daemon.isClosed())
            {
                daemon.poll(fragmentHandler, 100);
            }
            Thread.yield();
        }
    }
}
