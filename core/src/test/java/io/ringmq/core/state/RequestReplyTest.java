package io.ringmq.core.state;

import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 12, request/reply: a request is a message on a queue that carries where its reply goes; the replier's Reply
 * acks it and is routed to the requester's session (dropped and counted once that session is gone) or onto a reply
 * queue, as a message carrying the request's id.
 */
class RequestReplyTest
{
    private static final int REQUESTER = 7;
    private static final int REPLIER = 8;

    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    /** Session 1 requests, session 2 answers as consumer 1 of group g on queue q. */
    private void requesterAndReplier()
    {
        commands.nodeStarted();
        commands.fromTransport(REQUESTER);
        commands.connect(1, "aeron:ipc", 2001);
        commands.fromTransport(REPLIER);
        commands.connect(2, "aeron:ipc", 2002);
        commands.subscribe(2, 3, "q", "g", 10);
        sink.drain();
    }

    @Test
    void aReplyGoesToTheRequestersSessionAndAcksTheRequest()
    {
        requesterAndReplier();
        commands.fromTransport(REQUESTER);
        commands.request(1, 10, "q", "ping", 42, "");
        assertEquals(List.of("receipt session=1 corr=10 seq=1",
            "deliver session=2 consumer=1 seq=1 attempt=1 request=42 payload=ping"), sink.drain());

        commands.fromTransport(REPLIER);
        commands.reply(2, 1, 1, 1, "PONG");
        assertEquals(List.of("replied session=1 request=42 payload=PONG"), sink.drain());
        assertEquals(0, stateMachine.depth("q"), "replying acked the request");
    }

    @Test
    void aReplyForASessionThatIsGoneIsDroppedAndCountedAndAReplyToANonRequestIsRefused()
    {
        requesterAndReplier();
        commands.fromTransport(REQUESTER);
        commands.request(1, 10, "q", "ping", 42, "");
        commands.publish(1, 11, "q", "plain");
        commands.disconnect(1);
        sink.drain();

        commands.fromTransport(REPLIER);
        commands.reply(2, 1, 1, 1, "PONG");
        assertEquals(List.of(), sink.drain());
        assertEquals(1, stateMachine.repliesDropped());
        assertEquals(1, stateMachine.depth("q"), "the request was acked all the same");

        commands.reply(2, 1, 2, 1, "to nobody");
        assertEquals(List.of("error session=2 corr=0 INVALID_ARGUMENT"), sink.drain());
        assertEquals(1, stateMachine.inFlight("q", "g"), "the plain message stays in flight");
    }

    @Test
    void aReplyToAQueueIsAMessageThereCarryingTheRequestIdAndItIsInTheSnapshot()
    {
        requesterAndReplier();
        commands.fromTransport(REQUESTER);
        commands.request(1, 10, "q", "ping", 42, "replies");
        commands.subscribe(1, 11, "replies", "r", 10);
        sink.drain();

        commands.fromTransport(REPLIER);
        commands.reply(2, 1, 1, 1, "PONG");
        assertEquals(List.of("deliver session=1 consumer=2 seq=1 attempt=1 request=42 payload=PONG"), sink.drain());

        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer();
        final int length = stateMachine.writeSnapshot(snapshot, 0);
        assertEquals(stateMachine.describeState(),
            QueueStateMachine.fromSnapshot(snapshot, 0, length, OutputSink.NONE).describeState());
    }

    @Test
    void aRequestNamingAnInvalidReplyQueueIsRefused()
    {
        requesterAndReplier();
        commands.fromTransport(REQUESTER);
        commands.request(1, 10, "q", "ping", 42, "bad name");
        assertEquals(List.of("error session=1 corr=10 INVALID_NAME"), sink.drain());
    }
}
