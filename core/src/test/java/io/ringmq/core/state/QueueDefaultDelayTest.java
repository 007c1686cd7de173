package io.ringmq.core.state;

import io.ringmq.codecs.ErrorCode;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A queue's default delay (schema version 9): a publish with no delay or deliver-at of its own is held that long;
 * one with its own timing keeps it. Declared with the queue, journaled, snapshotted.
 */
class QueueDefaultDelayTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void connect()
    {
        commands.nodeStarted(60_000, 5);
        commands.connect(1, "aeron:ipc", 2001);
        sink.drain();
    }

    @Test
    void aPublishWithoutTimingIsHeldForTheQueuesDelay()
    {
        commands.declareQueueWithDelay(1, 2, "q", 1_000);
        commands.subscribe(1, 3, "q", "g", 10);
        final long publishedNs = commands.nowNs();
        commands.publish(1, 10, "q", "later");
        assertEquals(List.of("done session=1 corr=2 count=1", "subscribed session=1 corr=3 consumer=1",
            "receipt session=1 corr=10 seq=1"), sink.drain());
        assertEquals(publishedNs + 1_000 * MS, stateMachine.nextDeadlineNs());

        commands.tickAt(publishedNs + 1_000 * MS - 1);
        assertEquals(List.of(), sink.drain());
        commands.tickAt(publishedNs + 1_000 * MS);
        assertEquals(List.of("deliver session=1 consumer=1 seq=1 attempt=1 payload=later"), sink.drain());
    }

    @Test
    void aPublishsOwnDelayOrDeliverAtOverridesTheQueuesEvenOneInThePast()
    {
        commands.declareQueueWithDelay(1, 2, "q", 60_000);
        commands.subscribe(1, 3, "q", "g", 10);
        final long nowMs = commands.nowNs() / MS;
        commands.publishTimed(1, 10, "q", "short", 100, 0, 0);
        commands.publishTimed(1, 11, "q", "past", 0, nowMs - 1, 0);
        assertEquals(List.of("done session=1 corr=2 count=1", "subscribed session=1 corr=3 consumer=1",
            "receipt session=1 corr=10 seq=1", "receipt session=1 corr=11 seq=2",
            "deliver session=1 consumer=1 seq=2 attempt=1 payload=past"), sink.drain(),
            "a deliver-at already past is no delay, not the queue's");
        commands.tickAfterMs(100);
        assertEquals(List.of("deliver session=1 consumer=1 seq=1 attempt=1 payload=short"), sink.drain(),
            "its own 100 ms, not the queue's minute");
    }

    @Test
    void aRedeclarationWithAnotherDelayIsAConflictAndAnOutOfRangeOneIsRefused()
    {
        commands.declareQueueWithDelay(1, 2, "q", 1_000);
        commands.declareQueueWithDelay(1, 3, "q", 1_000);
        commands.declareQueueWithDelay(1, 4, "q", 0);
        commands.declareQueueWithDelay(1, 5, "q", 2_000);
        commands.declareQueueWithDelay(1, 6, "r", -1);
        commands.declareQueueWithDelay(1, 7, "r", TimeUnit.DAYS.toMillis(366));

        assertEquals(List.of("done session=1 corr=2 count=1", "done session=1 corr=3 count=0",
            "done session=1 corr=4 count=0", "error session=1 corr=5 " + ErrorCode.SETTINGS_CONFLICT,
            "error session=1 corr=6 " + ErrorCode.INVALID_ARGUMENT,
            "error session=1 corr=7 " + ErrorCode.INVALID_ARGUMENT), sink.drain());
        assertEquals(-1, stateMachine.depth("r"));
    }

    @Test
    void theDelaySurvivesASnapshot()
    {
        commands.declareQueueWithDelay(1, 2, "q", 1_000);
        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer();
        final RecordingSink restoredSink = new RecordingSink();
        final QueueStateMachine restored = QueueStateMachine.fromSnapshot(
            snapshot, 0, stateMachine.writeSnapshot(snapshot, 0), restoredSink);
        assertEquals(stateMachine.describeState(), restored.describeState());

        final Commands after = new Commands(restored);
        after.connect(2, "aeron:ipc", 2001);
        after.subscribe(2, 3, "q", "g", 10);
        after.publish(2, 10, "q", "later");
        assertEquals(List.of("opened session=2 corr=2 aeron:ipc/2001", "subscribed session=2 corr=3 consumer=1",
            "receipt session=2 corr=10 seq=1"), restoredSink.drain(), "held, not delivered");
    }

    /** A DeclareQueue as a version 8 client sent it (a journal holds it): no delay field, so no default delay. */
    @Test
    void aVersion8DeclarationHasNoDefaultDelay()
    {
        commands.declareQueueAsVersion8(1, 2, "q");
        commands.subscribe(1, 3, "q", "g", 10);
        commands.publish(1, 10, "q", "now");

        assertEquals(List.of("done session=1 corr=2 count=1", "subscribed session=1 corr=3 consumer=1",
            "receipt session=1 corr=10 seq=1", "deliver session=1 consumer=1 seq=1 attempt=1 payload=now"),
            sink.drain());
    }
}
