package io.ringmq.core.state;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.QueryKind;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Deleting a queue or a group: refused while consumers are attached unless forced; what they held goes. */
class DeleteQueueAndGroupTest
{
    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void ordersWithAWorkingGroupAndAForgottenOne()
    {
        commands.nodeStarted(1000, 1);
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 20, "orders", "billing", 10);
        commands.subscribe(1, 21, "orders", "oneoff", 10); // consumer 2: a one-off consume --group oneoff
        commands.unsubscribe(1, 2);                        // ... that exited: its group stays
        commands.publish(1, 30, "orders", "first");
        commands.publish(1, 31, "orders", "second");
        commands.ack(1, 1, 1, 1);
        commands.nack(1, 1, 2, 1, NackAction.REJECT); // billing is done with both; oneoff pins them
        sink.drain();
    }

    @Test
    void deletingAGroupThatPinsMessagesFreesThem()
    {
        assertEquals(2, stateMachine.depth("orders"), "pinned by the group nobody consumes");

        commands.admin(1, 40, AdminAction.DELETE_GROUP, "orders", "oneoff", 0);

        assertEquals(List.of("done session=1 corr=40 count=2"), sink.drain());
        assertEquals(0, stateMachine.depth("orders"));
        commands.query(1, 41, QueryKind.GROUPS, "orders", 0, 0);
        assertEquals(List.of(
            "group session=1 corr=41 queue=orders name=billing lag=0 consumers=1 inFlight=0 strategy=ROUND_ROBIN " +
                "dlq=orders.dlq",
            "done session=1 corr=41 count=1"), sink.drain());
    }

    @Test
    void aMessageAnotherGroupStillNeedsStays()
    {
        commands.publish(1, 32, "orders", "third"); // in flight to billing
        sink.drain();

        commands.admin(1, 40, AdminAction.DELETE_GROUP, "orders", "oneoff", 0);

        assertEquals(List.of("done session=1 corr=40 count=2"), sink.drain());
        assertEquals(1, stateMachine.depth("orders"));
        commands.ack(1, 1, 3, 1);
        assertEquals(0, stateMachine.depth("orders"));
        assertEquals(List.of(), sink.drain());
    }

    @Test
    void aGroupWithConsumersIsDeletedOnlyWhenForcedAndItsConsumersGo()
    {
        commands.admin(1, 40, AdminAction.DELETE_GROUP, "orders", "billing", 0);
        commands.admin(1, 41, AdminAction.DELETE_GROUP, "orders", "nobody", 0);
        assertEquals(List.of(
            "error session=1 corr=40 HAS_CONSUMERS",
            "error session=1 corr=41 UNKNOWN_GROUP"), sink.drain());

        commands.publish(1, 32, "orders", "third"); // in flight to billing's consumer 1
        sink.drain();
        commands.admin(1, 42, AdminAction.DELETE_GROUP, "orders", "billing", 0, true);
        assertEquals(List.of("done session=1 corr=42 count=0"), sink.drain(), "oneoff still needs all three");

        commands.ack(1, 1, 3, 1);
        assertEquals(List.of("error session=1 corr=0 UNKNOWN_CONSUMER"), sink.drain());
        commands.tickAfterMs(5000); // the delivery's deadline went with its group
        assertEquals(List.of(), sink.drain());
        assertEquals(3, stateMachine.depth("orders"));
    }

    @Test
    void deletingAQueueIsRefusedWithConsumersUnlessForcedAndFreesItsName()
    {
        commands.admin(1, 40, AdminAction.DELETE_QUEUE, "orders", "", 0);
        assertEquals(List.of("error session=1 corr=40 HAS_CONSUMERS"), sink.drain());

        commands.admin(1, 41, AdminAction.DELETE_QUEUE, "orders", "", 0, true);
        assertEquals(List.of("done session=1 corr=41 count=2"), sink.drain());
        assertEquals(List.of("orders.dlq"), stateMachine.queueNames(), "its dead-letter queue is a queue of its own");

        commands.admin(1, 42, AdminAction.DELETE_QUEUE, "orders", "", 0);
        assertEquals(List.of("error session=1 corr=42 UNKNOWN_QUEUE"), sink.drain());
        commands.ack(1, 1, 1, 1);
        assertEquals(List.of("error session=1 corr=0 UNKNOWN_CONSUMER"), sink.drain());

        commands.publish(1, 50, "orders", "again");
        assertEquals(List.of("receipt session=1 corr=50 seq=1"), sink.drain(), "a new queue, from sequence 1");
    }

    @Test
    void aMistypedQueueIsDeleted()
    {
        commands.publish(1, 50, "ordres", "oops");
        sink.drain();

        commands.admin(1, 51, AdminAction.DELETE_QUEUE, "ordres", "", 0);

        assertEquals(List.of("done session=1 corr=51 count=1"), sink.drain());
        assertEquals(List.of("orders", "orders.dlq"), stateMachine.queueNames());
    }

    @Test
    void aDeleteReplaysToTheSameStateAndASnapshotOfItRestores()
    {
        commands.admin(1, 40, AdminAction.DELETE_GROUP, "orders", "oneoff", 0);
        commands.publish(1, 41, "ordres", "oops");
        commands.admin(1, 42, AdminAction.DELETE_QUEUE, "ordres", "", 0);
        final long digest = stateMachine.digest(new StateDigest());

        final org.agrona.ExpandableArrayBuffer snapshot = new org.agrona.ExpandableArrayBuffer();
        final int length = stateMachine.writeSnapshot(snapshot, 0);
        final QueueStateMachine restored = QueueStateMachine.fromSnapshot(snapshot, 0, length, new RecordingSink());

        assertEquals(digest, restored.digest(new StateDigest()));
    }
}
