package io.ringmq.transport.server;

import io.ringmq.core.protocol.Priority;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.ringmq.codecs.AckBatchEncoder;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.FrameRejectedDecoder;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.codecs.SubscribeEncoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.FrameValidator;
import io.ringmq.core.protocol.HeadersLayout;
import io.ringmq.core.protocol.PayloadLimit;
import io.ringmq.core.ring.CommandEvent;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A refused frame that still names a session is journaled as a FrameRejected, stamped with the sender. */
class IngressRejectionTest
{
    private static final int SENDER = 77;

    private final RecordingSink sink = new RecordingSink(64);
    private final IngressAdapter ingress = TestIngress.over(sink);
    private final Header header = TestIngress.fragmentHeader(SENDER, 0, FrameDescriptor.UNFRAGMENTED, 0);

    @Test
    void aTruncatedPublishIsExplainedToTheSessionItNames()
    {
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new PublishEncoder()
            .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .sessionId(5).correlationId(42).producerId(0).producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0).queue("orders")
            .putPayload(new byte[10], 0, 10).putHeaders(new byte[0], 0, 0).messageId("").replyTo("").encodedLength();

        ingress.onFragment(frame, 0, length - 3, header); // cut short: its payload length no longer fits

        assertEquals(1, sink.size(), "one command journaled");
        assertEquals(SENDER, CommandHeader.transportSessionId(sink.get(0).buffer(), 0));
        final FrameRejectedDecoder rejected = rejectedAt(0);
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

        assertEquals(1, sink.size(), "only the refusal journaled");
        final FrameRejectedDecoder rejected = rejectedAt(0);
        assertEquals(5, rejected.sessionId());
        assertEquals(ErrorCode.MALFORMED_FRAME, rejected.code());
        assertEquals(AckBatchEncoder.TEMPLATE_ID, rejected.templateId());
    }

    /**
     * Issue 18, item 5: a payload that fits the Publish frame but not a Deliver or a dead letter's Browsed of the same
     * message is refused here, with the limit, instead of being receipted and closing every consumer it goes to.
     */
    @Test
    void aPublishWhosePayloadCouldNotTravelInEveryFrameOfItsMessageIsRefusedWithTheLimit()
    {
        final int maxPayloadLength =
            PayloadLimit.maxPayloadLength(TestIngress.MAX_FRAME_LENGTH, TestIngress.MAX_HEADER_LENGTH);
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);
        final int tooLarge = publish(frame, 42, maxPayloadLength + 1);
        assertTrue(tooLarge < TestIngress.MAX_FRAME_LENGTH, "the Publish itself fits: " + tooLarge);

        ingress.onFragment(frame, 0, tooLarge, header);
        ingress.onFragment(frame, 0, publish(frame, 43, maxPayloadLength), header);

        assertEquals(2, sink.size(), "the refusal and the largest payload allowed journaled");
        final FrameRejectedDecoder rejected = rejectedAt(0);
        assertEquals(42, rejected.correlationId());
        assertEquals(ErrorCode.MESSAGE_TOO_LARGE, rejected.code());
        assertEquals(PublishEncoder.TEMPLATE_ID, rejected.templateId());
        assertEquals(maxPayloadLength, rejected.maxLength());
        assertEquals(PublishEncoder.TEMPLATE_ID, FrameValidator.templateId(sink.get(1).buffer(), CommandHeader.LENGTH));
        assertEquals(1, ingress.rejectedFrames());
    }

    @Test
    void aFrameOverTheMaximumIsRefusedWithTheFrameLimitOrForAPublishThePayloadLimit()
    {
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(2 * TestIngress.MAX_FRAME_LENGTH);
        final SubscribeEncoder subscribe = new SubscribeEncoder()
            .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .sessionId(5).correlationId(44).prefetch(1).visibilityTimeoutMs(0).createQueue(BooleanType.TRUE)
            .queue("q");
        subscribe.group("g".repeat(TestIngress.MAX_FRAME_LENGTH));

        ingress.onFragment(frame, 0, MessageHeaderEncoder.ENCODED_LENGTH + subscribe.encodedLength(), header);
        ingress.onFragment(frame, 0, publish(frame, 45, TestIngress.MAX_FRAME_LENGTH), header);

        assertEquals(TestIngress.MAX_FRAME_LENGTH, rejectedAt(0).maxLength());
        assertEquals(PayloadLimit.maxPayloadLength(TestIngress.MAX_FRAME_LENGTH, TestIngress.MAX_HEADER_LENGTH),
            rejectedAt(1).maxLength());
    }

    /** A Publish from session 5 to queue "q" with a payload of that length; @return the frame's length. */
    private static int publish(final ExpandableArrayBuffer frame, final long correlationId, final int payloadLength)
    {
        return publish(frame, correlationId, payloadLength, new byte[0]);
    }

    private static int publish(
        final ExpandableArrayBuffer frame, final long correlationId, final int payloadLength, final byte[] headers)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + new PublishEncoder()
            .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .sessionId(5).correlationId(correlationId).producerId(0).producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0).queue("q")
            .putPayload(new byte[payloadLength], 0, payloadLength)
            .putHeaders(headers, 0, headers.length).messageId("").replyTo("").encodedLength();
    }

    /** Headers over ringmq.max.header.bytes, or not well formed, are refused with the bound before the journal. */
    @Test
    void headersOverTheBoundOrNotWellFormedAreRefusedWithTheBound()
    {
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);
        final ExpandableArrayBuffer headers = new ExpandableArrayBuffer(128);
        final byte[] value = new byte[TestIngress.MAX_HEADER_LENGTH];
        final int fits = HeadersLayout.put(headers, 0, "k".getBytes(), HeadersLayout.TEXT,
            new UnsafeBuffer(value), 0, TestIngress.MAX_HEADER_LENGTH - HeadersLayout.ENTRY_OVERHEAD - 1);
        final byte[] exactly = java.util.Arrays.copyOf(headers.byteArray(), fits);
        final int tooMany = HeadersLayout.put(headers, 0, "k".getBytes(), HeadersLayout.TEXT,
            new UnsafeBuffer(value), 0, TestIngress.MAX_HEADER_LENGTH - HeadersLayout.ENTRY_OVERHEAD);
        final byte[] over = java.util.Arrays.copyOf(headers.byteArray(), tooMany);
        final byte[] repeated = new byte[2 * 8];
        final int once =
            HeadersLayout.put(headers, 0, "k".getBytes(), HeadersLayout.BYTES, new UnsafeBuffer(value), 0, 1);
        HeadersLayout.put(headers, once, "k".getBytes(), HeadersLayout.BYTES, new UnsafeBuffer(value), 0, 1);
        headers.getBytes(0, repeated);

        ingress.onFragment(frame, 0, publish(frame, 41, 1, exactly), header);
        ingress.onFragment(frame, 0, publish(frame, 42, 1, over), header);
        ingress.onFragment(frame, 0, publish(frame, 43, 1, repeated), header);
        ingress.onFragment(frame, 0, publish(frame, 44, 1, new byte[]{1, 0, 'k'}), header);

        assertEquals(PublishEncoder.TEMPLATE_ID, FrameValidator.templateId(sink.get(0).buffer(), CommandHeader.LENGTH),
            "exactly the bound is journaled");
        for (int i = 1; i <= 3; i++)
        {
            final FrameRejectedDecoder rejected = rejectedAt(i);
            assertEquals(ErrorCode.HEADERS_TOO_LARGE, rejected.code());
            assertEquals(41 + i, rejected.correlationId());
            assertEquals(TestIngress.MAX_HEADER_LENGTH, rejected.maxLength());
        }
    }

    /** The FrameRejected the ingress journaled at this index. */
    private FrameRejectedDecoder rejectedAt(final int index)
    {
        final CommandEvent event = sink.get(index);
        assertEquals(FrameRejectedDecoder.TEMPLATE_ID, FrameValidator.templateId(event.buffer(), CommandHeader.LENGTH));
        return new FrameRejectedDecoder().wrapAndApplyHeader(
            event.buffer(), CommandHeader.LENGTH, new MessageHeaderDecoder());
    }

    @Test
    void junkThatNamesNoSessionIsOnlyCounted()
    {
        final UnsafeBuffer junk = new UnsafeBuffer(new byte[]{1, 2, 3, 4, 5});
        ingress.onFragment(junk, 0, 5, header);
        assertEquals(0, sink.size(), "nothing journaled");
        assertEquals(1, ingress.rejectedFrames());
    }
}
