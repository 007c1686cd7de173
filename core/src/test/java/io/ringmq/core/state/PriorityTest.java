package io.ringmq.core.state;

import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.FrameValidator;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Priority per message: higher first, FIFO within one, redeliveries keep theirs; older frames and snapshots have 4. */
class PriorityTest
{
    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    private void connect()
    {
        commands.nodeStarted();
        commands.connect(1, "aeron:ipc", 2001);
        sink.drain();
    }

    @Test
    void aGroupDeliversHigherPrioritiesFirstAndFifoWithinOne()
    {
        connect();
        commands.publishWithPriority(1, 10, "q", "a4", 4);
        commands.publishWithPriority(1, 11, "q", "b9", 9);
        commands.publishWithPriority(1, 12, "q", "c0", 0);
        commands.publishWithPriority(1, 13, "q", "d9", 9);
        commands.publishWithPriority(1, 14, "q", "e4", 4);
        sink.drain();

        commands.subscribe(1, 20, "q", "g", 10);

        assertEquals(List.of("subscribed session=1 corr=20 consumer=1",
            "deliver session=1 consumer=1 seq=2 attempt=1 priority=9 payload=b9",
            "deliver session=1 consumer=1 seq=4 attempt=1 priority=9 payload=d9",
            "deliver session=1 consumer=1 seq=1 attempt=1 payload=a4",
            "deliver session=1 consumer=1 seq=5 attempt=1 payload=e4",
            "deliver session=1 consumer=1 seq=3 attempt=1 priority=0 payload=c0"), sink.drain());
    }

    /** With one credit, each freed credit goes to the highest priority waiting at that moment. */
    @Test
    void aHigherPriorityPublishedWhileOneIsInFlightGoesNext()
    {
        connect();
        commands.subscribe(1, 2, "q", "g", 1);
        commands.publishWithPriority(1, 10, "q", "low1", 1);
        commands.publishWithPriority(1, 11, "q", "low2", 1);
        commands.publishWithPriority(1, 12, "q", "high", 8);
        sink.drain();

        commands.ack(1, 1, 1, 1);

        assertEquals(List.of("deliver session=1 consumer=1 seq=3 attempt=1 priority=8 payload=high"), sink.drain());
    }

    @Test
    void aRedeliveryKeepsItsPriorityAndGoesBeforeNewMessagesOfIt()
    {
        connect();
        commands.subscribe(1, 2, "q", "g", 1);
        commands.publishWithPriority(1, 10, "q", "h1", 7);
        commands.publishWithPriority(1, 11, "q", "low", 2);
        commands.publishWithPriority(1, 12, "q", "h2", 7);
        sink.drain();

        commands.nack(1, 1, 1, 1, NackAction.REQUEUE);
        assertEquals(List.of("deliver session=1 consumer=1 seq=1 attempt=2 priority=7 payload=h1"), sink.drain(),
            "given back, h1 is still of priority 7, and before h2 (FIFO within the priority, redeliveries first)");
        commands.ack(1, 1, 1, 2);
        assertEquals(List.of("deliver session=1 consumer=1 seq=3 attempt=1 priority=7 payload=h2"), sink.drain());
        commands.ack(1, 1, 3, 1);
        assertEquals(List.of("deliver session=1 consumer=1 seq=2 attempt=1 priority=2 payload=low"), sink.drain());
    }

    @Test
    void aPriorityOutsideZeroToNineIsRefused()
    {
        connect();
        commands.publishWithPriority(1, 10, "q", "x", 10);

        assertEquals(List.of("error session=1 corr=10 " + ErrorCode.INVALID_ARGUMENT), sink.drain());
        assertEquals(-1, stateMachine.depth("q"), "nothing stored, the queue not even created");
    }

    @Test
    void theIngressRefusesAPriorityOutsideZeroToNine()
    {
        final MutableDirectBuffer frame = new ExpandableArrayBuffer();
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new PublishEncoder()
            .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .sessionId(1).correlationId(1).producerId(0).producerSequence(0).requestId(0).priority((short)10)
            .queue("q").putPayload(new byte[1], 0, 1).putHeaders(new byte[0], 0, 0).messageId("").replyTo("")
            .encodedLength();

        assertEquals(ErrorCode.INVALID_ARGUMENT, FrameValidator.validate(frame, 0, length));
        assertTrue(FrameValidator.invalidField(frame, 0, length).contains("priority=10"));
    }

    /** A Publish as a version 7 client sent it (and a journal holds it): no priority field, so the default. */
    @Test
    void aVersion7PublishHasTheDefaultPriority()
    {
        connect();
        commands.publishWithPriority(1, 10, "q", "p3", 3);
        final MutableDirectBuffer frame = commands.frameBuffer();
        final int v7Block = PublishEncoder.priorityEncodingOffset();
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new PublishEncoder()
            .wrapAndApplyHeader(frame, CommandHeader.LENGTH, new MessageHeaderEncoder())
            .sessionId(1).correlationId(11).producerId(0).producerSequence(0).requestId(0).priority((short)0)
            .queue("q").putPayload(new byte[]{'v', '7'}, 0, 2).putHeaders(new byte[0], 0, 0).messageId("")
            .replyTo("").encodedLength() - 1; // one byte less: the priority, absent from a version 7 block
        rewriteAsVersion7(frame, v7Block, length + 1);
        assertEquals(null, FrameValidator.validate(frame, CommandHeader.LENGTH, length), "the ingress takes it");
        commands.applyFrame(length);
        sink.drain();

        commands.subscribe(1, 20, "q", "g", 10);

        assertEquals(List.of("subscribed session=1 corr=20 consumer=1",
            "deliver session=1 consumer=1 seq=2 attempt=1 payload=v7",
            "deliver session=1 consumer=1 seq=1 attempt=1 priority=3 payload=p3"), sink.drain());
    }

    /**
     * A format 7 snapshot, written by the build before priorities (pq holds m1-m5; g1 acked m2 and has m1 and m3 to
     * redeliver, its session closed; g2 has had nothing): every message has the default priority, and a message of a
     * higher one published after the restore goes first.
     */
    @Test
    void aFormat7SnapshotRestoresEveryMessageAtTheDefaultPriority() throws IOException
    {
        final byte[] format7 = resource("format7-redeliveries-and-two-groups.snapshot");
        final QueueStateMachine restored =
            QueueStateMachine.fromSnapshot(new UnsafeBuffer(format7), 0, format7.length, sink);
        assertEquals(5, restored.depth("pq"));
        final ExpandableArrayBuffer again = new ExpandableArrayBuffer();
        assertEquals(restored.describeState(), QueueStateMachine.fromSnapshot(again, 0,
            restored.writeSnapshot(again, 0), new RecordingSink()).describeState(),
            "written again in the current format, it restores the same state");

        final Commands restoredCommands = new Commands(restored);
        restoredCommands.connect(1, "aeron:ipc", 2001);
        restoredCommands.publishWithPriority(2, 30, "pq", "urgent", 9);
        restoredCommands.subscribe(2, 31, "pq", "g1", 10);
        restoredCommands.subscribe(2, 32, "pq", "g2", 10);

        assertEquals(List.of("opened session=2 corr=1 aeron:ipc/2001", "receipt session=2 corr=30 seq=6",
            "subscribed session=2 corr=31 consumer=3",
            "deliver session=2 consumer=3 seq=6 attempt=1 priority=9 payload=urgent",
            "deliver session=2 consumer=3 seq=1 attempt=2 payload=m1",
            "deliver session=2 consumer=3 seq=3 attempt=2 payload=m3",
            "deliver session=2 consumer=3 seq=4 attempt=1 payload=m4",
            "deliver session=2 consumer=3 seq=5 attempt=1 payload=m5",
            "subscribed session=2 corr=32 consumer=4",
            "deliver session=2 consumer=4 seq=6 attempt=1 priority=9 payload=urgent",
            "deliver session=2 consumer=4 seq=1 attempt=1 payload=m1",
            "deliver session=2 consumer=4 seq=2 attempt=1 payload=m2",
            "deliver session=2 consumer=4 seq=3 attempt=1 payload=m3",
            "deliver session=2 consumer=4 seq=4 attempt=1 payload=m4",
            "deliver session=2 consumer=4 seq=5 attempt=1 payload=m5"), sink.drain());
    }

    /** Moves the var data one byte back over the priority and marks the frame version 7 with the shorter block. */
    private static void rewriteAsVersion7(final MutableDirectBuffer frame, final int v7Block, final int v8Length)
    {
        final int blockStart = CommandHeader.LENGTH + MessageHeaderEncoder.ENCODED_LENGTH;
        final int varStart = blockStart + PublishEncoder.BLOCK_LENGTH;
        frame.putBytes(blockStart + v7Block, frame, varStart, v8Length - (varStart - CommandHeader.LENGTH));
        new MessageHeaderEncoder().wrap(frame, CommandHeader.LENGTH).blockLength(v7Block).version(7);
    }

    private static byte[] resource(final String name) throws IOException
    {
        try (InputStream in = PriorityTest.class.getResourceAsStream(name))
        {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }
}
