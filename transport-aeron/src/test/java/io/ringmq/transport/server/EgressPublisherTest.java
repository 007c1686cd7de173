package io.ringmq.transport.server;

import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.ringmq.codecs.ConnectedDecoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.ErrorDecoder;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.ReceiptDecoder;
import io.ringmq.core.protocol.EgressFraming;
import io.ringmq.transport.testing.EmbeddedAeron;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The egress stepped by hand, the way the dispatcher drives it (frames of a ring batch, then {@link
 * EgressPublisher#flushPending()}), over a real IPC publication to a client subscription in the test: frames a
 * back-pressured client has no room for wait in order, a client that takes none of them for the stall timeout (on the
 * egress's own clock, stepped here) or whose subscription has gone is reported lost once, and a batch larger than one
 * message goes out in several, in order.
 */
class EgressPublisherTest
{
    private static final long STALL_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int STREAM = 4712;
    /** 64 KiB terms: a client that reads nothing back-pressures the egress after a few hundred receipts. */
    private static final String CHANNEL = "aeron:ipc?term-length=64k";
    /** The most a 64 KiB term carries in one message. */
    private static final int MAX_MESSAGE_LENGTH = 8 * 1024;
    private static final long SESSION = 1;

    private final EmbeddedAeron embedded = new EmbeddedAeron();
    private final List<Long> lostSessions = new ArrayList<>();
    private long nowNs;
    private final EgressPublisher egress = new EgressPublisher(
        embedded.aeron(), () -> nowNs, STALL_NS, 1024 * 1024, MAX_MESSAGE_LENGTH, 64, lostSessions::add);
    private final List<String> received = new ArrayList<>();
    private final List<Integer> framesPerMessage = new ArrayList<>();
    private final List<Long> receiptEpochs = new ArrayList<>();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final FragmentAssembler client = new FragmentAssembler(this::onMessage);
    private Subscription subscription;

    @BeforeEach
    void connect()
    {
        subscription = embedded.aeron().addSubscription(CHANNEL, STREAM);
        egress.onSessionOpened(SESSION, 7, CHANNEL, STREAM);
        flushAndPollUntil(() -> received.contains("connected 7"), "the Connected");
        received.clear();
        framesPerMessage.clear();
    }

    @AfterEach
    void close()
    {
        egress.closeAll();
        subscription.close();
        embedded.close();
    }

    @Test
    void framesABackPressuredClientHasNoRoomForWaitInOrderUntilItReadsThem()
    {
        final int receipts = 2_000; // ~128 KB of messages: twice the term, and the client reads nothing meanwhile
        for (int i = 1; i <= receipts; i++)
        {
            egress.onReceipt(SESSION, i, i);
            egress.flushPending(); // a ring batch of one command each
        }
        assertTrue(egress.flushPending(), "frames wait for the client");
        assertEquals(List.of(), lostSessions, "back-pressure is not a lost client");
        assertEquals(0, egress.framesNotSent());

        flushAndPollUntil(() -> received.size() == receipts, "every receipt");
        for (int i = 0; i < receipts; i++)
        {
            assertEquals("receipt " + (i + 1), received.get(i), "in order");
        }
        assertFalse(egress.flushPending(), "nothing waits once the client has read everything");
    }

    @Test
    void aClientThatTakesNothingForTheStallTimeoutIsReportedLostOnce()
    {
        for (int i = 1; i <= 2_000; i++)
        {
            egress.onReceipt(SESSION, i, i);
            egress.flushPending();
        }
        nowNs += STALL_NS; // not over it yet
        assertTrue(egress.flushPending());
        assertEquals(List.of(), lostSessions);

        nowNs += 1;
        egress.flushPending();
        egress.flushPending();
        assertEquals(List.of(SESSION), lostSessions, "lost once the timeout is over, and reported once");
        assertTrue(egress.framesNotSent() > 0, "what waited is counted as never sent");

        egress.onSessionClosed(SESSION); // its SessionLost applied
        egress.onReceipt(SESSION, 1, 1);
        assertFalse(egress.flushPending());
    }

    @Test
    void everyReceiptCarriesTheEpochThePrimaryServesIn()
    {
        egress.onReceipt(SESSION, 1, 1);
        egress.epoch(4); // as a promoted primary's publisher is built
        egress.onReceipt(SESSION, 2, 2);
        flushAndPollUntil(() -> received.size() == 2, "both receipts");

        assertEquals(List.of("receipt 1", "receipt 2"), received);
        assertEquals(List.of(1L, 4L), receiptEpochs, "epoch 1 unless told, then the one it was given");
    }

    @Test
    void aClientWhoseSubscriptionHasGoneIsReportedLost()
    {
        egress.onReceipt(SESSION, 1, 1);
        flushAndPollUntil(() -> received.size() == 1, "the first receipt");
        try (Publication probe = embedded.aeron().addPublication(CHANNEL, STREAM))
        {
            flushAndPollUntil(probe::isConnected, "the probe sees the client");
            subscription.close();
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (probe.isConnected()) // the media driver drops the subscriber from every publication of the stream
            {
                assertTrue(System.nanoTime() - deadlineNs < 0, "the media driver drops the subscriber in time");
                Thread.yield();
            }
        }

        // NOT_CONNECTED after the client took frames: gone, not slow (a slow one's frames would wait instead). The
        // egress's own publication learns it when the driver's conductor next updates it, which on a loaded machine
        // can come after the probe's: until then its offers still fit the window and are sent, so keep sending.
        final long lostDeadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int i = 2; lostSessions.isEmpty(); i++)
        {
            assertTrue(System.nanoTime() - lostDeadlineNs < 0, "the egress sees the client gone in time");
            egress.onReceipt(SESSION, i, i);
            egress.flushPending();
            Thread.yield();
        }
        assertEquals(List.of(SESSION), lostSessions);
        final long notSentWhenLost = egress.framesNotSent();
        assertTrue(notSentWhenLost < 100, "lost at once, not once its buffer filled: " + notSentWhenLost);
        egress.onReceipt(SESSION, 99, 99);
        egress.flushPending();
        assertEquals(List.of(SESSION), lostSessions, "reported once");
        assertEquals(notSentWhenLost + 1, egress.framesNotSent(), "a frame for a lost client is counted, not sent");
    }

    @Test
    void aBatchLargerThanOneMessageGoesOutInSeveralInOrderAndALargeFrameGoesAloneAfterTheRest()
    {
        final String line = "x".repeat(300);
        for (int i = 1; i <= 10; i++) // about 3.5 KB of frames in one batch: more than one unfragmented message
        {
            egress.onError(SESSION, i, ErrorCode.INVALID_ARGUMENT, line);
        }
        egress.onError(SESSION, 11, ErrorCode.INVALID_ARGUMENT, "y".repeat(5_000)); // over one message: fragmented
        egress.onReceipt(SESSION, 12, 12);
        egress.flushPending();

        flushAndPollUntil(() -> received.size() == 12, "the batch");
        final List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 11; i++)
        {
            expected.add("error " + i);
        }
        expected.add("receipt 12");
        assertEquals(expected, received);
        assertTrue(framesPerMessage.size() >= 4, "several messages: " + framesPerMessage);
        assertTrue(framesPerMessage.get(0) > 1, "frames gathered into a message: " + framesPerMessage);
        assertEquals(List.of(), lostSessions);
    }

    @Test
    void aFrameLargerThanTheClientsChannelCarriesLosesTheSessionInsteadOfStoppingTheEgress()
    {
        egress.onError(SESSION, 1, ErrorCode.INVALID_ARGUMENT, "z".repeat(MAX_MESSAGE_LENGTH));
        egress.flushPending();
        assertEquals(List.of(SESSION), lostSessions);
        assertEquals(1, egress.framesNotSent());
    }

    private void flushAndPollUntil(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, "timed out waiting for " + what + ": " + received.size());
            egress.flushPending();
            if (0 == subscription.poll(client, 100))
            {
                Thread.yield();
            }
        }
    }

    /** One message from the egress: frames, each after its length. */
    private void onMessage(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        framesPerMessage.add(EgressFraming.frameCount(buffer, offset, length));
        int position = offset;
        while (position < offset + length)
        {
            final int frame = position + EgressFraming.LENGTH_PREFIX;
            headerDecoder.wrap(buffer, frame);
            received.add(switch (headerDecoder.templateId())
            {
                case ConnectedDecoder.TEMPLATE_ID -> "connected " +
                    new ConnectedDecoder().wrapAndApplyHeader(buffer, frame, headerDecoder).correlationId();
                case ReceiptDecoder.TEMPLATE_ID ->
                {
                    final ReceiptDecoder receipt = new ReceiptDecoder().wrapAndApplyHeader(buffer, frame, headerDecoder);
                    receiptEpochs.add(receipt.epoch());
                    yield "receipt " + receipt.sequence();
                }
                case ErrorDecoder.TEMPLATE_ID ->
                    "error " + new ErrorDecoder().wrapAndApplyHeader(buffer, frame, headerDecoder).correlationId();
                default -> "template " + headerDecoder.templateId();
            });
            position = frame + EgressFraming.frameLength(buffer, position);
        }
    }
}
