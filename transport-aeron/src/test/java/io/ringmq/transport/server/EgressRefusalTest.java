package io.ringmq.transport.server;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.ErrorDecoder;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.core.protocol.EgressFraming;
import io.ringmq.transport.testing.EmbeddedAeron;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18, item 3: a refused Connect has no session, yet its client waits on its response channel. The egress answers
 * there with the Error on a publication of the smallest term, closed once sent, reporting no session lost; answers
 * under way are bounded, so refusals cannot make it hold publications without end.
 */
class EgressRefusalTest
{
    private static final long STALL_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int STREAM = 4711;

    private final EmbeddedAeron embedded = new EmbeddedAeron();
    private final Aeron aeron = embedded.aeron();
    private final List<Long> lostSessions = new ArrayList<>();
    private long nowNs;
    private final EgressPublisher egress =
        new EgressPublisher(aeron, () -> nowNs, STALL_NS, 64 * 1024, 8 * 1024, 0, lostSessions::add);

    @AfterEach
    void close()
    {
        egress.closeAll();
        embedded.close();
    }

    @Test
    void theRefusalIsSentOnTheChannelTheClientListensOnAndNoSessionIsLost()
    {
        final List<String> received = new ArrayList<>();
        try (Subscription client = aeron.addSubscription("aeron:ipc?term-length=256m", STREAM))
        {
            egress.onConnectRefused(42, "aeron:ipc?term-length=256m", STREAM, ErrorCode.RESPONSE_TERM_TOO_LARGE,
                "term-length=256m is over the cap");
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.isEmpty())
            {
                egress.flushPending();
                client.poll((buffer, offset, length, header) ->
                {
                    final int frame = offset + EgressFraming.LENGTH_PREFIX;
                    final ErrorDecoder error =
                        new ErrorDecoder().wrapAndApplyHeader(buffer, frame, new MessageHeaderDecoder());
                    received.add(error.correlationId() + " " + error.code() + " " + error.message());
                }, 10);
                assertTrue(System.nanoTime() - deadlineNs < 0, "the answer arrived in time");
                Thread.yield();
            }
        }
        assertEquals(List.of("42 RESPONSE_TERM_TOO_LARGE term-length=256m is over the cap"), received);
        assertFalse(egress.flushPending(), "nothing waits: the answer's publication is closed");
        assertEquals(List.of(), lostSessions, "no session: none lost");
        assertEquals(0, egress.framesNotSent());
    }

    @Test
    void atMostSixteenAnswersAreUnderWayAndOneNobodyTakesEndsAtTheStallTimeout()
    {
        for (int i = 0; i < EgressPublisher.MAX_REFUSALS_PENDING + 1; i++)
        {
            egress.onConnectRefused(i, "aeron:ipc", STREAM, ErrorCode.TOO_MANY_SESSIONS, "full");
        }
        assertEquals(1, egress.framesNotSent(), "the seventeenth: counted, not opened");
        assertTrue(egress.flushPending(), "sixteen answers wait for a client that is not there");

        nowNs += STALL_NS + 1;
        egress.flushPending();
        assertEquals(EgressPublisher.MAX_REFUSALS_PENDING + 1, egress.framesNotSent());
        egress.onConnectRefused(99, "aeron:ipc", STREAM, ErrorCode.TOO_MANY_SESSIONS, "full");
        assertEquals(EgressPublisher.MAX_REFUSALS_PENDING + 1, egress.framesNotSent(), "room again");
        assertEquals(List.of(), lostSessions);
    }
}
