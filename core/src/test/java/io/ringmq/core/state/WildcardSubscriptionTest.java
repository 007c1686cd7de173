package io.ringmq.core.state;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.SubscribeEncoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Subscribe to a pattern of queues: one consumer per matching queue, existing or created later by any command,
 * each named to the client by an Attached; unsubscribing the pattern or closing the session ends them all.
 */
class WildcardSubscriptionTest
{
    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void connect()
    {
        commands.nodeStarted(10_000, 5);
        commands.connect(1, "aeron:ipc", 2001); // the subscriber
        commands.connect(2, "aeron:ipc", 2002); // a producer
        sink.drain();
    }

    @Test
    void matchingQueuesThatExistAttachInCreationOrderAndDeliverWhatTheyHold()
    {
        commands.publish(2, 10, "orders.eu", "a");
        commands.publish(2, 11, "billing.eu", "b");
        commands.publish(2, 12, "orders.us", "c");
        commands.publish(2, 13, "orders.eu.paid", "d");
        sink.drain();

        commands.subscribe(1, 20, "orders.*", "g", 10);

        assertEquals(List.of(
            "subscribed session=1 corr=20 consumer=1",
            "attached session=1 corr=20 subscription=1 consumer=2 queue=orders.eu",
            "deliver session=1 consumer=2 seq=1 attempt=1 payload=a",
            "attached session=1 corr=20 subscription=1 consumer=3 queue=orders.us",
            "deliver session=1 consumer=3 seq=1 attempt=1 payload=c"), sink.drain());
        commands.ack(1, 2, 1, 1);
        assertEquals(List.of(), sink.drain(), "an attached consumer acks as any other");
        assertEquals(0, stateMachine.inFlight("orders.eu", "g"));
        assertEquals(1, stateMachine.inFlight("orders.us", "g"));
    }

    @Test
    void aQueueCreatedLaterByAPublishIsAttachedInThatCommandSoItsFirstMessageIsDelivered()
    {
        commands.subscribe(1, 20, "orders.>", "g", 10);
        sink.drain();

        commands.publish(2, 30, "orders.eu.paid", "first");

        assertEquals(List.of(
            "receipt session=2 corr=30 seq=1",
            "attached session=1 corr=20 subscription=1 consumer=2 queue=orders.eu.paid",
            "deliver session=1 consumer=2 seq=1 attempt=1 payload=first"), sink.drain());
        commands.publish(2, 31, "orders", "not one of them");
        assertEquals(List.of("receipt session=2 corr=31 seq=1"), sink.drain(), "> needs at least one more segment");
    }

    @Test
    void everyCreationPathAttaches()
    {
        commands.subscribe(1, 20, "q.*", "g", 10);
        sink.drain();

        commands.declareQueue(2, 30, "q.declared", QueuePolicy.UNSET);
        commands.declareGroup(2, 31, "q.grouped", "other", io.ringmq.codecs.DispatchStrategy.ROUND_ROBIN, "");
        commands.subscribe(2, 32, "q.byname", "h", 10);
        assertEquals(List.of(
            "done session=2 corr=30 count=1",
            "attached session=1 corr=20 subscription=1 consumer=2 queue=q.declared",
            "done session=2 corr=31 count=1",
            "attached session=1 corr=20 subscription=1 consumer=3 queue=q.grouped",
            "subscribed session=2 corr=32 consumer=4",
            "attached session=1 corr=20 subscription=1 consumer=5 queue=q.byname"), sink.drain());
    }

    @Test
    void aDeadLetterQueueIsAttachedOnlyByAPatternThatNamesDlq()
    {
        commands.subscribe(1, 20, "orders.*", "workers", 10);
        commands.subscribe(1, 21, "orders.*.dlq", "auditors", 10);
        commands.publish(2, 30, "orders.eu", "bad");
        sink.drain();

        commands.nack(1, 3, 1, 1, NackAction.REJECT);

        assertEquals(List.of(
            "attached session=1 corr=21 subscription=2 consumer=4 queue=orders.eu.dlq",
            "deliver session=1 consumer=4 seq=1 attempt=1 REJECTED after 1 from orders.eu/workers payload=bad"),
            sink.drain(), "orders.* does not take back the letters its consumer rejected");
    }

    @Test
    void unsubscribingThePatternDetachesEveryConsumerAndLaterQueuesGetNone()
    {
        commands.subscribe(1, 20, "orders.*", "g", 10);
        commands.subscribe(1, 21, "orders.eu", "g", 0); // by name (consumer 2), beside the pattern's (3); no credit
        commands.publish(2, 31, "orders.us", "b");
        sink.drain(); // b to consumer 4, the pattern's on orders.us

        commands.unsubscribe(1, 1);

        assertEquals(List.of(), sink.drain(), "b is given back to a group with no consumer left");
        assertEquals(0, stateMachine.inFlight("orders.us", "g"));
        commands.publish(2, 32, "orders.eu", "c");
        commands.publish(2, 33, "orders.new", "d");
        commands.grant(1, 2, 1);
        assertEquals(List.of(
            "receipt session=2 corr=32 seq=1",
            "receipt session=2 corr=33 seq=1",
            "deliver session=1 consumer=2 seq=1 attempt=1 payload=c"), sink.drain(),
            "only the consumer subscribed by name is left");
        commands.ack(1, 4, 1, 1);
        commands.unsubscribe(1, 1);
        assertEquals(List.of(
            "error session=1 corr=0 UNKNOWN_CONSUMER",
            "error session=1 corr=0 UNKNOWN_CONSUMER"), sink.drain(), "the subscription and its consumers are gone");
    }

    @Test
    void unsubscribingThePatternGivesBackWhatItsConsumersHeld()
    {
        commands.publish(2, 30, "orders.eu", "a");
        commands.subscribe(1, 20, "orders.*", "g", 10);
        commands.subscribe(2, 21, "orders.eu", "g", 10);
        sink.drain(); // a went to consumer 2, the pattern's

        commands.unsubscribe(1, 1);

        assertEquals(List.of("deliver session=2 consumer=3 seq=1 attempt=2 payload=a"), sink.drain());
    }

    @Test
    void oneAttachedConsumerMayBeUnsubscribedAloneAndThePatternGoesOn()
    {
        commands.subscribe(1, 20, "orders.*", "g", 10);
        commands.declareQueue(2, 30, "orders.eu", QueuePolicy.UNSET);
        sink.drain();

        commands.unsubscribe(1, 2);
        commands.publish(2, 31, "orders.eu", "a");
        commands.publish(2, 32, "orders.us", "b");

        assertEquals(List.of(
            "receipt session=2 corr=31 seq=1",
            "receipt session=2 corr=32 seq=1",
            "attached session=1 corr=20 subscription=1 consumer=3 queue=orders.us",
            "deliver session=1 consumer=3 seq=1 attempt=1 payload=b"), sink.drain());
    }

    @Test
    void aDeletedQueueTakesItsConsumerAndTheQueueMadeAgainGetsANewOne()
    {
        commands.subscribe(1, 20, "orders.*", "g", 10);
        commands.declareQueue(2, 30, "orders.eu", QueuePolicy.UNSET);
        sink.drain();

        commands.admin(2, 31, AdminAction.DELETE_QUEUE, "orders.eu", "", 0, true);
        commands.ack(1, 2, 1, 1);
        commands.publish(2, 32, "orders.eu", "again");

        assertEquals(List.of(
            "done session=2 corr=31 count=0",
            "error session=1 corr=0 UNKNOWN_CONSUMER",
            "receipt session=2 corr=32 seq=1",
            "attached session=1 corr=20 subscription=1 consumer=3 queue=orders.eu",
            "deliver session=1 consumer=3 seq=1 attempt=1 payload=again"), sink.drain());
    }

    @Test
    void aClosedSessionsPatternAttachesNothingMore()
    {
        commands.subscribe(1, 20, "orders.*", "g", 10);
        commands.disconnect(1);
        sink.drain();

        commands.publish(2, 30, "orders.eu", "a");

        assertEquals(List.of("receipt session=2 corr=30 seq=1"), sink.drain());
    }

    @Test
    void aBadPatternOrOneFromAnOlderClientIsAnInvalidName()
    {
        commands.subscribe(1, 20, "orders.>.paid", "g", 10);
        commands.subscribe(1, 21, "orders.*x", "g", 10);
        commands.subscribe(1, 22, "orders.*", "bad group!", 10);
        subscribeAsVersion9(1, 23, "orders.*");

        assertEquals(List.of(
            "error session=1 corr=20 INVALID_NAME",
            "error session=1 corr=21 INVALID_NAME",
            "error session=1 corr=22 INVALID_NAME",
            "error session=1 corr=23 INVALID_NAME"), sink.drain());
        commands.publish(2, 30, "orders.eu", "a");
        assertEquals(List.of("receipt session=2 corr=30 seq=1"), sink.drain(), "no subscription was made");
    }

    @Test
    void aPatternCountsAsOneConsumerAgainstTheSessionsBound()
    {
        commands.nodeStarted(new ClientLimits(0, 0, 2), 0);
        commands.connect(3, "aeron:ipc", 2003); // session 3
        commands.declareQueue(3, 29, "orders.a", QueuePolicy.UNSET);
        commands.declareQueue(3, 30, "orders.b", QueuePolicy.UNSET);
        commands.declareQueue(3, 31, "orders.c", QueuePolicy.UNSET);
        sink.drain();

        commands.subscribe(3, 40, "orders.*", "g", 10);
        commands.subscribe(3, 41, "other", "g", 10);
        commands.subscribe(3, 42, "third", "g", 10);

        final List<String> outputs = sink.drain();
        assertEquals("error session=3 corr=42 TOO_MANY_CONSUMERS", outputs.get(outputs.size() - 1));
        assertEquals(6, outputs.size(), "subscribed, three attached, subscribed, refused");
    }

    @Test
    void aSnapshotCarriesThePatternSoTheRestoredMachineAttachesTheSame()
    {
        commands.subscribe(1, 20, "orders.*", "g", 10);
        commands.publish(2, 30, "orders.eu", "a");
        sink.drain();
        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer();
        final int length = stateMachine.writeSnapshot(snapshot, 0);
        final RecordingSink restoredSink = new RecordingSink();
        final QueueStateMachine restored = QueueStateMachine.fromSnapshot(snapshot, 0, length, restoredSink);
        commands.alsoApplyTo(restored);

        commands.publish(2, 31, "orders.us", "b");
        commands.unsubscribe(1, 1);
        commands.publish(2, 32, "orders.xx", "c");

        final List<String> expected = List.of(
            "receipt session=2 corr=31 seq=1",
            "attached session=1 corr=20 subscription=1 consumer=3 queue=orders.us",
            "deliver session=1 consumer=3 seq=1 attempt=1 payload=b",
            "receipt session=2 corr=32 seq=1");
        assertEquals(expected, sink.drain());
        assertEquals(expected, restoredSink.drain());
        final ExpandableArrayBuffer again = new ExpandableArrayBuffer();
        final ExpandableArrayBuffer fromRestored = new ExpandableArrayBuffer();
        final int originalLength = stateMachine.writeSnapshot(again, 0);
        assertEquals(originalLength, restored.writeSnapshot(fromRestored, 0));
        assertEquals(again.compareTo(fromRestored), 0, "equal states, equal snapshots");
    }

    /** A Subscribe as a client of schema version 9 sent it: the same layout, before patterns existed. */
    private void subscribeAsVersion9(final long sessionId, final long correlationId, final String queue)
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new SubscribeEncoder()
            .wrapAndApplyHeader(commands.frameBuffer(), CommandHeader.LENGTH, new MessageHeaderEncoder())
            .sessionId(sessionId).correlationId(correlationId).prefetch(10).visibilityTimeoutMs(0)
            .createQueue(BooleanType.TRUE).queue(queue).group("g")
            .encodedLength();
        new MessageHeaderEncoder().wrap(commands.frameBuffer(), CommandHeader.LENGTH).version(9);
        commands.applyFrame(length);
    }

    /** Keeps only what this test is about: done lines lose nothing, other lines pass as they are. */
    private static List<String> normalise(final List<String> outputs)
    {
        return outputs;
    }
}
