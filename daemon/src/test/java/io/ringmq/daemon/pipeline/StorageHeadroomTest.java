package io.ringmq.daemon.pipeline;

import io.ringmq.core.protocol.Priority;
import com.lmax.disruptor.RingBuffer;
import io.aeron.logbuffer.Header;
import io.ringmq.codecs.AckEncoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.FrameRejectedDecoder;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.FrameValidator;
import io.ringmq.core.ring.CommandEvent;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Below the journal's free-space floor publishes are refused with STORAGE_FULL before anything of them is journaled,
 * everything else goes on, and publishes are taken again once space is freed.
 */
class StorageHeadroomTest
{
    private static final long FLOOR = 1_000;
    private static final long INTERVAL = StorageHeadroom.CHECK_INTERVAL_NS;

    private final AtomicLong free = new AtomicLong(FLOOR - 1);
    private final StorageHeadroom headroom = new StorageHeadroom(free::get, FLOOR, "test disk");

    @Test
    void fullBelowTheFloorAndTakenAgainOnceSpaceIsFreedAsCheckedEveryInterval()
    {
        assertTrue(headroom.isFull(0));
        free.set(FLOOR);
        assertTrue(headroom.isFull(INTERVAL - 1), "the disk is asked at most once an interval");
        assertFalse(headroom.isFull(INTERVAL), "space freed: taken again by itself");
        free.set(0);
        assertFalse(headroom.isFull(2 * INTERVAL - 1));
        assertTrue(headroom.isFull(2 * INTERVAL));
        assertFalse(new StorageHeadroom(() -> 0, 0, "unchecked").isFull(0), "a floor of 0 never checks");
    }

    @Test
    void theIngressRefusesPublishesWhileTheDiskIsFullAndTakesEverythingElse()
    {
        final RingBuffer<CommandEvent> ring = RingBuffer.createSingleProducer(CommandEvent::new, 64);
        final CommandRingProducer ingress = TestIngress.over(ring, headroom);
        final Header header = TestIngress.header(77);
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);
        ingress.doWork(); // a duty cycle asks the disk

        final int publish = MessageHeaderEncoder.ENCODED_LENGTH + new PublishEncoder()
            .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .sessionId(5).correlationId(42).producerId(0).producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0)
            .queue("orders").putPayload(new byte[10], 0, 10)
            .putHeaders(new byte[0], 0, 0).messageId("").replyTo("").encodedLength();
        ingress.adapter().onFragment(frame, 0, publish, header);
        final int ack = MessageHeaderEncoder.ENCODED_LENGTH + new AckEncoder()
            .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .sessionId(5).consumerId(1).sequence(1).attempt(1).encodedLength();
        ingress.adapter().onFragment(frame, 0, ack, header);

        assertEquals(1, ring.getCursor(), "two commands journaled: the refusal and the ack");
        assertEquals(FrameRejectedDecoder.TEMPLATE_ID, templateAt(ring, 0));
        final FrameRejectedDecoder rejected = new FrameRejectedDecoder().wrap(ring.get(0).buffer(),
            CommandHeader.LENGTH + MessageHeaderDecoder.ENCODED_LENGTH, FrameRejectedDecoder.BLOCK_LENGTH,
            FrameRejectedDecoder.SCHEMA_VERSION);
        assertEquals(ErrorCode.STORAGE_FULL, rejected.code());
        assertEquals(42, rejected.correlationId());
        assertEquals(AckEncoder.TEMPLATE_ID, templateAt(ring, 1));
    }

    private static int templateAt(final RingBuffer<CommandEvent> ring, final long sequence)
    {
        return FrameValidator.templateId(ring.get(sequence).buffer(), CommandHeader.LENGTH);
    }
}
