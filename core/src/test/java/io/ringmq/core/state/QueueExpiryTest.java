package io.ringmq.core.state;

import io.ringmq.codecs.AdminAction;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Expiry of idle queues (issue 17) on a stepped command clock: a queue idle for the configured time is deleted as
 * {@code delete queue} would, on the command whose time reaches its deadline, and not a nanosecond before. Idle: no
 * consumer, nothing held for a group it has, no dead letter, no declared retention.
 */
class QueueExpiryTest
{
    private static final long EXPIRY_MS = 60_000;
    private static final long EXPIRY_NS = EXPIRY_MS * 1_000_000L;
    private static final int GONE = -1;

    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void connected()
    {
        commands.nodeStarted(1000, 1, new RunExpiry(0, EXPIRY_MS)); // queues expire, groups do not
        commands.connect(1, "aeron:ipc", 2001);
        sink.drain();
    }

    @Test
    void aMistypedQueueGoesExactlyAtItsDeadlineWithTheMessageNobodyWillRead()
    {
        commands.publish(1, 30, "ordres", "first"); // no group will ever come
        final long publishedAtNs = commands.nowNs();
        assertEquals(publishedAtNs + EXPIRY_NS, stateMachine.nextDeadlineNs(), "asks for a tick at the deadline");

        commands.tickAt(publishedAtNs + EXPIRY_NS - 1);
        assertEquals(1, stateMachine.depth("ordres"));
        assertEquals(0, stateMachine.expiredQueues());

        commands.tickAt(publishedAtNs + EXPIRY_NS);
        assertEquals(GONE, stateMachine.depth("ordres"));
        assertEquals(1, stateMachine.expiredQueues());
        assertEquals(Long.MAX_VALUE, stateMachine.nextDeadlineNs());
    }

    @Test
    void aPublishToAQueueWithoutGroupsRestartsItsClock()
    {
        commands.publish(1, 30, "ordres", "first");
        commands.tickAfterMs(EXPIRY_MS - 1);
        commands.publish(1, 31, "ordres", "second");
        final long lastPublishNs = commands.nowNs();

        commands.tickAt(lastPublishNs + EXPIRY_NS - 1);
        assertEquals(2, stateMachine.depth("ordres"));
        commands.tickAt(lastPublishNs + EXPIRY_NS);
        assertEquals(GONE, stateMachine.depth("ordres"));
    }

    @Test
    void aQueueWithAConsumerNeverExpiresAndItsClockStartsWhenTheLastLeaves()
    {
        commands.subscribe(1, 20, "orders", "billing", 10); // consumer 1
        commands.publish(1, 30, "orders", "first");
        commands.ack(1, 1, 1, 1);
        commands.tickAfterMs(EXPIRY_MS * 3);
        assertEquals(0, stateMachine.depth("orders"), "empty, but a consumer is attached");

        commands.unsubscribe(1, 1);
        final long leftAtNs = commands.nowNs();
        commands.tickAt(leftAtNs + EXPIRY_NS - 1);
        assertEquals(0, stateMachine.depth("orders"));
        commands.tickAt(leftAtNs + EXPIRY_NS);
        assertEquals(GONE, stateMachine.depth("orders"), "its group without a consumer went with it");
    }

    @Test
    void messagesHeldForAGroupKeepTheQueueUntilTheyLeave()
    {
        commands.subscribe(1, 20, "orders", "billing", 10); // consumer 1
        commands.unsubscribe(1, 1);
        commands.publish(1, 30, "orders", "first");         // held for billing, which has no consumer now
        commands.tickAfterMs(EXPIRY_MS * 3);
        assertEquals(1, stateMachine.depth("orders"));

        commands.admin(1, 40, AdminAction.PURGE, "orders", "", 0);
        final long purgedAtNs = commands.nowNs();
        commands.tickAt(purgedAtNs + EXPIRY_NS - 1);
        assertEquals(0, stateMachine.depth("orders"));
        commands.tickAt(purgedAtNs + EXPIRY_NS);
        assertEquals(GONE, stateMachine.depth("orders"));
    }

    @Test
    void aDeadLetterQueueStaysWhileItHoldsLettersAndExpiresOnceEmptied()
    {
        commands.subscribe(1, 20, "orders", "billing", 10); // consumer 1: gets it, never acks
        commands.publish(1, 30, "orders", "first");
        commands.tickAfterMs(1000);                          // visibility 1 s, 1 attempt: dead-lettered
        assertEquals(1, stateMachine.depth("orders.dlq"));

        commands.tickAfterMs(EXPIRY_MS * 3);
        assertEquals(1, stateMachine.depth("orders.dlq"), "its letter waits for an operator");

        commands.admin(1, 40, AdminAction.PURGE, "orders.dlq", "", 0);
        final long purgedAtNs = commands.nowNs();
        commands.tickAt(purgedAtNs + EXPIRY_NS - 1);
        assertEquals(0, stateMachine.depth("orders.dlq"));
        commands.tickAt(purgedAtNs + EXPIRY_NS);
        assertEquals(GONE, stateMachine.depth("orders.dlq"));
        assertEquals(0, stateMachine.depth("orders"), "the source has a consumer: it stays");
    }

    @Test
    void aQueueDeclaredWithRetentionNeverExpires()
    {
        commands.declareQueue(1, 40, "history", QueuePolicy.UNSET, 60_000, 0);
        commands.declareQueue(1, 41, "plain", QueuePolicy.UNSET);

        commands.tickAfterMs(EXPIRY_MS * 10);

        assertEquals(0, stateMachine.depth("history"));
        assertEquals(GONE, stateMachine.depth("plain"), "declared, never used");
    }

    @Test
    void aRunWhoseNodeStartedPredatesTheSettingExpiresNoQueue()
    {
        commands.nodeStartedAtSchemaVersion(RunExpiry.SINCE_VERSION - 1);
        commands.publish(2, 30, "ordres", "first");

        commands.tickAfterMs(EXPIRY_MS * 10);

        assertEquals(RunExpiry.NONE, stateMachine.runExpiry());
        assertEquals(Long.MAX_VALUE, stateMachine.nextDeadlineNs());
    }

    @Test
    void turnedOnLaterItCountsFromWhenTheQueueBecameIdle()
    {
        commands.nodeStarted(1000, 1, RunExpiry.NONE);
        commands.connect(1, "aeron:ipc", 2001);
        commands.publish(2, 30, "ordres", "first");
        final long publishedAtNs = commands.nowNs();
        commands.tickAfterMs(EXPIRY_MS / 2);

        commands.nodeStarted(1000, 1, new RunExpiry(0, EXPIRY_MS));

        assertEquals(publishedAtNs + EXPIRY_NS, stateMachine.nextDeadlineNs());
    }

    @Test
    void aReplayAndASnapshotPlusTailExpireAtTheSamePoint()
    {
        final QueueStateMachine replay = new QueueStateMachine(new RecordingSink());
        final Commands fromStart = new Commands(replay);
        fromStart.nodeStarted(1000, 1, new RunExpiry(0, EXPIRY_MS));
        fromStart.connect(1, "aeron:ipc", 2001);
        commands.alsoApplyTo(replay);

        commands.publish(1, 30, "ordres", "first");
        final long publishedAtNs = commands.nowNs();
        commands.subscribe(1, 20, "orders", "billing", 10);
        commands.tickAfterMs(EXPIRY_MS / 2);

        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer();
        final int length = stateMachine.writeSnapshot(snapshot, 0);
        final QueueStateMachine restored = QueueStateMachine.fromSnapshot(snapshot, 0, length, new RecordingSink());
        assertEquals(new RunExpiry(0, EXPIRY_MS), restored.runExpiry());
        assertEquals(stateMachine.describeState(), restored.describeState());
        assertEquals(publishedAtNs + EXPIRY_NS, restored.nextDeadlineNs(), "the clock survived the snapshot exactly");

        commands.alsoApplyTo(restored);
        commands.tickAt(publishedAtNs + EXPIRY_NS - 1);
        assertEquals(1, restored.depth("ordres"));
        assertEquals(1, replay.depth("ordres"));
        commands.tickAt(publishedAtNs + EXPIRY_NS);

        assertEquals(GONE, restored.depth("ordres"));
        assertEquals(GONE, replay.depth("ordres"));
        assertEquals(0, restored.depth("orders"));
        assertEquals(stateMachine.describeState(), restored.describeState());
        assertEquals(stateMachine.describeState(), replay.describeState());
        assertEquals(stateMachine.digest(new StateDigest()), restored.digest(new StateDigest()));
        assertEquals(stateMachine.digest(new StateDigest()), replay.digest(new StateDigest()));
        assertEquals(1, restored.expiredQueues());
    }
}
