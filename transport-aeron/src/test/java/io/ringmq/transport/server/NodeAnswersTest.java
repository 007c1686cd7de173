package io.ringmq.transport.server;

import io.aeron.Subscription;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.ErrorDecoder;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.core.protocol.EgressFraming;
import io.ringmq.transport.testing.EmbeddedAeron;
import org.agrona.CloseHelper;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Answers never wait for their requesters: one whose requester is not there is kept and offered again until it is
 * taken or times out, and the answers after it go out meanwhile (a gone requester used to hold up every answer
 * behind it for the whole timeout). The answers' clock is stepped by hand.
 */
class NodeAnswersTest
{
    private static final String CHANNEL = "aeron:ipc?term-length=64k";
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(10);

    private final EmbeddedAeron aeron = new EmbeddedAeron();
    private final CachedNanoClock clock = new CachedNanoClock();
    private final NodeAnswers answers = new NodeAnswers(aeron.aeron(), clock, TIMEOUT_NS);

    @AfterEach
    void close()
    {
        CloseHelper.quietCloseAll(answers, aeron);
    }

    @Test
    void anAnswerWhoseRequesterIsGoneWaitsWithoutHoldingUpTheNext()
    {
        answers.error(CHANNEL, 7001, 1, ErrorCode.NOT_PRIMARY, "to a client that moved on");
        assertTrue(answers.hasPending(), "nobody subscribes to stream 7001: its answer waits");

        try (Subscription requester = aeron.aeron().addSubscription(CHANNEL, 7002))
        {
            answers.error(CHANNEL, 7002, 2, ErrorCode.NOT_PRIMARY, "to a client that is there");
            assertEquals(2, awaitErrorAnswer(requester), "sent while the one before it still waits");
        }

        clock.advance(TIMEOUT_NS - 1);
        answers.sendPending();
        assertTrue(answers.hasPending(), "still within its timeout");
        clock.advance(1);
        assertEquals(1, answers.sendPending(), "let go at its timeout");
        assertFalse(answers.hasPending());
        assertEquals(1, answers.notTaken());
    }

    @Test
    void anAnswerIsTakenByARequesterThatSubscribesWithinTheTimeout()
    {
        answers.error(CHANNEL, 7003, 3, ErrorCode.NOT_PRIMARY, "to a client not there yet");
        assertTrue(answers.hasPending());
        try (Subscription requester = aeron.aeron().addSubscription(CHANNEL, 7003))
        {
            final long deadlineNs = System.nanoTime() + WAIT_NS;
            while (answers.hasPending())
            {
                answers.sendPending();
                if (System.nanoTime() - deadlineNs > 0)
                {
                    fail("the answer was never offered again");
                }
                Thread.yield();
            }
            assertEquals(3, awaitErrorAnswer(requester));
        }
        assertEquals(0, answers.notTaken());
    }

    @Test
    void atMostMaxPendingAnswersWaitUntilTheOldestTimeOut()
    {
        for (int i = 0; i < NodeAnswers.MAX_PENDING; i++)
        {
            assertTrue(answers.hasRoom());
            answers.error(CHANNEL, 7100 + i, i, ErrorCode.NOT_PRIMARY, "to a client that moved on");
        }
        assertFalse(answers.hasRoom(), "each waiting answer holds a publication: they are bounded");

        clock.advance(TIMEOUT_NS);
        assertEquals(NodeAnswers.MAX_PENDING, answers.sendPending());
        assertTrue(answers.hasRoom());
        assertEquals(NodeAnswers.MAX_PENDING, answers.notTaken());
    }

    /** Polls the requester for an Error answer, offering what waits as the responder does; @return its correlation id. */
    private long awaitErrorAnswer(final Subscription requester)
    {
        final long[] correlationId = {-1};
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final ErrorDecoder error = new ErrorDecoder();
        final long deadlineNs = System.nanoTime() + WAIT_NS;
        while (-1 == correlationId[0])
        {
            requester.poll((buffer, offset, length, frameHeader) ->
            {
                final int frameOffset = offset + EgressFraming.LENGTH_PREFIX;
                header.wrap(buffer, frameOffset);
                assertEquals(ErrorDecoder.TEMPLATE_ID, header.templateId(), "an Error frame");
                error.wrapAndApplyHeader(buffer, frameOffset, header);
                correlationId[0] = error.correlationId();
            }, 1);
            answers.sendPending();
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("no answer within " + TimeUnit.NANOSECONDS.toSeconds(WAIT_NS) + " s");
            }
            Thread.yield();
        }
        return correlationId[0];
    }
}
