package io.ringmq.core.state;

import io.ringmq.codecs.StartPoint;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Retention (a queue keeps what every group acked) and seek (a group moved to a sequence, a time, the oldest or the
 * newest; a new group started there), schema version 9.
 */
class RetainAndSeekTest
{
    private static final QueuePolicy UNSET = QueuePolicy.UNSET;

    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void threeMessagesConsumedByOneGroup()
    {
        commands.nodeStarted(1000, 5);
        commands.connect(1, "aeron:ipc", 2001);
        commands.declareQueue(1, 2, "orders", UNSET, 60_000, 0);
        commands.subscribe(1, 3, "orders", "billing", 10); // consumer 1
        commands.publish(1, 4, "orders", "one");
        commands.publish(1, 5, "orders", "two");
        commands.publish(1, 6, "orders", "three");
        commands.ack(1, 1, 1, 1);
        commands.ack(1, 1, 2, 1);
        commands.ack(1, 1, 3, 1);
        sink.drain();
    }

    @Test
    void aRetainingQueueKeepsWhatEveryGroupAckedAndNothingIsDeliveredAgainWithoutASeek()
    {
        assertEquals(3, stateMachine.depth("orders"), "kept for a seek back");
        assertEquals(3, stateMachine.counters("orders").messages());
        commands.tickAfterMs(1000);
        assertEquals(List.of(), sink.drain());
    }

    @Test
    void aSeekBackDeliversTheKeptMessagesAgainInOrderFromAttemptOne()
    {
        commands.seek(1, 10, "orders", "billing", StartPoint.SEQUENCE, 2);

        assertEquals(List.of(
            "done session=1 corr=10 count=2",
            "deliver session=1 consumer=1 seq=2 attempt=1 payload=two",
            "deliver session=1 consumer=1 seq=3 attempt=1 payload=three"), sink.drain());
        commands.ack(1, 1, 2, 1);
        commands.ack(1, 1, 3, 1);
        assertEquals(List.of(), sink.drain());
        assertEquals(3, stateMachine.depth("orders"), "acked again: kept again");
    }

    @Test
    void aSeekEndsTheDeliveriesInFlightTheirAcksGoStale()
    {
        commands.publish(1, 7, "orders", "four"); // in flight to consumer 1
        sink.drain();

        commands.seek(1, 10, "orders", "billing", StartPoint.OLDEST, 0);
        final List<String> outputs = sink.drain();
        assertEquals("done session=1 corr=10 count=4", outputs.get(0));
        assertEquals(5, outputs.size(), "all four again, attempt 1: " + outputs);
        assertEquals("deliver session=1 consumer=1 seq=4 attempt=1 payload=four", outputs.get(4));

        commands.ack(1, 1, 4, 1); // attempt 1 is current again: a new delivery of it
        assertEquals(List.of(), sink.drain());
    }

    @Test
    void seekingToTheNewestSkipsWhatIsHeldAndDeliversOnlyWhatComesNext()
    {
        commands.seek(1, 10, "orders", "billing", StartPoint.OLDEST, 0);
        sink.drain(); // three in flight

        commands.seek(1, 11, "orders", "billing", StartPoint.NEWEST, 0);
        assertEquals(List.of("done session=1 corr=11 count=0"), sink.drain());
        assertEquals(3, stateMachine.depth("orders"), "skipped by the only group: consumed, so kept");

        commands.publish(1, 12, "orders", "four");
        assertEquals(List.of(
            "receipt session=1 corr=12 seq=4",
            "deliver session=1 consumer=1 seq=4 attempt=1 payload=four"), sink.drain());
    }

    @Test
    void seekingByTimeStartsAtTheFirstMessageStoredAtOrAfterIt()
    {
        commands.tickAfterMs(10);
        commands.publish(1, 7, "orders", "four");
        commands.ack(1, 1, 4, 1);
        sink.drain();
        final long fourStoredMs = commands.nowNs() / 1_000_000;

        commands.seek(1, 10, "orders", "billing", StartPoint.TIME, fourStoredMs);

        assertEquals(List.of(
            "done session=1 corr=10 count=1",
            "deliver session=1 consumer=1 seq=4 attempt=1 payload=four"), sink.drain());
    }

    @Test
    void aNewGroupStartsAtTheOldestUnconsumedUnlessToldToStartElsewhere()
    {
        commands.publish(1, 7, "orders", "four"); // in flight to billing, so not consumed
        sink.drain();

        commands.declareGroupStartingAt(1, 10, "orders", "audit", StartPoint.OLDEST_UNCONSUMED, 0);
        commands.declareGroupStartingAt(1, 11, "orders", "replay", StartPoint.OLDEST, 0);
        commands.declareGroupStartingAt(1, 12, "orders", "tail", StartPoint.NEWEST, 0);
        commands.subscribe(1, 13, "orders", "audit", 10);  // consumer 2
        commands.subscribe(1, 14, "orders", "replay", 10); // consumer 3
        commands.subscribe(1, 15, "orders", "tail", 10);   // consumer 4

        assertEquals(List.of(
            "done session=1 corr=10 count=1",
            "done session=1 corr=11 count=1",
            "done session=1 corr=12 count=1",
            "subscribed session=1 corr=13 consumer=2",
            "deliver session=1 consumer=2 seq=4 attempt=1 payload=four",
            "subscribed session=1 corr=14 consumer=3",
            "deliver session=1 consumer=3 seq=1 attempt=1 payload=one",
            "deliver session=1 consumer=3 seq=2 attempt=1 payload=two",
            "deliver session=1 consumer=3 seq=3 attempt=1 payload=three",
            "deliver session=1 consumer=3 seq=4 attempt=1 payload=four",
            "subscribed session=1 corr=15 consumer=4"), sink.drain());
    }

    @Test
    void keptMessagesLeaveAfterTheRetentionTimeOrPastTheRetainedBytesOldestConsumedFirst()
    {
        commands.declareQueue(1, 20, "small", UNSET, 0, 7); // "one"+"two" fit, a third does not
        commands.subscribe(1, 21, "small", "g", 10);      // consumer 2
        commands.publish(1, 22, "small", "one");
        commands.publish(1, 23, "small", "two");
        commands.publish(1, 24, "small", "six");
        commands.ack(1, 2, 1, 1);
        commands.ack(1, 2, 2, 1);
        assertEquals(3, stateMachine.depth("small"), "two kept (6 bytes), six in flight");
        commands.ack(1, 2, 3, 1);
        assertEquals(2, stateMachine.depth("small"), "one left to make room for six");
        sink.drain();

        commands.tickAfterMs(60_000); // orders keeps for a minute
        assertEquals(0, stateMachine.depth("orders"));
        assertEquals(Long.MAX_VALUE, stateMachine.nextDeadlineNs(), "small keeps by size only: no time pending");
        commands.seek(1, 25, "small", "g", StartPoint.OLDEST, 0);
        assertEquals(List.of(
            "done session=1 corr=25 count=2",
            "deliver session=1 consumer=2 seq=2 attempt=1 payload=two",
            "deliver session=1 consumer=2 seq=3 attempt=1 payload=six"), sink.drain());
    }

    @Test
    void seeksAreRefusedForUnknownQueuesGroupsAndPlaces()
    {
        commands.seek(1, 10, "nothing", "billing", StartPoint.OLDEST, 0);
        commands.seek(1, 11, "orders", "nobody", StartPoint.OLDEST, 0);
        commands.seek(1, 12, "orders", "billing", StartPoint.SEQUENCE, 0);
        commands.declareGroupStartingAt(1, 13, "orders", "late", StartPoint.TIME, -1);
        commands.declareQueue(1, 14, "orders", UNSET, 1, 0);

        assertEquals(List.of(
            "error session=1 corr=10 UNKNOWN_QUEUE",
            "error session=1 corr=11 UNKNOWN_GROUP",
            "error session=1 corr=12 INVALID_ARGUMENT",
            "error session=1 corr=13 INVALID_ARGUMENT",
            "error session=1 corr=14 SETTINGS_CONFLICT"), sink.drain());
    }

    @Test
    void keptMessagesAndFloorsSurviveASnapshot()
    {
        commands.seek(1, 10, "orders", "billing", StartPoint.NEWEST, 0);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        final int length = stateMachine.writeSnapshot(buffer, 0);
        final QueueStateMachine restored = QueueStateMachine.fromSnapshot(buffer, 0, length, new RecordingSink());

        assertEquals(stateMachine.describeState(), restored.describeState());
        assertEquals(stateMachine.nextDeadlineNs(), restored.nextDeadlineNs());
    }
}
