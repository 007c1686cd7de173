package io.ringmq.daemon.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.ringmq.codecs.AckBatchEncoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.FrameRejectedDecoder;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.FrameValidator;
import io.ringmq.core.ring.CommandEvent;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A refused frame that still names a session is journaled as a FrameRejected, stamped with the sender. */
class IngressRejectionTest
{
    private static final int SENDER = 77;

    private final RingBuffer<CommandEvent> ring = RingBuffer.createSingleProducer(CommandEvent::new, 64);
    private final IngressAgent ingress = TestIngress.over(ring);
    private final Header header = TestIngress.fragmentHeader(SENDER, 0, FrameDescriptor.UNFRAGMENTED, 0);

    @Test
    void aTruncatedPublishIsExplainedToTheSessionItNames()
    {
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new PublishEncoder()
            .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .sessionId(5).correlationId(42).queue("orders").putPayload(new byte[10], 0, 10)
            .encodedLength();

        ingress.onFragment(frame, 0, length - 3, header); // cut short: its payload length no longer fits

        assertEquals(0, ring.getCursor(), "one command journaled");
        final CommandEvent event = ring.get(0);
        assertEquals(SENDER, CommandHeader.transportSessionId(event.buffer(), 0));
        assertEquals(FrameRejectedDecoder.TEMPLATE_ID, FrameValidator.templateId(event.buffer(), CommandHeader.LENGTH));
        final FrameRejectedDecoder rejected = new FrameRejectedDecoder().wrap(event.buffer(),
            CommandHeader.LENGTH + MessageHeaderDecoder.ENCODED_LENGTH, FrameRejectedDecoder.BLOCK_LENGTH,
            FrameRejectedDecoder.SCHEMA_VERSION);
        assertEquals(5, rejected.sessionId());
        assertEquals(42, rejected.correlationId());
        assertEquals(ErrorCode.MALFORMED_FRAME, rejected.code());
        assertEquals(ingress.rejectedFrames(), 1);
    }

    @Test
    void anEmptyAckBatchIsRefusedAsMalformedToTheSessionItNames()
    {
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);
        final AckBatchEncoder batch = new AckBatchEncoder()
            .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder()).sessionId(5).consumerId(3);
        batch.entriesCount(0);

        ingress.onFragment(frame, 0, MessageHeaderEncoder.ENCODED_LENGTH + batch.encodedLength(), header);

        assertEquals(0, ring.getCursor(), "only the refusal journaled");
        final CommandEvent event = ring.get(0);
        assertEquals(FrameRejectedDecoder.TEMPLATE_ID, FrameValidator.templateId(event.buffer(), CommandHeader.LENGTH));
        final FrameRejectedDecoder rejected = new FrameRejectedDecoder().wrap(event.buffer(),
            CommandHeader.LENGTH + MessageHeaderDecoder.ENCODED_LENGTH, FrameRejectedDecoder.BLOCK_LENGTH,
            FrameRejectedDecoder.SCHEMA_VERSION);
        assertEquals(5, rejected.sessionId());
        assertEquals(ErrorCode.MALFORMED_FRAME, rejected.code());
        assertEquals(AckBatchEncoder.TEMPLATE_ID, rejected.templateId());
    }

    @Test
    void junkThatNamesNoSessionIsOnlyCounted()
    {
        final UnsafeBuffer junk = new UnsafeBuffer(new byte[]{1, 2, 3, 4, 5});
        ingress.onFragment(junk, 0, 5, header);
        assertEquals(-1, ring.getCursor(), "nothing journaled");
        assertEquals(1, ingress.rejectedFrames());
    }
}
