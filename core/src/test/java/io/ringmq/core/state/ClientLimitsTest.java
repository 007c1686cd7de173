package io.ringmq.core.state;

import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.NodeStartedEncoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import io.ringmq.codecs.LimitAction;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18, item 3: a client could make the daemon hold without bound. A run's NodeStarted now carries bounds on
 * sessions, queues and consumers per session, and a default on the bytes a queue holds; past each bound the command
 * is refused with its own code and everything else goes on. A run journaled before the bounds existed replays as it
 * ran: unbounded.
 */
class ClientLimitsTest
{
    private static final int CLIENT = 7;

    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @Test
    void aConnectPastMaxSessionsIsRefusedWithoutASessionAndOneMayConnectOnceAnotherHasClosed()
    {
        commands.nodeStarted(new ClientLimits(2, 0, 0), 0);
        commands.fromTransport(CLIENT);
        commands.connect(1, "aeron:ipc", 2001);
        commands.connect(2, "aeron:ipc", 2002);
        commands.connect(3, "aeron:ipc", 2003);
        assertEquals(List.of(
            "opened session=1 corr=1 aeron:ipc/2001",
            "opened session=2 corr=2 aeron:ipc/2002",
            "refused corr=3 aeron:ipc/2003 TOO_MANY_SESSIONS"), sink.drain());
        assertTrue(sink.lastErrorMessage.contains("ringmq.max.sessions"), sink.lastErrorMessage);
        assertEquals(2, stateMachine.sessionCount());

        commands.publish(1, 4, "q", "still served");
        commands.disconnect(2);
        commands.connect(5, "aeron:ipc", 2003);
        assertEquals(List.of(
            "receipt session=1 corr=4 seq=1",
            "closed session=2",
            "opened session=3 corr=5 aeron:ipc/2003"), sink.drain(), "the refused Connect used no session id");
    }

    @Test
    void namingANewQueuePastMaxQueuesIsRefusedWhileExistingQueuesWorkAndNothingIsCreated()
    {
        commands.nodeStarted(new ClientLimits(0, 2, 0), 0);
        commands.connect(1, "aeron:ipc", 2001);
        commands.publish(1, 2, "a", "m1");
        commands.publish(1, 3, "b", "m2");
        sink.drain();

        commands.publish(1, 4, "c", "m3");
        commands.subscribe(1, 5, "c", "g", 1);
        commands.declareQueue(1, 6, "c", QueuePolicy.UNSET);
        commands.publish(1, 7, "a", "m4");
        assertEquals(List.of(
            "error session=1 corr=4 TOO_MANY_QUEUES",
            "error session=1 corr=5 TOO_MANY_QUEUES",
            "error session=1 corr=6 TOO_MANY_QUEUES",
            "receipt session=1 corr=7 seq=2"), sink.drain());
        assertTrue(sink.lastErrorMessage.contains("ringmq.max.queues"), sink.lastErrorMessage);
        assertEquals(List.of("a", "b"), stateMachine.queueNames());
    }

    @Test
    void aDeadLetterIsNeverLostToTheQueueBoundItsDeadLetterQueueIsMadeAndCounts()
    {
        commands.nodeStarted(new ClientLimits(0, 1, 0), 0);
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 2, "a", "g", 1);
        commands.publish(1, 3, "a", "poison");
        commands.nack(1, 1, 1, 1, NackAction.REJECT);
        sink.drain();

        assertEquals(List.of("a", "a.dlq"), stateMachine.queueNames(), "made past the bound of 1");
        assertEquals(1, stateMachine.depth("a.dlq"));
        commands.subscribe(1, 4, "a.dlq", "inspect", 1);
        commands.publish(1, 5, "b", "m");
        assertEquals(List.of(
            "subscribed session=1 corr=4 consumer=2",
            "deliver session=1 consumer=2 seq=1 attempt=1 REJECTED after 1 from a/g payload=poison",
            "error session=1 corr=5 TOO_MANY_QUEUES"), sink.drain());
    }

    @Test
    void aSubscribePastMaxConsumersPerSessionIsRefusedBeforeItMakesAnythingAndOtherSessionsMaySubscribe()
    {
        commands.nodeStarted(new ClientLimits(0, 0, 1), 0);
        commands.fromTransport(1);
        commands.connect(1, "aeron:ipc", 2001);
        commands.fromTransport(2);
        commands.connect(2, "aeron:ipc", 2002);
        commands.fromTransport(1);
        commands.subscribe(1, 3, "a", "g", 1);
        commands.subscribe(1, 4, "b", "g", 1);
        commands.fromTransport(2);
        commands.subscribe(2, 5, "a", "g", 1);
        assertEquals(List.of(
            "opened session=1 corr=1 aeron:ipc/2001",
            "opened session=2 corr=2 aeron:ipc/2002",
            "subscribed session=1 corr=3 consumer=1",
            "error session=1 corr=4 TOO_MANY_CONSUMERS",
            "subscribed session=2 corr=5 consumer=2"), sink.drain());
        assertTrue(sink.lastErrorMessage.contains("ringmq.max.consumers.per.session"), sink.lastErrorMessage);
        assertEquals(List.of("a"), stateMachine.queueNames(), "the refused subscribe made no queue");
    }

    @Test
    void theDefaultMaxQueueBytesBoundsEveryQueueByItsOverflowActionAndARuleOrDeclarationLiftsIt()
    {
        commands.nodeStarted(ClientLimits.NONE, 10);
        commands.queueRule("big", QueuePolicy.UNSET.withLimits(
            new QueueLimits(0, 0, QueueLimits.NONE, LimitAction.DEFAULT, LimitAction.DEFAULT)));
        commands.connect(1, "aeron:ipc", 2001);
        commands.publish(1, 2, "q", "12345");
        commands.publish(1, 3, "q", "67890");
        commands.publish(1, 4, "q", "abcde"); // 15 bytes: the oldest is dead-lettered (the default overflow action)
        commands.publish(1, 5, "big", "12345");
        commands.publish(1, 6, "big", "67890");
        commands.publish(1, 7, "big", "abcde");
        sink.drain();

        assertEquals(2, stateMachine.depth("q"));
        assertEquals(1, stateMachine.depth("q.dlq"));
        assertEquals(1, stateMachine.counters("q").overflowed());
        assertEquals(3, stateMachine.depth("big"), "its rule lifts the default");
    }

    @Test
    void aRunJournaledBeforeTheBoundsReplaysUnboundedWhateverItsFrameCarries()
    {
        commands.nodeStartedAtSchemaVersion(5, new ClientLimits(1, 1, 1), 1);
        commands.connect(1, "aeron:ipc", 2001);
        commands.connect(2, "aeron:ipc", 2002);
        commands.subscribe(1, 3, "a", "g", 1);
        commands.subscribe(1, 4, "b", "g", 1);
        commands.publish(1, 5, "a", "more than one byte");
        assertEquals(List.of(
            "opened session=1 corr=1 aeron:ipc/2001",
            "opened session=2 corr=2 aeron:ipc/2002",
            "subscribed session=1 corr=3 consumer=1",
            "subscribed session=1 corr=4 consumer=2",
            "receipt session=1 corr=5 seq=1",
            "deliver session=1 consumer=1 seq=1 attempt=1 payload=more than one byte"), sink.drain());
    }

    /** A version 6 daemon from before the bounds were added wrote NodeStarted without them: its run had none. */
    @Test
    void aVersionSixNodeStartedWithoutTheBoundsFieldsBoundsNothing()
    {
        final int shortBlock = NodeStartedEncoder.maxSessionsEncodingOffset();
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        new NodeStartedEncoder().wrapAndApplyHeader(commands.frameBuffer(), CommandHeader.LENGTH, header)
            .startTimestampNs(0).defaultVisibilityTimeoutMs(0).defaultMaxAttempts(0)
            .maxSessions(1).maxQueues(1).maxConsumersPerSession(1).defaultMaxQueueBytes(1); // beyond the short block
        header.blockLength(shortBlock);
        commands.applyFrame(MessageHeaderEncoder.ENCODED_LENGTH + shortBlock);
        commands.connect(1, "aeron:ipc", 2001);
        commands.connect(2, "aeron:ipc", 2002);
        assertEquals(2, stateMachine.sessionCount());
        assertTrue(stateMachine.describeState().contains("maxSessions=none maxQueues=none"),
            stateMachine.describeState());
    }

    @Test
    void theBoundsSurviveASnapshotAndTheRestoredMachineRefusesAsTheLiveOneDid()
    {
        commands.nodeStarted(new ClientLimits(1, 1, 1), 64);
        commands.connect(1, "aeron:ipc", 2001);
        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer(4096);
        final int length = stateMachine.writeSnapshot(snapshot, 0);
        final RecordingSink restoredSink = new RecordingSink();
        final QueueStateMachine restored = QueueStateMachine.fromSnapshot(snapshot, 0, length, restoredSink);
        assertEquals(stateMachine.describeState(), restored.describeState());

        final Commands again = new Commands(restored);
        again.connect(2, "aeron:ipc", 2002);
        assertEquals(List.of("refused corr=2 aeron:ipc/2002 TOO_MANY_SESSIONS"), restoredSink.drain());
    }

    @Test
    void aConnectTheIngressRefusedIsAnsweredOnItsChannelWithoutASession()
    {
        commands.nodeStarted();
        commands.connectRefused(9, "aeron:ipc?term-length=256m", 2001, ErrorCode.RESPONSE_TERM_TOO_LARGE,
            "term-length 256m is over ringmq.response.max.term.length=16m");
        assertEquals(List.of("refused corr=9 aeron:ipc?term-length=256m/2001 RESPONSE_TERM_TOO_LARGE"), sink.drain());
        assertEquals("term-length 256m is over ringmq.response.max.term.length=16m", sink.lastErrorMessage);
        assertEquals(0, stateMachine.sessionCount());
    }
}
