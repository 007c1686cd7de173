package io.ringmq.daemon.replication;

import io.aeron.Subscription;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.NodeAdminAction;
import io.ringmq.codecs.NodeStatusDecoder;
import io.ringmq.core.protocol.EgressFraming;
import io.ringmq.transport.NodeStatus;
import io.ringmq.transport.server.NodeAnswers;
import io.ringmq.transport.testing.EmbeddedAeron;
import org.agrona.CloseHelper;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The node-admin responder answers a request whose requester is there while answers to requesters that have gone
 * still wait. Found by FailoverFaultIT's switchover rounds (issue 14): after a drain of about 5 s, the new standby read
 * the Connects its clients had sent while it drained, long after they had moved on to the other node, and answered
 * them one after another, each waiting 5 s for a requester that was gone; the status requests behind them went
 * unanswered for over a minute ("last status null").
 * <p>
 * The answers' clock stands still here, so an answer to a gone requester never times out: before the fix the status
 * answer behind it never came.
 */
class NodeAdminResponderTest
{
    private static final String ANSWER_CHANNEL = "aeron:ipc?term-length=64k";
    private static final int GONE_STREAM_BASE = 7100;
    private static final int LIVE_STREAM = 7200;
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final NodeStatus STANDBY_STATUS =
        new NodeStatus(NodeStatus.STANDBY, 9, 1719, 0x5EED, 0, 0, true, "localhost:1", true, true);

    private final EmbeddedAeron aeron = new EmbeddedAeron();
    private final CachedNanoClock answersClock = new CachedNanoClock();
    private final NodeAdminResponder responder = new NodeAdminResponder(new StandbyNode(),
        new NodeAnswers(aeron.aeron(), answersClock, TimeUnit.SECONDS.toNanos(5)));

    @AfterEach
    void close()
    {
        answersClock.advance(TimeUnit.MINUTES.toNanos(1)); // every answer still waiting times out: the thread ends
        CloseHelper.quietCloseAll(responder, aeron);
    }

    @Test
    void aStatusIsAnsweredWhileAnswersToConnectsWhoseClientsHaveGoneStillWait()
    {
        final int goneClients = 4;
        for (int i = 0; i < goneClients; i++) // nobody subscribes to their answer streams: the clients moved on
        {
            assertTrue(responder.onConnectToStandby(i, ANSWER_CHANNEL, GONE_STREAM_BASE + i));
        }
        try (Subscription requester = aeron.aeron().addSubscription(ANSWER_CHANNEL, LIVE_STREAM))
        {
            final long correlationId = 42;
            assertTrue(responder.onNodeAdmin(correlationId, NodeAdminAction.STATUS, false, ANSWER_CHANNEL,
                LIVE_STREAM));

            assertEquals(correlationId, awaitStatusAnswer(requester), "the status answer's correlation id");
        }
    }

    /** Polls the requester's subscription for the NodeStatus answer; @return its correlation id. */
    private static long awaitStatusAnswer(final Subscription requester)
    {
        final long[] correlationId = {-1};
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final NodeStatusDecoder status = new NodeStatusDecoder();
        final long deadlineNs = System.nanoTime() + WAIT_NS;
        while (-1 == correlationId[0])
        {
            requester.poll((buffer, offset, length, frameHeader) ->
            {
                final int frameOffset = offset + EgressFraming.LENGTH_PREFIX;
                header.wrap(buffer, frameOffset);
                assertEquals(NodeStatusDecoder.TEMPLATE_ID, header.templateId(), "a NodeStatus frame");
                status.wrapAndApplyHeader(buffer, frameOffset, header);
                correlationId[0] = status.correlationId();
            }, 1);
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("no status answer within " + TimeUnit.NANOSECONDS.toSeconds(WAIT_NS) + " s: it waits behind " +
                    "answers to requesters that have gone");
            }
            Thread.yield();
        }
        return correlationId[0];
    }

    /** A standby that answers every status at once. */
    private static final class StandbyNode implements NodeAdminResponder.Node
    {
        public NodeStatus status()
        {
            return STANDBY_STATUS;
        }

        public String promote(final boolean force)
        {
            return "not in this test";
        }

        public String switchover()
        {
            return "not in this test";
        }

        public String primaryEndpoint()
        {
            return "localhost:1";
        }
    }
}
