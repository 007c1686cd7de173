package io.ringmq.core.state;

import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.NackAction;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A group declared with its own dispatch strategy and dead-letter queue. */
class GroupSettingsTest
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
        sink.drain();
    }

    @Test
    void aGroupsDeadLettersGoWhereItsDeclarationSays()
    {
        commands.declareGroup(1, 10, "orders", "billing", DispatchStrategy.DEFAULT, "orders.billing.poison");
        commands.subscribe(1, 11, "orders", "billing", 10);
        commands.subscribe(1, 12, "orders", "audit", 10);
        commands.publish(1, 13, "orders", "bad");
        sink.drain();

        commands.nack(1, 1, 1, 1, NackAction.REJECT); // billing rejects
        commands.nack(1, 2, 1, 1, NackAction.REJECT); // audit rejects

        assertEquals(1, stateMachine.depth("orders.billing.poison"));
        assertEquals(1, stateMachine.depth("orders.dlq"), "the undeclared group keeps the default");
    }

    @Test
    void eachGroupDispatchesWithItsOwnStrategy()
    {
        commands.declareGroup(1, 10, "work", "fair", DispatchStrategy.LEAST_OUTSTANDING, "");
        for (final String group : new String[]{"fair", "plain"})
        {
            commands.subscribe(1, 11, "work", group, 10);
            commands.subscribe(2, 12, "work", group, 10);
        }
        commands.publish(1, 20, "work", "m1"); // consumer 1 of each group (1 and 3) gets it
        commands.publish(1, 21, "work", "m2"); // consumer 2 of each group (2 and 4)
        sink.drain();
        commands.ack(2, 2, 2, 1); // in "fair", consumer 2 is now idle; in "plain", consumer 4 acks too
        commands.ack(2, 4, 2, 1);
        commands.publish(1, 22, "work", "m3");

        assertEquals(List.of(
            "receipt session=1 corr=22 seq=3",
            "deliver session=2 consumer=2 seq=3 attempt=1 payload=m3",
            "deliver session=1 consumer=3 seq=3 attempt=1 payload=m3"), sink.drain(),
            "fair: the consumer with none outstanding; plain: the next in turn");
    }

    @Test
    void redeclaringAgreesOrConflictsAndBadNamesAreRefused()
    {
        commands.declareGroup(1, 10, "q", "g", DispatchStrategy.LEAST_OUTSTANDING, "q.poison");
        commands.declareGroup(1, 11, "q", "g", DispatchStrategy.DEFAULT, "");
        commands.declareGroup(1, 12, "q", "g", DispatchStrategy.LEAST_OUTSTANDING, "q.poison");
        commands.declareGroup(1, 13, "q", "g", DispatchStrategy.ROUND_ROBIN, "");
        commands.declareGroup(1, 14, "q", "g", DispatchStrategy.DEFAULT, "elsewhere");
        commands.declareGroup(1, 15, "q", "bad group", DispatchStrategy.DEFAULT, "");
        commands.declareGroup(1, 16, "q", "h", DispatchStrategy.DEFAULT, "bad dlq");
        commands.declareGroup(1, 17, "q", "h", DispatchStrategy.NULL_VAL, "");

        assertEquals(List.of(
            "done session=1 corr=10 count=1",
            "done session=1 corr=11 count=0",
            "done session=1 corr=12 count=0",
            "error session=1 corr=13 SETTINGS_CONFLICT",
            "error session=1 corr=14 SETTINGS_CONFLICT",
            "error session=1 corr=15 INVALID_NAME",
            "error session=1 corr=16 INVALID_NAME",
            "error session=1 corr=17 INVALID_ARGUMENT"), sink.drain());
    }

    /** Issue 11: this was refused as INVALID_NAME, though the name is valid; what is wrong is whose queue it is. */
    @Test
    void aGroupsDeadLetterQueueCannotBeItsOwnQueueAndTheRefusalSaysSo()
    {
        commands.declareGroup(1, 10, "q", "h", DispatchStrategy.DEFAULT, "q");

        assertEquals(List.of("error session=1 corr=10 INVALID_ARGUMENT"), sink.drain());
        assertEquals("dead-letter queue 'q' is the group's own queue: a group's dead-letter queue cannot be its own " +
            "queue (its dead letters would be delivered to it again)", sink.lastErrorMessage);
        assertEquals(List.of(), stateMachine.queueNames(), "a refused declaration creates nothing, not even q");
        assertEquals(-1, stateMachine.inFlight("q", "h"), "no group h");
    }

    @Test
    void aDeclaredGroupStartsAtTheOldestMessageTheQueueHolds()
    {
        commands.publish(1, 10, "q", "early");
        commands.declareGroup(1, 11, "q", "late", DispatchStrategy.DEFAULT, "");
        commands.subscribe(1, 12, "q", "late", 1);

        assertEquals(List.of(
            "receipt session=1 corr=10 seq=1",
            "done session=1 corr=11 count=1",
            "subscribed session=1 corr=12 consumer=1",
            "deliver session=1 consumer=1 seq=1 attempt=1 payload=early"), sink.drain());
    }
}
