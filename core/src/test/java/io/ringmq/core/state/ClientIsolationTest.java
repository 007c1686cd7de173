package io.ringmq.core.state;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.BackoffKind;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.codecs.SubscribeEncoder;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One client cannot reach another through the session ids in its frames (issue 18, item 4). A command that names a
 * session connected on another transport changes nothing and is answered to no one. Its error used to go to the
 * session it named: a flood of them filled the victim's egress until its session was closed, and one carrying a
 * guessed correlation id failed the victim's waiting publish although that publish had been journaled.
 */
class ClientIsolationTest
{
    private static final int VICTIM_TRANSPORT = 11;
    private static final int ATTACKER_TRANSPORT = 22;
    private static final long VICTIM = 1;
    private static final long ATTACKER = 2;
    private static final long VICTIM_CONSUMER = 1;

    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void victimHasADeliveryInFlightAndAnAttackerIsConnected()
    {
        commands.nodeStarted();
        commands.fromTransport(VICTIM_TRANSPORT);
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(VICTIM, 2, "q", "g", 1);
        commands.publish(VICTIM, 3, "q", "m1");
        commands.fromTransport(ATTACKER_TRANSPORT);
        commands.connect(1, "aeron:ipc", 2002);
        assertEquals(List.of(
            "opened session=1 corr=1 aeron:ipc/2001",
            "subscribed session=1 corr=2 consumer=1",
            "receipt session=1 corr=3 seq=1",
            "deliver session=1 consumer=1 seq=1 attempt=1 payload=m1",
            "opened session=2 corr=1 aeron:ipc/2002"), sink.drain());
    }

    @Test
    void everyClientCommandNamingAnotherClientsSessionChangesNothingAndIsAnsweredToNoOne()
    {
        final String before = stateWithoutLogPosition();

        // From the attacker's transport, each naming the victim's session, most with the victim's next correlation id.
        commands.publish(VICTIM, 4, "q", "forged");
        commands.publish(VICTIM, 4, "bad name", "forged"); // would be INVALID_NAME for the victim's own publish
        commands.subscribe(VICTIM, 4, "q", "g", 1);
        commands.ack(VICTIM, VICTIM_CONSUMER, 1, 1);
        commands.ackBatch(VICTIM, VICTIM_CONSUMER, new long[]{1, 1});
        commands.nack(VICTIM, VICTIM_CONSUMER, 1, 1, NackAction.REJECT);
        commands.extend(VICTIM, VICTIM_CONSUMER, 1, 1, 1);
        commands.grant(VICTIM, VICTIM_CONSUMER, 10);
        commands.declareQueue(VICTIM, 4, "q", new QueuePolicy(1, 1, BackoffKind.NONE, 0, 0, DispatchStrategy.DEFAULT));
        commands.declareGroup(VICTIM, 4, "q", "g", DispatchStrategy.LEAST_OUTSTANDING, "");
        commands.admin(VICTIM, 4, AdminAction.PURGE, "q", "", 0);
        commands.admin(VICTIM, 4, AdminAction.BROWSE, "nope", "", 0);
        commands.disconnect(VICTIM);
        commands.frameRejected(VICTIM, 4, ErrorCode.MALFORMED_FRAME);

        assertEquals(List.of(), sink.drain(), "neither the victim nor the attacker is told anything");
        assertEquals(14, stateMachine.foreignCommands());
        assertEquals(before, stateWithoutLogPosition(), "nothing changed");

        // The victim carries on as if nothing had come: its delivery is still its own, its next publish receipted.
        commands.fromTransport(VICTIM_TRANSPORT);
        commands.ack(VICTIM, VICTIM_CONSUMER, 1, 1);
        commands.publish(VICTIM, 4, "q", "m2");
        assertEquals(List.of(
            "receipt session=1 corr=4 seq=2",
            "deliver session=1 consumer=1 seq=2 attempt=1 payload=m2"), sink.drain());
        assertEquals(14, stateMachine.foreignCommands());
    }

    @Test
    void errorsGoToTheSendersOwnSession()
    {
        commands.publish(ATTACKER, 9, "bad name", "x");
        commands.frameRejected(ATTACKER, 10, ErrorCode.MALFORMED_FRAME);
        assertEquals(List.of(
            "error session=2 corr=9 INVALID_NAME",
            "error session=2 corr=10 MALFORMED_FRAME"), sink.drain());
        assertEquals(0, stateMachine.foreignCommands());
    }

    @Test
    void aPublishTooLargeForTheFramesItWouldTravelInIsExplainedWithItsLimit()
    {
        commands.frameRejected(ATTACKER, 12, ErrorCode.MESSAGE_TOO_LARGE, PublishEncoder.TEMPLATE_ID, 7629);
        assertEquals(List.of("error session=2 corr=12 MESSAGE_TOO_LARGE"), sink.drain());
        assertTrue(sink.lastErrorMessage.startsWith("publish refused: its payload is larger than 7629 bytes, the " +
            "most a message may carry: every frame a message can travel in must fit ringmq.max.message.bytes"),
            sink.lastErrorMessage);

        commands.frameRejected(ATTACKER, 13, ErrorCode.MESSAGE_TOO_LARGE, SubscribeEncoder.TEMPLATE_ID, 8192);
        assertEquals("the daemon refused a frame (template 4): MESSAGE_TOO_LARGE: frames may be at most 8192 bytes " +
            "(ringmq.max.message.bytes)", sink.lastErrorMessage);

        // A refusal journaled before schema version 6 carries no limit: it is named without one.
        commands.frameRejected(ATTACKER, 14, ErrorCode.MESSAGE_TOO_LARGE, PublishEncoder.TEMPLATE_ID, 0);
        assertEquals("the daemon refused a frame (template 3): MESSAGE_TOO_LARGE", sink.lastErrorMessage);
    }

    /** The whole state but the line that says which command came last and when. */
    private String stateWithoutLogPosition()
    {
        return stateMachine.describeState().replaceAll("(?m)^log sequence=.*\n", "");
    }
}
