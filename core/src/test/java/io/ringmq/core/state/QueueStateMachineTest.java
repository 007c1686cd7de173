package io.ringmq.core.state;

import io.ringmq.codecs.NackAction;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueueStateMachineTest
{
    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @Test
    void connectOpensSessionsWithIncreasingIds()
    {
        commands.connect(7, "aeron:ipc", 2001);
        commands.connect(8, "aeron:ipc", 2002);

        assertEquals(List.of(
            "opened session=1 corr=7 aeron:ipc/2001",
            "opened session=2 corr=8 aeron:ipc/2002"), sink.drain());
        assertEquals(2, stateMachine.sessionCount());
    }

    @Test
    void publishCreatesQueueOnFirstUseAndReceiptsSequencesFromOne()
    {
        commands.connect(1, "aeron:ipc", 2001);
        sink.drain();

        commands.publish(1, 10, "orders", "a");
        commands.publish(1, 11, "orders", "b");
        commands.publish(1, 12, "trades", "c");

        assertEquals(List.of(
            "receipt session=1 corr=10 seq=1",
            "receipt session=1 corr=11 seq=2",
            "receipt session=1 corr=12 seq=1"), sink.drain());
        assertEquals(List.of("orders", "trades"), stateMachine.queueNames());
        assertEquals(2, stateMachine.depth("orders"));
    }

    @Test
    void subscriberReceivesWaitingMessagesInOrderAndAckRemovesThem()
    {
        commands.connect(1, "aeron:ipc", 2001);
        commands.publish(1, 10, "orders", "a");
        commands.publish(1, 11, "orders", "b");
        sink.drain();

        commands.subscribe(1, 20, "orders", "workers", 10);
        assertEquals(List.of(
            "subscribed session=1 corr=20 consumer=1",
            "deliver session=1 consumer=1 seq=1 attempt=1 payload=a",
            "deliver session=1 consumer=1 seq=2 attempt=1 payload=b"), sink.drain());

        commands.ack(1, 1, 1, 1);
        assertEquals(List.of(), sink.drain());
        assertEquals(1, stateMachine.depth("orders"));
        assertEquals(1, stateMachine.inFlight("orders", "workers"));

        commands.ack(1, 1, 2, 1);
        assertEquals(0, stateMachine.depth("orders"));
        assertEquals(0, stateMachine.inFlight("orders", "workers"));
    }

    @Test
    void prefetchBoundsDeliveriesInFlightAndAckReleasesTheNext()
    {
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 20, "q", "g", 2);
        for (int i = 0; i < 4; i++)
        {
            commands.publish(1, 100 + i, "q", "m" + i);
        }
        final List<String> outputs = sink.drain();
        assertEquals(2, outputs.stream().filter(o -> o.startsWith("deliver")).count(), outputs::toString);

        commands.ack(1, 1, 1, 1);
        assertEquals(List.of("deliver session=1 consumer=1 seq=3 attempt=1 payload=m2"), sink.drain());
    }

    @Test
    void consumersOfOneGroupCompeteRoundRobin()
    {
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 20, "q", "g", 10);
        commands.subscribe(1, 21, "q", "g", 10);
        sink.drain();

        commands.publish(1, 30, "q", "x");
        commands.publish(1, 31, "q", "y");

        assertEquals(List.of(
            "receipt session=1 corr=30 seq=1",
            "deliver session=1 consumer=1 seq=1 attempt=1 payload=x",
            "receipt session=1 corr=31 seq=2",
            "deliver session=1 consumer=2 seq=2 attempt=1 payload=y"), sink.drain());
    }

    @Test
    void everyGroupGetsEveryMessageAndMessageIsFreedOnlyWhenAllGroupsAck()
    {
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 20, "q", "billing", 10);
        commands.subscribe(1, 21, "q", "audit", 10);
        sink.drain();

        commands.publish(1, 30, "q", "x");
        assertEquals(List.of(
            "receipt session=1 corr=30 seq=1",
            "deliver session=1 consumer=1 seq=1 attempt=1 payload=x",
            "deliver session=1 consumer=2 seq=1 attempt=1 payload=x"), sink.drain());

        commands.ack(1, 1, 1, 1);
        assertEquals(1, stateMachine.depth("q"));
        commands.ack(1, 2, 1, 1);
        assertEquals(0, stateMachine.depth("q"));
    }

    @Test
    void newGroupStartsAtOldestRetainedMessageSkippingFreedOnes()
    {
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 20, "q", "first", 10);
        commands.publish(1, 30, "q", "a");
        commands.publish(1, 31, "q", "b");
        commands.publish(1, 32, "q", "c");
        commands.ack(1, 1, 2, 1); // frees seq 2: no other group needs it
        sink.drain();

        commands.subscribe(1, 21, "q", "second", 10);

        assertEquals(List.of(
            "subscribed session=1 corr=21 consumer=2",
            "deliver session=1 consumer=2 seq=1 attempt=1 payload=a",
            "deliver session=1 consumer=2 seq=3 attempt=1 payload=c"), sink.drain());
    }

    @Test
    void disconnectMakesInFlightVisibleAgainWithNextAttempt()
    {
        commands.connect(1, "aeron:ipc", 2001);
        commands.connect(2, "aeron:ipc", 2002);
        commands.subscribe(1, 20, "q", "g", 10);
        commands.publish(2, 30, "q", "a");
        commands.publish(2, 31, "q", "b");
        commands.subscribe(2, 21, "q", "g", 10);
        sink.drain();

        commands.disconnect(1);

        assertEquals(List.of(
            "closed session=1",
            "deliver session=2 consumer=2 seq=1 attempt=2 payload=a",
            "deliver session=2 consumer=2 seq=2 attempt=2 payload=b"), sink.drain());
    }

    @Test
    void ackOfAStaleDeliveryIsRefusedAndChangesNothing()
    {
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 20, "q", "g", 10);
        commands.publish(1, 30, "q", "a");
        commands.nack(1, 1, 1, 1, NackAction.REQUEUE); // redelivered at once as attempt 2
        sink.drain();

        commands.ack(1, 1, 1, 1);

        assertEquals(List.of("error session=1 corr=0 STALE_DELIVERY"), sink.drain());
        assertEquals(1, stateMachine.inFlight("q", "g"));
        commands.ack(1, 1, 1, 2);
        assertEquals(0, stateMachine.depth("q"));
    }

    @Test
    void ackFromAnotherSessionIsRefused()
    {
        commands.connect(1, "aeron:ipc", 2001);
        commands.connect(2, "aeron:ipc", 2002);
        commands.subscribe(1, 20, "q", "g", 10);
        commands.publish(1, 30, "q", "a");
        sink.drain();

        commands.ack(2, 1, 1, 1);

        assertEquals(List.of("error session=2 corr=0 UNKNOWN_CONSUMER"), sink.drain());
        assertEquals(1, stateMachine.inFlight("q", "g"));
    }

    @Test
    void rejectMovesTheMessageToTheDeadLetterQueue()
    {
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 20, "q", "g", 10);
        commands.publish(1, 30, "q", "poison");
        commands.nack(1, 1, 1, 1, NackAction.REJECT);
        sink.drain();

        assertEquals(0, stateMachine.depth("q"));
        assertEquals(1, stateMachine.depth("q.dlq"));
        commands.subscribe(1, 21, "q.dlq", "inspect", 10);
        assertEquals(List.of(
            "subscribed session=1 corr=21 consumer=2",
            "deliver session=1 consumer=2 seq=1 attempt=1 REJECTED after 1 from q/g payload=poison"), sink.drain());
    }

    @Test
    void badNamesGetErrorsAndUnknownSessionsNothingAndNeitherCreatesAnything()
    {
        commands.connect(1, "aeron:ipc", 2001);
        sink.drain();

        commands.publish(1, 30, "bad name", "a");
        commands.publish(1, 31, "", "a");
        commands.publish(99, 32, "q", "a");
        commands.subscribe(1, 33, "q", "bad/group", 1);
        commands.subscribe(1, 34, "q", "g", -1);
        commands.subscribe(99, 35, "other", "g", 1);

        assertEquals(List.of(
            "error session=1 corr=30 INVALID_NAME",
            "error session=1 corr=31 INVALID_NAME",
            "error session=1 corr=33 INVALID_NAME",
            "error session=1 corr=34 INVALID_ARGUMENT"), sink.drain());
        assertEquals(2, stateMachine.foreignCommands());
        assertEquals(List.of(), stateMachine.queueNames(), "a refused subscribe creates no queue");
    }

    @Test
    void nodeStartedClosesEverySessionOfThePreviousRun()
    {
        commands.connect(1, "aeron:ipc", 2001);
        commands.connect(2, "aeron:ipc", 2002);
        commands.subscribe(1, 20, "q", "g", 10);
        commands.publish(2, 30, "q", "a");
        sink.drain();

        commands.nodeStarted();

        assertEquals(List.of("closed session=1", "closed session=2"), sink.drain());
        assertEquals(0, stateMachine.sessionCount());
        assertEquals(0, stateMachine.inFlight("q", "g"));
        assertEquals(1, stateMachine.depth("q"));

        commands.connect(3, "aeron:ipc", 2003);
        commands.subscribe(3, 21, "q", "g", 10);
        assertTrue(sink.drain().contains("deliver session=3 consumer=2 seq=1 attempt=2 payload=a"));
    }

    @Test
    void transportClosedClosesOnlyTheSessionsOfThatClient()
    {
        commands.fromTransport(501);
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 20, "q", "g", 10);
        commands.fromTransport(502);
        commands.connect(2, "aeron:ipc", 2002);
        commands.publish(2, 30, "q", "a");
        commands.subscribe(2, 21, "q", "g", 10);
        sink.drain();

        commands.fromTransport(0);
        commands.transportClosed(501);

        assertEquals(List.of(
            "closed session=1",
            "deliver session=2 consumer=2 seq=1 attempt=2 payload=a"), sink.drain());
        assertEquals(1, stateMachine.sessionCount());
    }

    @Test
    void sameCommandsGiveSameOutputs()
    {
        final RecordingSink otherSink = new RecordingSink();
        final QueueStateMachine other = new QueueStateMachine(otherSink);
        for (final Commands c : List.of(commands, new Commands(other)))
        {
            c.connect(1, "aeron:ipc", 2001);
            c.subscribe(1, 2, "q", "g", 3);
            c.subscribe(1, 3, "q", "g", 3);
            for (int i = 0; i < 20; i++)
            {
                c.publish(1, 10 + i, "q", "m" + i);
            }
            c.ack(1, 1, 1, 1);
            c.nack(1, 2, 2, 1, NackAction.REQUEUE);
            c.tickAfterMs(30_000);
            c.tickAfterMs(30_000);
            c.disconnect(1);
        }
        assertEquals(sink.outputs, otherSink.outputs);
        assertTrue(sink.outputs.size() > 20);
    }
}
