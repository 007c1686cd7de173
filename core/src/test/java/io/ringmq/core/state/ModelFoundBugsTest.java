package io.ringmq.core.state;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.StartPoint;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bugs the model-based test (io.ringmq.core.model.StateMachineModelTest) found, as minimal reproductions kept as
 * regression tests. A new finding goes here the same way: a failing test stating the expected behaviour, and, until
 * it is fixed, a ReferenceQueueModel.Deviation listed in StateMachineModelTest.MIRRORED_UNTIL_FIXED.
 */
class ModelFoundBugsTest
{
    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    /**
     * DESIGN: "attempts > maxAttempts → the group's DLQ"; config: max attempts = "deliveries of one message to one
     * group before it moves to &lt;queue&gt;.dlq". Only a visibility timeout checks the limit; a nack REQUEUE gives
     * the message back for attempt 3, 4, ... forever. Model seed: -Dringmq.model.seed=2675 -Dringmq.model.sequences=1
     * -Dringmq.model.strict=GIVE_BACK_IGNORES_MAX_ATTEMPTS.
     */
    @Test
    void requeuePastMaxAttemptsGoesToTheDeadLetterQueue()
    {
        commands.nodeStarted(10_000, 2);
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 20, "q", "g", 10);
        commands.publish(1, 30, "q", "poison");
        commands.nack(1, 1, 1, 1, NackAction.REQUEUE);
        assertEquals(List.of(
            "opened session=1 corr=1 aeron:ipc/2001",
            "subscribed session=1 corr=20 consumer=1",
            "receipt session=1 corr=30 seq=1",
            "deliver session=1 consumer=1 seq=1 attempt=1 payload=poison",
            "deliver session=1 consumer=1 seq=1 attempt=2 payload=poison"), sink.drain());

        commands.nack(1, 1, 1, 2, NackAction.REQUEUE);

        assertEquals(List.of(), sink.drain(), "no attempt 3: max attempts is 2");
        assertEquals(0, stateMachine.depth("q"));
        assertEquals(1, stateMachine.depth("q.dlq"));
    }

    /**
     * The poison message that kills its consumer: each crash (TransportClosed) gives it back without checking max
     * attempts, so it is delivered again and again and never reaches the DLQ.
     */
    @Test
    void deliveryReleasedByADeadClientPastMaxAttemptsGoesToTheDeadLetterQueue()
    {
        commands.nodeStarted(10_000, 1);
        commands.fromTransport(501);
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 20, "q", "g", 10);
        commands.publish(1, 30, "q", "poison");
        commands.fromTransport(502);
        commands.connect(2, "aeron:ipc", 2002);
        commands.subscribe(2, 21, "q", "g", 10);
        sink.drain();

        commands.fromTransport(0);
        commands.transportClosed(501); // the consumer died on attempt 1 of 1

        assertEquals(List.of("closed session=1"), sink.drain(), "no attempt 2: max attempts is 1");
        assertEquals(0, stateMachine.depth("q"));
        assertEquals(1, stateMachine.depth("q.dlq"));
    }

    /**
     * Deadlines that passed are handled first, deliveries follow once time has advanced (the contract stated on
     * onVisibilityExpired) - except that a dead letter made by an expiry is delivered to the DLQ's groups at once,
     * before the expiries after it. Here that puts a never-delivered dead letter ahead of a redelivery of the same
     * group that was due at the same command, against "redeliveries first". Model seed: -Dringmq.model.seed=582
     * -Dringmq.model.sequences=1 -Dringmq.model.strict=DLQ_DELIVERS_WHILE_TIME_ADVANCES.
     */
    @Test
    void deadLetterMadeByAnExpiryDoesNotOvertakeARedeliveryDueAtTheSameTime()
    {
        commands.nodeStarted(10_000, 2);
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 20, "q.dlq", "inspect", 2, 2000);
        commands.subscribe(1, 21, "q", "g", 1, 1000);
        commands.publish(1, 30, "q", "poison");
        commands.tickAfterMs(1000); // poison: attempt 2 of 2, due at +2000 ms, dead-lettered then
        commands.publish(1, 31, "q.dlq", "old"); // q.dlq seq 1: attempt 1, due at +3000 ms
        sink.drain();

        commands.tickAfterMs(2500); // both due: poison first (earlier deadline), then old

        assertEquals(List.of(
            "deliver session=1 consumer=1 seq=1 attempt=2 payload=old",
            "deliver session=1 consumer=1 seq=2 attempt=1 MAX_ATTEMPTS after 2 from q/g payload=poison"), sink.drain());
    }

    /**
     * Queue admin (b355216): purge drops the messages but leaves their sequences in the groups' redelivery FIFOs
     * (drop() says "skipped: deliverReady finds no message for it"), and deliverReady does not skip them: the next
     * delivery to the group throws. Redrive does the same to a letter waiting in a DLQ group's FIFO (not in flight,
     * so it is moved). A journaled command that throws in the dispatcher throws again in every replay. Model seed:
     * -Dringmq.model.seed=946 -Dringmq.model.sequences=1 -Dringmq.model.strict=DROP_LEAVES_STALE_REDELIVERIES.
     */
    @Test
    void purgeWithARedeliveryPendingLeavesTheGroupWorking()
    {
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 20, "q", "g", 1);
        commands.publish(1, 30, "q", "a");
        commands.disconnect(1); // seq 1 waits in g's redelivery FIFO: no consumer left
        commands.connect(2, "aeron:ipc", 2002);
        commands.admin(2, 40, AdminAction.PURGE, "q", "", 0);
        sink.drain();

        commands.subscribe(2, 21, "q", "g", 1);
        commands.publish(2, 31, "q", "b");

        assertEquals(List.of(
            "subscribed session=2 corr=21 consumer=2",
            "receipt session=2 corr=31 seq=2",
            "deliver session=2 consumer=2 seq=2 attempt=1 payload=b"), sink.drain());
    }
    /**
     * A letter redriven to a group that was deleted and declared again with a filter the letter fails: it was held
     * for that group alone (unsettled by it) and the filter hid it from the group, so it was never delivered, never
     * settled, and a seek counted it out while it stayed. A redrive is explicit: the letter goes to its group. Model
     * seed: -Dringmq.model.seed=7773568421950616926 -Dringmq.model.sequences=1 (CI, 2026-12-07).
     */
    @Test
    void letterRedrivenToAGroupDeclaredAgainWithAFilterItFailsIsDeliveredToIt()
    {
        commands.nodeStarted(10_000, 1);
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 20, "q", "g", 1);
        commands.publish(1, 30, "q", "plain"); // no headers
        commands.nack(1, 1, 1, 1, NackAction.REQUEUE); // max attempts 1: to q.dlq
        commands.unsubscribe(1, 1);
        commands.admin(1, 40, AdminAction.DELETE_GROUP, "q", "g", 0, true);
        commands.declareGroupWithFilter(1, 41, "q", "g", "trace-id?");
        commands.admin(1, 42, AdminAction.REDRIVE, "q.dlq", "", 0);
        sink.drain();
        assertEquals(1, stateMachine.depth("q"));

        commands.seek(1, 43, "q", "g", StartPoint.OLDEST, 0);
        commands.subscribe(1, 21, "q", "g", 1);

        final List<String> outputs = sink.drain();
        assertEquals("done session=1 corr=43 count=1", outputs.get(0), "the seek counts the letter the group needs");
        assertEquals("subscribed session=1 corr=21 consumer=2", outputs.get(1));
        assertEquals(3, outputs.size(), outputs.toString());
        assertTrue(outputs.get(2).startsWith("deliver session=1 consumer=2 seq=2 attempt=1") &&
            outputs.get(2).endsWith("payload=plain"), outputs.get(2));
    }
}
