package io.ringmq.core.state;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.LimitAction;
import io.ringmq.codecs.NackAction;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Per-queue limits: a maximum age and a maximum number of messages or payload bytes. What passes one is
 * dead-lettered, dropped or (size limits only) refused, and always counted: never lost silently.
 */
class QueueLimitsTest
{
    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void connect()
    {
        commands.nodeStarted(10_000, 5);
        commands.connect(1, "aeron:ipc", 2001);
        sink.drain();
    }

    private void limit(final String pattern, final QueueLimits limits)
    {
        commands.queueRule(pattern, QueuePolicy.UNSET.withLimits(limits));
    }

    private static QueueLimits maxMessages(final long maxMessages, final LimitAction overflow)
    {
        return new QueueLimits(0, maxMessages, 0, LimitAction.DEFAULT, overflow);
    }

    private static QueueLimits maxAgeMs(final long maxAgeMs, final LimitAction expired)
    {
        return new QueueLimits(maxAgeMs, 0, 0, expired, LimitAction.DEFAULT);
    }

    private List<String> browse(final String queue)
    {
        return browse(1, queue);
    }

    private List<String> browse(final long sessionId, final String queue)
    {
        sink.drain();
        commands.admin(sessionId, 99, AdminAction.BROWSE, queue, "", 0);
        return sink.drain();
    }

    @Test
    void aFullQueueDeadLettersItsOldestMessageToEachGroupThatHasNotSettledIt()
    {
        limit("q", maxMessages(2, LimitAction.DEAD_LETTER));
        commands.subscribe(1, 10, "q", "g", 0); // a pull consumer that pulls nothing: everything stays
        commands.publish(1, 11, "q", "a");
        commands.publish(1, 12, "q", "b");
        commands.publish(1, 13, "q", "c");

        assertEquals(List.of("subscribed session=1 corr=10 consumer=1", "receipt session=1 corr=11 seq=1",
            "receipt session=1 corr=12 seq=2", "receipt session=1 corr=13 seq=3"), sink.drain());
        assertEquals(2, stateMachine.depth("q"));
        assertEquals(List.of("browsed session=1 corr=99 seq=1 OVERFLOW after 0 from q/g payload=a",
            "done session=1 corr=99 count=1"), browse("q.dlq"));
        assertEquals(new QueueCounters(2, 2, 0, 1, 0, 0), stateMachine.counters("q"));
    }

    @Test
    void dropTakesTheOldestAwayAndCountsIt()
    {
        limit("q", maxMessages(1, LimitAction.DROP));
        commands.subscribe(1, 10, "q", "g", 0);
        commands.publish(1, 11, "q", "a");
        commands.publish(1, 12, "q", "b");

        assertEquals(-1, stateMachine.depth("q.dlq"), "no dead-letter queue is made");
        assertEquals(new QueueCounters(1, 1, 0, 1, 1, 0), stateMachine.counters("q"));
        commands.grant(1, 1, 5);
        assertEquals(List.of("subscribed session=1 corr=10 consumer=1", "receipt session=1 corr=11 seq=1",
            "receipt session=1 corr=12 seq=2", "deliver session=1 consumer=1 seq=2 attempt=1 payload=b"),
            sink.drain());
    }

    @Test
    void rejectPublishRefusesNewMessagesUntilThereIsRoomAgain()
    {
        limit("q", maxMessages(1, LimitAction.REJECT_PUBLISH));
        commands.subscribe(1, 10, "q", "g", 1);
        commands.publish(1, 11, "q", "a");
        commands.publish(1, 12, "q", "b");
        commands.ack(1, 1, 1, 1);
        commands.publish(1, 13, "q", "c");

        assertEquals(List.of(
            "subscribed session=1 corr=10 consumer=1",
            "receipt session=1 corr=11 seq=1",
            "deliver session=1 consumer=1 seq=1 attempt=1 payload=a",
            "error session=1 corr=12 QUEUE_FULL",
            "receipt session=1 corr=13 seq=2",
            "deliver session=1 consumer=1 seq=2 attempt=1 payload=c"), sink.drain());
        assertEquals(new QueueCounters(1, 1, 0, 0, 0, 1), stateMachine.counters("q"));
    }

    @Test
    void theByteLimitCountsPayloadsAndRefusesAMessageThatCouldNeverFit()
    {
        limit("q", new QueueLimits(0, 0, 10, LimitAction.DEFAULT, LimitAction.DROP));
        commands.publish(1, 11, "q", "12345");
        commands.publish(1, 12, "q", "1234");
        commands.publish(1, 13, "q", "123"); // 12 bytes: the oldest (5) goes
        commands.publish(1, 14, "q", "12345678901"); // 11 bytes never fit

        assertEquals(List.of("receipt session=1 corr=11 seq=1", "receipt session=1 corr=12 seq=2",
            "receipt session=1 corr=13 seq=3", "error session=1 corr=14 QUEUE_FULL"), sink.drain());
        assertEquals(new QueueCounters(2, 7, 0, 1, 1, 1), stateMachine.counters("q"));
    }

    @Test
    void aDeliveryInFlightThatIsPushedOutEndsAndItsAckIsStale()
    {
        limit("q", maxMessages(1, LimitAction.DEAD_LETTER));
        commands.subscribe(1, 10, "q", "g", 1);
        commands.publish(1, 11, "q", "a");
        commands.publish(1, 12, "q", "b");
        commands.ack(1, 1, 1, 1);

        assertEquals(List.of(
            "subscribed session=1 corr=10 consumer=1",
            "receipt session=1 corr=11 seq=1",
            "deliver session=1 consumer=1 seq=1 attempt=1 payload=a",
            "receipt session=1 corr=12 seq=2",
            "deliver session=1 consumer=1 seq=2 attempt=1 payload=b",
            "error session=1 corr=0 STALE_DELIVERY"), sink.drain());
        assertEquals(List.of("browsed session=1 corr=99 seq=1 OVERFLOW after 1 from q/g payload=a",
            "done session=1 corr=99 count=1"), browse("q.dlq"));
        assertEquals(1, stateMachine.inFlight("q", "g"));
    }

    @Test
    void messagesLeaveAtTheirMaximumAgeExactlyAndTimeIsAskedForOnlyWhileOneIsHeld()
    {
        limit("q", maxAgeMs(1_000, LimitAction.DEAD_LETTER));
        assertEquals(0, stateMachine.pendingTimers());
        commands.subscribe(1, 10, "q", "g", 0);
        commands.publish(1, 11, "q", "a");
        commands.tickAfterMs(500);
        commands.publish(1, 12, "q", "b");
        assertEquals(1, stateMachine.pendingTimers(), "an aged queue holds messages: ticks are needed");

        commands.tickAfterMs(499);
        assertEquals(2, stateMachine.depth("q"));
        commands.tickAfterMs(1);
        assertEquals(1, stateMachine.depth("q"), "a is 1000 ms old");
        commands.tickAfterMs(499);
        assertEquals(1, stateMachine.depth("q"));
        commands.tickAfterMs(1);
        assertEquals(0, stateMachine.depth("q"), "b is 1000 ms old");
        assertEquals(0, stateMachine.pendingTimers(), "nothing left to age");

        assertEquals(List.of(
            "browsed session=1 corr=99 seq=1 EXPIRED after 0 from q/g payload=a",
            "browsed session=1 corr=99 seq=2 EXPIRED after 0 from q/g payload=b",
            "done session=1 corr=99 count=2"), browse("q.dlq"));
        assertEquals(new QueueCounters(0, 0, 2, 0, 0, 0), stateMachine.counters("q"));
    }

    @Test
    void expiryDeadLettersOnlyForGroupsThatHaveNotSettledTheMessage()
    {
        limit("q", maxAgeMs(1_000, LimitAction.DEAD_LETTER));
        commands.subscribe(1, 10, "q", "fast", 1);
        commands.subscribe(1, 11, "q", "slow", 0);
        commands.publish(1, 12, "q", "a");
        commands.ack(1, 1, 1, 1);
        commands.tickAfterMs(1_000);

        assertEquals(List.of("browsed session=1 corr=99 seq=1 EXPIRED after 0 from q/slow payload=a",
            "done session=1 corr=99 count=1"), browse("q.dlq"));
    }

    @Test
    void aQueueWithoutGroupsDeadLettersToItsDefaultDeadLetterQueue()
    {
        limit("q", maxAgeMs(1_000, LimitAction.DEFAULT)); // the default action is DEAD_LETTER
        commands.publish(1, 11, "q", "a");
        commands.tickAfterMs(1_000);

        assertEquals(List.of("browsed session=1 corr=99 seq=1 EXPIRED after 0 from q/ payload=a",
            "done session=1 corr=99 count=1"), browse("q.dlq"));
        commands.admin(1, 98, AdminAction.REDRIVE, "q.dlq", "", 0);
        assertEquals(List.of("done session=1 corr=98 count=1"), sink.drain());
        assertEquals(1, stateMachine.depth("q"), "redriven, and its age counts again from now");
        commands.tickAfterMs(999);
        assertEquals(1, stateMachine.depth("q"));
    }

    @Test
    void limitsOnADeadLetterQueueDropDeadLettersRatherThanCascading()
    {
        limit("q.dlq", maxMessages(1, LimitAction.DEAD_LETTER));
        commands.subscribe(1, 10, "q", "g", 2);
        commands.publish(1, 11, "q", "a");
        commands.publish(1, 12, "q", "b");
        commands.nack(1, 1, 1, 1, NackAction.REJECT);
        commands.nack(1, 1, 2, 1, NackAction.REJECT);

        assertEquals(List.of("browsed session=1 corr=99 seq=2 REJECTED after 1 from q/g payload=b",
            "done session=1 corr=99 count=1"), browse("q.dlq"));
        assertEquals(new QueueCounters(1, 1, 0, 1, 1, 0), stateMachine.counters("q.dlq"));
        assertEquals(-1, stateMachine.depth("q.dlq.dlq"));
    }

    /** Version 5 runs refuse such a cycle (DeadLetterCycleTest); journals of version 4 runs may hold one. */
    @Test
    void twoFullQueuesThatAreEachOthersDeadLetterQueueMakeRoomWithoutLooping()
    {
        commands.nodeStartedAtSchemaVersion(4); // closes session 1
        commands.connect(2, "aeron:ipc", 2001);
        limit("a", maxMessages(1, LimitAction.DEAD_LETTER));
        limit("b", maxMessages(1, LimitAction.DEAD_LETTER));
        commands.declareGroup(2, 10, "a", "g", DispatchStrategy.DEFAULT, "b");
        commands.declareGroup(2, 11, "b", "h", DispatchStrategy.DEFAULT, "a");
        commands.publish(2, 12, "a", "a1");
        commands.publish(2, 13, "b", "b1");
        commands.publish(2, 14, "a", "a2"); // a1 goes to b, which pushes b1 to a (seq 2), which drops that letter

        assertEquals(List.of("browsed session=2 corr=99 seq=3 payload=a2", "done session=2 corr=99 count=1"),
            browse(2, "a"));
        assertEquals(List.of("browsed session=2 corr=99 seq=2 OVERFLOW after 0 from a/g payload=a1",
            "done session=2 corr=99 count=1"), browse(2, "b"));
        assertEquals(new QueueCounters(1, 2, 0, 2, 1, 0), stateMachine.counters("a"));
        assertEquals(new QueueCounters(1, 2, 0, 1, 0, 0), stateMachine.counters("b"));
    }

    @Test
    void declaredLimitsAreKeptAndAConflictingDeclarationIsRefused()
    {
        final QueuePolicy declared = QueuePolicy.UNSET.withLimits(maxMessages(10, LimitAction.DROP));
        commands.declareQueue(1, 10, "q", declared);
        commands.declareQueue(1, 11, "q", declared);
        commands.declareQueue(1, 12, "q", QueuePolicy.UNSET.withLimits(maxMessages(11, LimitAction.DROP)));
        commands.declareQueue(1, 13, "q", QueuePolicy.UNSET.withLimits(maxAgeMs(-1, LimitAction.DEFAULT)));
        commands.declareQueue(1, 14, "r",
            QueuePolicy.UNSET.withLimits(maxAgeMs(1_000, LimitAction.REJECT_PUBLISH)));

        assertEquals(List.of(
            "done session=1 corr=10 count=1",
            "done session=1 corr=11 count=0",
            "error session=1 corr=12 SETTINGS_CONFLICT",
            "error session=1 corr=13 INVALID_ARGUMENT",
            "error session=1 corr=14 INVALID_ARGUMENT"), sink.drain());
    }

    @Test
    void aNarrowRuleCanLiftABoundABroaderOneSets()
    {
        limit("q", maxMessages(QueueLimits.NONE, LimitAction.DEFAULT));
        limit("*", maxMessages(1, LimitAction.REJECT_PUBLISH));
        commands.publish(1, 11, "q", "a");
        commands.publish(1, 12, "q", "b");
        commands.publish(1, 13, "other", "a");
        commands.publish(1, 14, "other", "b");

        assertEquals(List.of("receipt session=1 corr=11 seq=1", "receipt session=1 corr=12 seq=2",
            "receipt session=1 corr=13 seq=1", "error session=1 corr=14 QUEUE_FULL"), sink.drain());
    }

    @Test
    void limitsAndCountersSurviveASnapshot()
    {
        limit("q", new QueueLimits(1_000, 1, 0, LimitAction.DROP, LimitAction.DROP));
        commands.publish(1, 11, "q", "a");
        commands.publish(1, 12, "q", "b");
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        final int length = stateMachine.writeSnapshot(buffer, 0);
        final QueueStateMachine restored =
            QueueStateMachine.fromSnapshot(buffer, 0, length, OutputSink.NONE);

        assertEquals(stateMachine.describeState(), restored.describeState());
        assertEquals(new QueueCounters(1, 1, 0, 1, 1, 0), restored.counters("q"));
        assertEquals(1, restored.pendingTimers(), "the restored machine knows its aged queue holds a message");
        assertNull(restored.counters("q.dlq"));
    }
}
