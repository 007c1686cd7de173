package io.ringmq.core.state;

import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.QueryKind;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Expiry of idle groups (issue 17) on a stepped command clock: a group without a consumer for the configured time is
 * deleted as {@code delete group} would, on the command whose time reaches its deadline, and not a nanosecond before.
 */
class GroupExpiryTest
{
    private static final long EXPIRY_MS = 60_000;
    private static final long EXPIRY_NS = EXPIRY_MS * 1_000_000L;

    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);
    /** The session that asks which groups there are: another after a restart closed the first. */
    private long querySession = 1;

    @BeforeEach
    void ordersWithAWorkingGroup()
    {
        commands.nodeStarted(1000, 1, new RunExpiry(EXPIRY_MS, 0)); // the run's setting, journaled in its NodeStarted
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 20, "orders", "billing", 10); // consumer 1, stays
        sink.drain();
    }

    @Test
    void aOneOffGroupGoesExactlyAtItsDeadlineAndNoLongerPinsMessages()
    {
        commands.subscribe(1, 21, "orders", "oneoff", 10); // consumer 2: a one-off consume --group oneoff
        commands.unsubscribe(1, 2);                        // ... that exited: its clock starts now
        final long leftAtNs = commands.nowNs();
        commands.publish(1, 30, "orders", "first");
        commands.ack(1, 1, 1, 1);
        sink.drain();
        assertEquals(1, stateMachine.depth("orders"), "pinned by the group nobody consumes");
        assertEquals(leftAtNs + EXPIRY_NS, stateMachine.nextDeadlineNs(), "asks for a tick at the deadline");

        commands.tickAt(leftAtNs + EXPIRY_NS - 1);
        assertEquals(List.of("billing", "oneoff"), groupNames());
        assertEquals(0, stateMachine.expiredGroups());

        commands.tickAt(leftAtNs + EXPIRY_NS);
        assertEquals(List.of("billing"), groupNames());
        assertEquals(0, stateMachine.depth("orders"), "the message no other group needed left with it");
        assertEquals(1, stateMachine.expiredGroups());
        assertEquals(Long.MAX_VALUE, stateMachine.nextDeadlineNs(), "billing has a consumer: nothing else is due");
    }

    @Test
    void aGroupNoConsumerEverAttachedToExpiresFromItsCreation()
    {
        final long createdAtNs = commands.nowNs();
        commands.declareGroup(1, 22, "orders", "declared", DispatchStrategy.DEFAULT, "");
        sink.drain();

        commands.tickAt(createdAtNs + EXPIRY_NS);

        assertEquals(List.of("billing"), groupNames());
    }

    @Test
    void aConsumerAttachingStopsTheClockAndLeavingRestartsIt()
    {
        commands.subscribe(1, 21, "orders", "oneoff", 10); // consumer 2
        commands.unsubscribe(1, 2);
        commands.tickAfterMs(EXPIRY_MS - 1);
        commands.subscribe(1, 23, "orders", "oneoff", 10); // consumer 3, in time
        commands.tickAfterMs(EXPIRY_MS * 3);
        assertEquals(List.of("billing", "oneoff"), groupNames(), "a group with a consumer never expires");

        commands.unsubscribe(1, 3);
        final long leftAtNs = commands.nowNs();
        commands.tickAt(leftAtNs + EXPIRY_NS - 1);
        assertEquals(List.of("billing", "oneoff"), groupNames(), "the clock started again when consumer 3 left");
        commands.tickAt(leftAtNs + EXPIRY_NS);
        assertEquals(List.of("billing"), groupNames());
    }

    @Test
    void aClosedSessionStartsTheClockOfItsConsumersGroups()
    {
        commands.connect(2, "aeron:ipc", 2002);
        commands.subscribe(2, 21, "orders", "oneoff", 10);
        commands.disconnect(2);
        final long leftAtNs = commands.nowNs();
        sink.drain();

        commands.tickAt(leftAtNs + EXPIRY_NS);

        assertEquals(List.of("billing"), groupNames());
    }

    @Test
    void offByDefault()
    {
        final QueueStateMachine plain = new QueueStateMachine(new RecordingSink());
        final Commands plainCommands = new Commands(plain);
        plainCommands.nodeStarted(1000, 1);
        plainCommands.connect(1, "aeron:ipc", 2001);
        plainCommands.subscribe(1, 21, "orders", "oneoff", 10);
        plainCommands.unsubscribe(1, 1);
        plainCommands.publish(1, 30, "orders", "first");

        plainCommands.tickAfterMs(EXPIRY_MS * 1000);

        assertEquals(1, plain.depth("orders"));
        assertEquals(0, plain.expiredGroups());
        assertEquals(Long.MAX_VALUE, plain.nextDeadlineNs());
    }

    @Test
    void aNegativeExpiryIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new RunExpiry(-1, 0));
    }

    @Test
    void aRunWhoseNodeStartedPredatesTheSettingExpiresNothingAsItsJournalReplays()
    {
        commands.nodeStartedAtSchemaVersion(RunExpiry.SINCE_VERSION - 1); // a version 9 journal's next run; the
        commands.connect(1, "aeron:ipc", 2001);                          // frame still holds the expiry bytes
        commands.subscribe(2, 21, "orders", "oneoff", 10);               // session 2, consumer 2
        commands.unsubscribe(2, 2);
        querySession = 2;

        commands.tickAfterMs(EXPIRY_MS * 10);

        assertEquals(RunExpiry.NONE, stateMachine.runExpiry());
        assertEquals(List.of("billing", "oneoff"), groupNames());
        assertEquals(Long.MAX_VALUE, stateMachine.nextDeadlineNs());
    }

    @Test
    void theNextRunsNodeStartedSetsItsOwnExpiryForGroupsAlreadyIdle()
    {
        commands.subscribe(1, 21, "orders", "oneoff", 10);
        commands.unsubscribe(1, 2);
        final long leftAtNs = commands.nowNs();
        commands.tickAfterMs(EXPIRY_MS / 2);

        commands.nodeStarted(1000, 1, new RunExpiry(EXPIRY_MS * 2, 0)); // restarted with a longer expiry: billing's consumer
        final long restartedAtNs = commands.nowNs();          // went with the old run's sessions
        commands.connect(1, "aeron:ipc", 2001);
        querySession = 2;

        assertEquals(leftAtNs + 2 * EXPIRY_NS, stateMachine.nextDeadlineNs(), "oneoff's clock kept, the new expiry");
        commands.tickAt(leftAtNs + EXPIRY_NS);
        assertEquals(List.of("billing", "oneoff"), groupNames());
        commands.tickAt(leftAtNs + 2 * EXPIRY_NS);
        assertEquals(List.of("billing"), groupNames());
        commands.tickAt(restartedAtNs + 2 * EXPIRY_NS);
        assertEquals(List.of(), groupNames(), "billing idle since the restart closed its session");
    }

    @Test
    void aReplayAndASnapshotPlusTailExpireAtTheSamePoint()
    {
        final QueueStateMachine replay = new QueueStateMachine(new RecordingSink());
        final Commands fromStart = new Commands(replay);
        fromStart.nodeStarted(1000, 1, new RunExpiry(EXPIRY_MS, 0));
        fromStart.connect(1, "aeron:ipc", 2001);
        fromStart.subscribe(1, 20, "orders", "billing", 10);
        commands.alsoApplyTo(replay);

        commands.subscribe(1, 21, "orders", "oneoff", 10);
        commands.unsubscribe(1, 2);
        final long leftAtNs = commands.nowNs();
        commands.publish(1, 30, "orders", "first");
        commands.tickAfterMs(EXPIRY_MS / 2);

        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer();
        final int length = stateMachine.writeSnapshot(snapshot, 0);
        final QueueStateMachine restored = QueueStateMachine.fromSnapshot(snapshot, 0, length, new RecordingSink());
        assertEquals(new RunExpiry(EXPIRY_MS, 0), restored.runExpiry(), "the setting travels in the snapshot");
        assertEquals(stateMachine.digest(new StateDigest()), restored.digest(new StateDigest()));
        assertEquals(leftAtNs + EXPIRY_NS, restored.nextDeadlineNs(), "the clock survived the snapshot exactly");

        commands.alsoApplyTo(restored);
        commands.tickAt(leftAtNs + EXPIRY_NS - 1);
        assertEquals(2, restored.depth("orders") + replay.depth("orders"), "still pinned on both");
        commands.tickAt(leftAtNs + EXPIRY_NS);

        final long digest = stateMachine.digest(new StateDigest());
        assertEquals(digest, restored.digest(new StateDigest()));
        assertEquals(stateMachine.describeState(), restored.describeState());
        assertEquals(0, restored.depth("orders"));
        assertEquals(1, restored.expiredGroups());
        assertEquals(stateMachine.describeState(), replay.describeState());
        assertEquals(digest, replay.digest(new StateDigest()));
        assertEquals(1, replay.expiredGroups());
    }

    private List<String> groupNames()
    {
        sink.drain();
        commands.query(querySession, 99, QueryKind.GROUPS, "orders", 0, 0);
        return sink.drain().stream()
            .filter((line) -> line.startsWith("group "))
            .map((line) -> line.replaceAll(".* name=(\\S+) .*", "$1"))
            .toList();
    }
}
