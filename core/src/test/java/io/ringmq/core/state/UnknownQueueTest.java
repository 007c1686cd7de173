package io.ringmq.core.state;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 15: a command that is refused creates nothing, and only the commands meant to create a queue (publish,
 * declare, a subscribe that asks to) create one; the others refuse a queue that does not exist with UNKNOWN_QUEUE.
 * Frames of schema version 6 keep what they did, so that older journals replay exactly.
 */
class UnknownQueueTest
{
    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void connected()
    {
        commands.nodeStarted();
        commands.connect(1, "aeron:ipc", 2001);
        sink.drain();
    }

    @Test
    void aSubscribeThatDoesNotAskToCreateIsRefusedForAnUnknownQueueAndCreatesNothing()
    {
        commands.subscribe(1, 10, "nope", "g", 1, 0, false);

        assertEquals(List.of("error session=1 corr=10 UNKNOWN_QUEUE"), sink.drain());
        assertEquals("queue 'nope' does not exist (a subscribe that asks to create it does)", sink.lastErrorMessage);
        assertEquals(List.of(), stateMachine.queueNames());

        commands.publish(1, 11, "nope", "a"); // a publish creates it
        commands.subscribe(1, 12, "nope", "g", 1, 0, false);
        assertEquals(List.of("receipt session=1 corr=11 seq=1", "subscribed session=1 corr=12 consumer=1",
            "deliver session=1 consumer=1 seq=1 attempt=1 payload=a"), sink.drain(), "an existing queue is fine");
    }

    @Test
    void aSubscribeThatAsksToCreateCreatesTheQueueButNotWhenItIsRefused()
    {
        commands.subscribe(1, 10, "q", "bad/group", 1, 0, true);
        commands.subscribe(1, 11, "q", "g", -1, 0, true);
        assertEquals(List.of("error session=1 corr=10 INVALID_NAME", "error session=1 corr=11 INVALID_ARGUMENT"),
            sink.drain());
        assertEquals(List.of(), stateMachine.queueNames(), "refused: no queue");

        commands.subscribe(1, 12, "q", "g", 1, 0, true);
        assertEquals(List.of("subscribed session=1 corr=12 consumer=1"), sink.drain());
        assertEquals(List.of("q"), stateMachine.queueNames());
    }

    @Test
    void browsePurgeRedriveAndStatsOfAnUnknownQueueAreRefusedAndCreateNothing()
    {
        commands.admin(1, 10, AdminAction.BROWSE, "nope.dlq", "", 0);
        commands.admin(1, 11, AdminAction.PURGE, "nope.dlq", "", 0);
        commands.admin(1, 12, AdminAction.REDRIVE, "nope.dlq", "", 0);
        commands.admin(1, 13, AdminAction.STATS, "nope", "", 0);

        assertEquals(List.of("error session=1 corr=10 UNKNOWN_QUEUE", "error session=1 corr=11 UNKNOWN_QUEUE",
            "error session=1 corr=12 UNKNOWN_QUEUE", "error session=1 corr=13 UNKNOWN_QUEUE"), sink.drain());
        assertEquals("queue 'nope' does not exist", sink.lastErrorMessage);
        assertEquals(List.of(), stateMachine.queueNames());
    }

    @Test
    void aRefusedGroupDeclarationCreatesNeitherItsQueueNorItsGroup()
    {
        commands.declareGroup(1, 10, "q", "g", DispatchStrategy.DEFAULT, "bad name");
        commands.declareGroup(1, 11, "q", "g", DispatchStrategy.DEFAULT, "q");
        commands.declareGroup(1, 12, "q", "bad/group", DispatchStrategy.DEFAULT, "");
        commands.declareGroup(1, 13, "q", "g", DispatchStrategy.NULL_VAL, "");
        commands.declareGroup(1, 14, "r", "g", DispatchStrategy.DEFAULT, "q");
        commands.declareGroup(1, 15, "q", "g", DispatchStrategy.DEFAULT, "r"); // q -> r -> q: a cycle

        assertEquals(List.of(
            "error session=1 corr=10 INVALID_NAME",
            "error session=1 corr=11 INVALID_ARGUMENT",
            "error session=1 corr=12 INVALID_NAME",
            "error session=1 corr=13 INVALID_ARGUMENT",
            "done session=1 corr=14 count=1",
            "error session=1 corr=15 INVALID_ARGUMENT"), sink.drain());
        assertEquals("dead-letter queue 'r' would make a dead-letter cycle: r (group g) -> q (group g) -> r: a " +
            "message failing in it would be copied round it without end", sink.lastErrorMessage);
        assertEquals(List.of("r"), stateMachine.queueNames(), "only the accepted declaration created its queue");
        assertEquals(-1, stateMachine.inFlight("q", "g"));

        commands.declareGroup(1, 16, "q", "g", DispatchStrategy.DEFAULT, "");
        assertEquals(List.of("done session=1 corr=16 count=1"), sink.drain());
        assertEquals(List.of("r", "q"), stateMachine.queueNames());
        assertEquals(0, stateMachine.inFlight("q", "g"));
    }

    @Test
    void aRefusedQueueDeclarationCreatesNothing()
    {
        commands.declareQueue(1, 10, "bad name", QueuePolicy.UNSET);
        assertEquals(List.of("error session=1 corr=10 INVALID_NAME"), sink.drain());
        assertEquals(List.of(), stateMachine.queueNames());
    }

    /** An older journal replays as its run went: a version 6 Subscribe created its queue, first, refused or not. */
    @Test
    void aVersion6SubscribeCreatesItsQueueEvenWhenTheRestIsRefused()
    {
        commands.subscribeAsVersion6(1, 10, "q", "bad/group", 1);
        commands.subscribeAsVersion6(1, 11, "r", "g", 1);

        assertEquals(List.of("error session=1 corr=10 INVALID_NAME", "subscribed session=1 corr=11 consumer=1"),
            sink.drain());
        assertEquals(List.of("q", "r"), stateMachine.queueNames());
    }

    /** An older journal replays as its run went: a refused version 6 DeclareGroup created its queue. */
    @Test
    void aRefusedVersion6GroupDeclarationStillCreatesItsQueue()
    {
        commands.declareGroupAsVersion6(1, 10, "q", "g", DispatchStrategy.DEFAULT, "q");

        assertEquals(List.of("error session=1 corr=10 INVALID_ARGUMENT"), sink.drain());
        assertEquals(List.of("q"), stateMachine.queueNames());
        assertEquals(-1, stateMachine.inFlight("q", "g"), "no group");
    }
}
