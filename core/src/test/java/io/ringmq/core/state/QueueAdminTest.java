package io.ringmq.core.state;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.NackAction;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Dead-letter inspection, redrive and purge. */
class QueueAdminTest
{
    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void twoPoisonMessagesInTheDeadLetterQueue()
    {
        commands.nodeStarted(1000, 2);
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 20, "orders", "billing", 10);
        commands.publish(1, 30, "orders", "rejected");
        commands.publish(1, 31, "orders", "timed-out");
        commands.nack(1, 1, 1, 1, NackAction.REJECT);
        commands.tickAfterMs(1000); // seq 2: attempt 2
        commands.tickAfterMs(1000); // seq 2: max attempts reached
        sink.drain();
    }

    @Test
    void browseShowsDeadLettersWithWhyAndConsumesNothing()
    {
        commands.admin(1, 40, AdminAction.BROWSE, "orders.dlq", "", 0);

        assertEquals(List.of(
            "browsed session=1 corr=40 seq=1 REJECTED after 1 from orders/billing payload=rejected",
            "browsed session=1 corr=40 seq=2 MAX_ATTEMPTS after 2 from orders/billing payload=timed-out",
            "done session=1 corr=40 count=2"), sink.drain());
        assertEquals(2, stateMachine.depth("orders.dlq"));

        commands.admin(1, 41, AdminAction.BROWSE, "orders.dlq", "audit", 0);
        assertEquals(List.of("done session=1 corr=41 count=0"), sink.drain(), "no letters from group audit");
        commands.admin(1, 42, AdminAction.BROWSE, "orders.dlq", "", 1);
        assertEquals(2, sink.drain().size(), "count limits the browse");
    }

    @Test
    void redriveMovesLettersBackToTheirQueueAsNewMessages()
    {
        commands.admin(1, 40, AdminAction.REDRIVE, "orders.dlq", "", 1);

        assertEquals(List.of(
            "deliver session=1 consumer=1 seq=3 attempt=1 payload=rejected",
            "done session=1 corr=40 count=1"), sink.drain());
        assertEquals(1, stateMachine.depth("orders.dlq"));

        commands.admin(1, 41, AdminAction.REDRIVE, "orders.dlq", "", 0);
        assertEquals(List.of(
            "deliver session=1 consumer=1 seq=4 attempt=1 payload=timed-out",
            "done session=1 corr=41 count=1"), sink.drain());
        assertEquals(0, stateMachine.depth("orders.dlq"));
    }

    @Test
    void redriveLeavesLettersInFlightToADlqConsumerAlone()
    {
        commands.subscribe(1, 21, "orders.dlq", "inspect", 1); // takes seq 1 of the DLQ
        sink.drain();

        commands.admin(1, 40, AdminAction.REDRIVE, "orders.dlq", "", 0);

        assertEquals(List.of(
            "deliver session=1 consumer=1 seq=3 attempt=1 payload=timed-out",
            "done session=1 corr=40 count=1"), sink.drain());
        assertEquals(1, stateMachine.depth("orders.dlq"));
        assertEquals(1, stateMachine.inFlight("orders.dlq", "inspect"));
    }

    @Test
    void purgeDropsEverythingIncludingDeliveriesInFlight()
    {
        commands.publish(1, 32, "orders", "in-flight");
        sink.drain();
        assertEquals(1, stateMachine.inFlight("orders", "billing"));

        commands.admin(1, 40, AdminAction.PURGE, "orders", "", 0);
        assertEquals(List.of("done session=1 corr=40 count=1"), sink.drain());
        assertEquals(0, stateMachine.depth("orders"));
        assertEquals(0, stateMachine.inFlight("orders", "billing"));
        assertEquals(0, stateMachine.pendingTimers());

        commands.ack(1, 1, 3, 1);
        assertEquals(List.of("error session=1 corr=0 STALE_DELIVERY"), sink.drain());
        commands.publish(1, 33, "orders", "after");
        assertEquals(List.of(
            "receipt session=1 corr=33 seq=4",
            "deliver session=1 consumer=1 seq=4 attempt=1 payload=after"), sink.drain());

        commands.admin(1, 41, AdminAction.PURGE, "orders.dlq", "", 0);
        assertEquals(List.of("done session=1 corr=41 count=2"), sink.drain());
    }

    @Test
    void unknownQueueAndBadCountAreRefusedAndAnUnknownSessionIgnored()
    {
        commands.admin(1, 40, AdminAction.BROWSE, "nope.dlq", "", 0);
        commands.admin(1, 41, AdminAction.REDRIVE, "orders.dlq", "", -1);
        commands.admin(9, 42, AdminAction.PURGE, "orders", "", 0);
        assertEquals(List.of(
            "error session=1 corr=40 UNKNOWN_QUEUE",
            "error session=1 corr=41 INVALID_ARGUMENT"), sink.drain());
        assertEquals(List.of("orders", "orders.dlq"), stateMachine.queueNames(), "admin creates no queue");
    }
}
