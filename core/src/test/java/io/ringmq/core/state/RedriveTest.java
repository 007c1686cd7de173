package io.ringmq.core.state;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.LimitAction;
import io.ringmq.codecs.NackAction;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A redriven dead letter goes back to the group that dead-lettered it, and to no other group of its queue, now or
 * created later (issue 11: it went back to every group, so a group that had acked the message got it again). Runs
 * journaled before schema version 5, and their snapshots, redrive the way they ran: to every group.
 */
class RedriveTest
{
    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void twoGroupsWithOneAttemptEach()
    {
        commands.nodeStarted(10_000, 1);
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 10, "fan", "g1", 10); // consumer 1
        commands.subscribe(1, 11, "fan", "g2", 10); // consumer 2
        sink.drain();
    }

    /** The reproduction: g1 dead-letters m, g2 acks it; redriving g1's letters gave g2 m again (seq 2). */
    @Test
    void aLetterGoesBackToTheGroupThatDeadLetteredItNotToAGroupThatAckedIt()
    {
        g1DeadLettersWhatG2Acks("m");

        commands.admin(1, 30, AdminAction.REDRIVE, "fan.dlq", "g1", 0);

        assertEquals(List.of(
            "deliver session=1 consumer=1 seq=2 attempt=1 payload=m",
            "done session=1 corr=30 count=1"), sink.drain());
        assertEquals(1, stateMachine.depth("fan"));
        commands.ack(1, 1, 2, 1);
        assertEquals(0, stateMachine.depth("fan"), "held only until the group it went back to acked it");
    }

    @Test
    void aMessageBothGroupsDeadLetteredIsDeliveredOnceToEachWhenBothLettersAreRedriven()
    {
        commands.publish(1, 20, "fan", "m");
        commands.nack(1, 1, 1, 1, NackAction.REQUEUE);
        commands.nack(1, 2, 1, 1, NackAction.REQUEUE);
        sink.drain();
        assertEquals(2, stateMachine.depth("fan.dlq"));

        commands.admin(1, 30, AdminAction.REDRIVE, "fan.dlq", "", 0);

        assertEquals(List.of(
            "deliver session=1 consumer=1 seq=2 attempt=1 payload=m",
            "deliver session=1 consumer=2 seq=3 attempt=1 payload=m",
            "done session=1 corr=30 count=2"), sink.drain(), "two deliveries, not four");
    }

    @Test
    void aGroupCreatedAfterTheRedriveNeverGetsTheLetterNorDoesOneCreatedAfterASnapshot()
    {
        g1DeadLettersWhatG2Acks("m");
        commands.admin(1, 30, AdminAction.REDRIVE, "fan.dlq", "g1", 0);
        sink.drain();

        commands.subscribe(1, 31, "fan", "g3", 10);
        assertEquals(List.of("subscribed session=1 corr=31 consumer=3"), sink.drain(), "g3 never had m");

        final QueueStateMachine restored = snapshotAndRestore(stateMachine);
        final Commands afterRestore = new Commands(restored);
        afterRestore.subscribe(1, 32, "fan", "g4", 10);
        assertEquals(List.of("subscribed session=1 corr=32 consumer=4"), sink.drain(), "nor does g4");
        afterRestore.ack(1, 1, 2, 1);
        assertEquals(0, restored.depth("fan"), "g1's ack was the only one m waited for, after the restore too");
        assertEquals(List.of(), sink.drain());
    }

    /** A queue without groups dead-letters with no source group: such a letter goes back as a publish would. */
    @Test
    void aLetterNoGroupDeadLetteredGoesBackForEveryGroup()
    {
        commands.declareQueue(1, 20, "lonely",
            QueuePolicy.UNSET.withLimits(new QueueLimits(1000, 0, 0, LimitAction.DEAD_LETTER, LimitAction.DEFAULT)));
        commands.publish(1, 21, "lonely", "old");
        commands.tickAfterMs(1000); // expires into lonely.dlq; the queue had no group to name
        commands.subscribe(1, 22, "lonely", "g1", 10); // consumer 3
        commands.subscribe(1, 23, "lonely", "g2", 10); // consumer 4
        sink.drain();

        commands.admin(1, 30, AdminAction.REDRIVE, "lonely.dlq", "", 0);

        assertEquals(List.of(
            "deliver session=1 consumer=3 seq=2 attempt=1 payload=old",
            "deliver session=1 consumer=4 seq=2 attempt=1 payload=old",
            "done session=1 corr=30 count=1"), sink.drain());
    }

    /** A limit that takes a redriven message out dead-letters it for the group it was for, and only that group. */
    @Test
    void aRedrivenMessagePushedOutByALimitIsDeadLetteredForItsGroupOnly()
    {
        commands.declareQueue(1, 20, "capped",
            QueuePolicy.UNSET.withLimits(new QueueLimits(0, 1, 0, LimitAction.DEFAULT, LimitAction.DEAD_LETTER)));
        commands.subscribe(1, 21, "capped", "g1", 10); // consumer 3
        commands.subscribe(1, 22, "capped", "g2", 10); // consumer 4
        commands.publish(1, 23, "capped", "a");
        commands.nack(1, 3, 1, 1, NackAction.REQUEUE);
        commands.ack(1, 4, 1, 1);
        commands.admin(1, 24, AdminAction.REDRIVE, "capped.dlq", "g1", 0); // capped seq 2, in flight to consumer 3
        sink.drain();

        commands.publish(1, 25, "capped", "b"); // pushes seq 2 out

        assertEquals(List.of(
            "receipt session=1 corr=25 seq=3",
            "deliver session=1 consumer=3 seq=3 attempt=1 payload=b",
            "deliver session=1 consumer=4 seq=3 attempt=1 payload=b"), sink.drain());
        commands.admin(1, 26, AdminAction.BROWSE, "capped.dlq", "", 0);
        assertEquals(List.of(
            "browsed session=1 corr=26 seq=2 OVERFLOW after 1 from capped/g1 payload=a",
            "done session=1 corr=26 count=1"), sink.drain(), "no letter for g2, which had acked a");
    }

    @Test
    void aRunJournaledBeforeSchemaVersion5RedrivesToEveryGroupAndSoDoesItsSnapshot()
    {
        commands.nodeStartedAtSchemaVersion(4); // closes session 1, as a restart does
        commands.connect(2, "aeron:ipc", 2002);
        commands.subscribe(2, 10, "fan", "g1", 10); // consumer 3
        commands.subscribe(2, 11, "fan", "g2", 10); // consumer 4
        commands.publish(2, 20, "fan", "m");
        commands.nack(2, 3, 1, 1, NackAction.REQUEUE);
        commands.ack(2, 4, 1, 1);
        sink.drain();
        final QueueStateMachine restored = snapshotAndRestore(stateMachine);

        final List<String> asWritten = List.of(
            "deliver session=2 consumer=3 seq=2 attempt=1 payload=m",
            "deliver session=2 consumer=4 seq=2 attempt=1 payload=m",
            "done session=2 corr=30 count=1");
        commands.admin(2, 30, AdminAction.REDRIVE, "fan.dlq", "g1", 0);
        assertEquals(asWritten, sink.drain(), "a version 4 daemon redrove to every group, and its journal replays so");
        new Commands(restored).admin(2, 30, AdminAction.REDRIVE, "fan.dlq", "g1", 0);
        assertEquals(asWritten, sink.drain(), "and so does its snapshot");
    }

    /**
     * A format 4 snapshot, written by the build before schema version 5 (fan.dlq holds m, dead-lettered by g1; g2
     * acked m; session 1 has consumer 1 in g1 and consumer 2 in g2): its run redrives to every group.
     */
    @Test
    void aFormat4SnapshotRestoresARunThatRedrivesToEveryGroup() throws IOException
    {
        final byte[] format4 = resource("format4-letter-of-g1.snapshot");
        final QueueStateMachine restored =
            QueueStateMachine.fromSnapshot(new UnsafeBuffer(format4), 0, format4.length, sink);
        assertEquals(1, restored.depth("fan.dlq"));
        assertEquals(restored.describeState(), snapshotAndRestore(restored).describeState(),
            "written again in the current format, it restores the same state");

        new Commands(restored).admin(1, 30, AdminAction.REDRIVE, "fan.dlq", "g1", 0);

        assertEquals(List.of(
            "deliver session=1 consumer=1 seq=2 attempt=1 payload=m",
            "deliver session=1 consumer=2 seq=2 attempt=1 payload=m",
            "done session=1 corr=30 count=1"), sink.drain());
    }

    /** Publishes m to fan: g1's only attempt is nacked, so m is a dead letter of g1; g2 acks m. */
    private void g1DeadLettersWhatG2Acks(final String payload)
    {
        commands.publish(1, 20, "fan", payload);
        commands.nack(1, 1, 1, 1, NackAction.REQUEUE);
        commands.ack(1, 2, 1, 1);
        sink.drain();
        assertEquals(0, stateMachine.depth("fan"));
        assertEquals(1, stateMachine.depth("fan.dlq"));
    }

    private QueueStateMachine snapshotAndRestore(final QueueStateMachine machine)
    {
        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer();
        return QueueStateMachine.fromSnapshot(snapshot, 0, machine.writeSnapshot(snapshot, 0), sink);
    }

    private static byte[] resource(final String name) throws IOException
    {
        try (InputStream in = RedriveTest.class.getResourceAsStream(name))
        {
            return in.readAllBytes();
        }
    }
}
