package io.ringmq.core.state;

import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Unsubscribe detaches one consumer of a session that stays open, as closing the session would detach them all. */
class UnsubscribeTest
{
    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void connect()
    {
        commands.nodeStarted(10_000, 5);
        commands.connect(1, "aeron:ipc", 2001);
        commands.connect(2, "aeron:ipc", 2002);
    }

    @Test
    void itsDeliveriesGoToTheGroupsOtherConsumerAtOnceWithTheNextAttempt()
    {
        commands.subscribe(1, 20, "q", "g", 10);
        commands.subscribe(1, 21, "q", "g", 10); // a second consumer of the same session keeps it open
        commands.publish(2, 30, "q", "a");
        commands.publish(2, 31, "q", "b");
        commands.publish(2, 32, "q", "c");
        sink.drain(); // round robin: a and c to consumer 1, b to consumer 2

        commands.unsubscribe(1, 1);

        assertEquals(List.of(
            "deliver session=1 consumer=2 seq=1 attempt=2 payload=a",
            "deliver session=1 consumer=2 seq=3 attempt=2 payload=c"), sink.drain(),
            "as for a closed session: given back at once, the next attempt, oldest first");
        assertEquals(3, stateMachine.inFlight("q", "g"));
    }

    @Test
    void theGroupStaysAndKeepsItsPlaceWithNoConsumerLeft()
    {
        commands.subscribe(1, 20, "q", "g", 10);
        commands.publish(2, 30, "q", "a");
        commands.publish(2, 31, "q", "b");
        commands.ack(1, 1, 1, 1);
        sink.drain();

        commands.unsubscribe(1, 1);
        commands.publish(2, 32, "q", "c");
        assertEquals(List.of("receipt session=2 corr=32 seq=3"), sink.drain(), "no consumer: nothing delivered");
        assertEquals(0, stateMachine.inFlight("q", "g"));

        commands.subscribe(2, 22, "q", "g", 10);
        assertEquals(List.of(
            "subscribed session=2 corr=22 consumer=2",
            "deliver session=2 consumer=2 seq=2 attempt=2 payload=b",
            "deliver session=2 consumer=2 seq=3 attempt=1 payload=c"), sink.drain(),
            "the group kept what was acked and what was given back");
    }

    @Test
    void itsCreditIsGoneAndLaterCommandsNamingItAreUnknown()
    {
        commands.subscribe(1, 20, "q", "g", 0);
        commands.grant(1, 1, 5);
        commands.publish(2, 30, "q", "a");
        sink.drain();

        commands.unsubscribe(1, 1);
        commands.ack(1, 1, 1, 1);
        commands.grant(1, 1, 1);
        commands.unsubscribe(1, 1);
        assertEquals(List.of(
            "error session=1 corr=0 UNKNOWN_CONSUMER",
            "error session=1 corr=0 UNKNOWN_CONSUMER",
            "error session=1 corr=0 UNKNOWN_CONSUMER"), sink.drain());
    }

    @Test
    void anotherSessionsConsumerOrAnUnknownIdIsRefusedAndChangesNothing()
    {
        commands.subscribe(1, 20, "q", "g", 10);
        commands.publish(2, 30, "q", "a");
        sink.drain();

        commands.unsubscribe(2, 1);
        commands.unsubscribe(1, 99);
        assertEquals(List.of(
            "error session=2 corr=0 UNKNOWN_CONSUMER",
            "error session=1 corr=0 UNKNOWN_CONSUMER"), sink.drain());

        commands.ack(1, 1, 1, 1);
        assertEquals(List.of(), sink.drain(), "consumer 1 still holds its delivery");
        assertEquals(0, stateMachine.inFlight("q", "g"));
    }

    @Test
    void aSessionClosedAfterwardsHasNothingMoreToGiveBack()
    {
        commands.subscribe(1, 20, "q", "g", 10);
        commands.subscribe(1, 21, "q", "g", 10);
        sink.drain();
        commands.unsubscribe(1, 1);
        commands.disconnect(1);
        assertEquals(List.of("closed session=1"), sink.drain());
        commands.subscribe(2, 22, "q", "g", 10);
        commands.publish(2, 30, "q", "a");
        assertEquals(List.of(
            "subscribed session=2 corr=22 consumer=3",
            "receipt session=2 corr=30 seq=1",
            "deliver session=2 consumer=3 seq=1 attempt=1 payload=a"), sink.drain());
    }
}
