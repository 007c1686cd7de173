package io.ringmq.core.state;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.StartPoint;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A queue that keeps what it consumed lets each kept message's payload go from memory: the state machine keeps the
 * log sequence of the Publish record holding it and decides every delivery as before; the sink reads the payload
 * back from the journal ({@link PayloadReadBack}). Here the journal is the records {@link Commands} applied, so a test
 * can take a record away and see that the payload really was not in memory any more.
 */
class PayloadEvictionTest
{
    private static final QueuePolicy UNSET = QueuePolicy.UNSET;

    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);
    /** Log sequence of the Publish of "one": the commands before it are counted in the set-up. */
    private static final long ONE_PUBLISHED_AT = 5;

    @BeforeEach
    void threeMessagesConsumedAndKept()
    {
        commands.nodeStarted(1000, 5);                                   // log sequence 1
        commands.connect(1, "aeron:ipc", 2001);                          // 2
        commands.declareQueue(1, 2, "orders", UNSET, 60_000, 0);         // 3
        commands.subscribe(1, 3, "orders", "billing", 10);               // 4, consumer 1
        commands.publish(1, 4, "orders", "one");                         // 5
        commands.publish(1, 5, "orders", "two");                         // 6
        commands.publish(1, 6, "orders", "three");                       // 7
        commands.ack(1, 1, 1, 1);
        commands.ack(1, 1, 2, 1);
        commands.ack(1, 1, 3, 1);
        sink.drain();
    }

    @Test
    void aKeptMessageHoldsOnlyWhereItsPayloadIsAndASeekBackDeliversItReadBack()
    {
        final String state = stateMachine.describeState();
        assertTrue(state.contains("payload=journal@" + ONE_PUBLISHED_AT + "/3"), state);
        assertTrue(state.contains("payload=journal@" + (ONE_PUBLISHED_AT + 2) + "/5"), state);

        commands.seek(1, 10, "orders", "billing", StartPoint.OLDEST, 0);

        assertEquals(List.of(
            "done session=1 corr=10 count=3",
            "deliver session=1 consumer=1 seq=1 attempt=1 payload=one",
            "deliver session=1 consumer=1 seq=2 attempt=1 payload=two",
            "deliver session=1 consumer=1 seq=3 attempt=1 payload=three"), sink.drain());
    }

    @Test
    void withItsRecordGoneTheDeliveryIsNotSentButTheStateMachineDecidedItAsBefore()
    {
        commands.forgetJournalUpTo(ONE_PUBLISHED_AT);

        commands.seek(1, 10, "orders", "billing", StartPoint.OLDEST, 0);

        assertEquals(List.of(
            "done session=1 corr=10 count=3",
            "error session=1 corr=0 GENERIC_ERROR",
            "deliver session=1 consumer=1 seq=2 attempt=1 payload=two",
            "deliver session=1 consumer=1 seq=3 attempt=1 payload=three"), sink.drain());
        assertTrue(sink.lastErrorMessage.contains("log sequence " + ONE_PUBLISHED_AT), sink.lastErrorMessage);
        assertEquals(3, stateMachine.inFlight("orders", "billing"), "in flight all the same: it times out as any");
    }

    @Test
    void aMessageNotYetConsumedKeepsItsPayloadInMemory()
    {
        commands.publish(1, 7, "orders", "four"); // in flight, not kept
        sink.drain();
        commands.forgetJournalUpTo(Long.MAX_VALUE);

        commands.nack(1, 1, 4, 1, NackAction.REQUEUE);

        assertEquals(List.of("deliver session=1 consumer=1 seq=4 attempt=2 payload=four"), sink.drain());
    }

    @Test
    void aQueueThatKeepsNothingNeverNeedsTheJournal()
    {
        commands.declareQueue(1, 20, "plain", UNSET);
        commands.subscribe(1, 21, "plain", "g", 10); // consumer 2
        commands.publish(1, 22, "plain", "x");
        sink.drain();
        commands.forgetJournalUpTo(Long.MAX_VALUE);
        assertEquals(ONE_PUBLISHED_AT, stateMachine.oldestPayloadLogSequence(), "only the kept queue's records");

        commands.nack(1, 2, 1, 1, NackAction.REQUEUE);

        assertEquals(List.of("deliver session=1 consumer=2 seq=1 attempt=2 payload=x"), sink.drain());
        assertFalse(stateMachine.describeState().contains("payload=journal@" + (commands.nowNs())));
    }

    @Test
    void aDeadLetterOfAnEvictedMessageIsReadBackFromTheSamePublishRecord()
    {
        commands.seek(1, 10, "orders", "billing", StartPoint.SEQUENCE, 2);
        sink.drain();
        commands.nack(1, 1, 2, 1, NackAction.REJECT);
        commands.admin(1, 11, AdminAction.BROWSE, "orders.dlq", "", 10);
        final List<String> letter = sink.drain();
        assertTrue(letter.get(letter.size() - 2).matches(
            "browsed session=1 corr=11 seq=1 REJECTED after 1 from orders/billing.* payload=two"), letter.toString());

        commands.admin(1, 12, AdminAction.REDRIVE, "orders.dlq", "", 0);
        final List<String> redriven = sink.drain();
        assertTrue(redriven.contains("deliver session=1 consumer=1 seq=4 attempt=1 payload=two"), redriven.toString());
        assertEquals(ONE_PUBLISHED_AT, stateMachine.oldestPayloadLogSequence());
    }

    @Test
    void aSnapshotCarriesWhereEachPayloadIsAndTheRestoredMachineReadsThemBack()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        final int length = stateMachine.writeSnapshot(buffer, 0);
        final RecordingSink restoredSink = new RecordingSink();
        final QueueStateMachine restored = QueueStateMachine.fromSnapshot(
            buffer, 0, length, new PayloadReadBack(restoredSink, commands.journal()));

        assertEquals(stateMachine.describeState(), restored.describeState());
        final ExpandableArrayBuffer again = new ExpandableArrayBuffer(4096);
        assertEquals(length, restored.writeSnapshot(again, 0));
        assertEquals(buffer.getStringWithoutLengthAscii(0, length), again.getStringWithoutLengthAscii(0, length));
        commands.alsoApplyTo(restored);
        commands.seek(1, 10, "orders", "billing", StartPoint.SEQUENCE, 3);

        assertEquals(List.of(
            "done session=1 corr=10 count=1",
            "deliver session=1 consumer=1 seq=3 attempt=1 payload=three"), restoredSink.drain());
        assertEquals(sink.drain(), List.of(
            "done session=1 corr=10 count=1",
            "deliver session=1 consumer=1 seq=3 attempt=1 payload=three"));
    }
}
