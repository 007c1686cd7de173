package io.ringmq.transport.server;

import io.ringmq.core.protocol.Priority;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.PublishDecoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.codecs.TransportClosedDecoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.FrameValidator;
import io.ringmq.core.ring.CommandEvent;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A frame that arrives in fragments is journaled once whole; when its sender's image goes away, the part assembled so
 * far is freed (issue 11: the assembler kept every gone session's buffer), and a TransportClosed is journaled only for
 * a sender that put a command on the ring (trial C finding 6: each status request's client moved the log sequence).
 */
class IngressReassemblyTest
{
    private static final int SENDER = 77;

    private final RecordingSink sink = new RecordingSink(64);
    private final IngressAdapter ingress = TestIngress.over(sink);
    private final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);
    private final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + new PublishEncoder()
        .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
        .sessionId(5).correlationId(42).producerId(0).producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0)
        .queue("orders").putPayload(new byte[100], 0, 100)
        .putHeaders(new byte[0], 0, 0).messageId("").replyTo("").encodedLength();
    private final int firstLength = frameLength / 2;
    private final Header first =
        TestIngress.fragmentHeader(SENDER, 0, FrameDescriptor.BEGIN_FRAG_FLAG, firstLength);
    private final Header last = TestIngress.fragmentHeader(
        SENDER, first.nextTermOffset(), FrameDescriptor.END_FRAG_FLAG, frameLength - firstLength);

    @Test
    void aFrameInTwoFragmentsIsJournaledWhole()
    {
        ingress.fragmentHandler().onFragment(frame, 0, firstLength, first);
        assertEquals(0, sink.size(), "nothing journaled from half a frame");

        ingress.fragmentHandler().onFragment(frame, firstLength, frameLength - firstLength, last);

        assertEquals(1, sink.size());
        assertEquals(PublishDecoder.TEMPLATE_ID, templateIdAt(0));
        assertEquals(CommandHeader.LENGTH + frameLength, sink.get(0).length());
    }

    @Test
    void aSessionWhoseImageWentAwayLosesTheFrameItLeftHalfAssembled()
    {
        ingress.fragmentHandler().onFragment(frame, 0, firstLength, first);

        ingress.transportClosed(SENDER); // what onUnavailableImage does, on the Aeron conductor's thread
        ingress.poll(0);
        assertEquals(0, sink.size(), "it put nothing on the ring: no TransportClosed");

        // Kept, the first half would make a whole frame with this one.
        ingress.fragmentHandler().onFragment(frame, firstLength, frameLength - firstLength, last);
        assertEquals(0, sink.size(), "the half assembled before the image went away was freed");
    }

    @Test
    void onlyATransportThatPutACommandOnTheRingHasItsGoingAwayJournaled()
    {
        ingress.transportClosed(SENDER + 1); // a status client's: its requests never reach the ring
        ingress.poll(0);
        assertEquals(0, sink.size(), "nothing to close in the state machine: nothing journaled");

        ingress.fragmentHandler().onFragment(frame, 0, firstLength, first);
        ingress.fragmentHandler().onFragment(frame, firstLength, frameLength - firstLength, last);
        ingress.transportClosed(SENDER);
        ingress.poll(0);
        assertEquals(2, sink.size());
        assertEquals(TransportClosedDecoder.TEMPLATE_ID, templateIdAt(1));

        ingress.transportClosed(SENDER); // its going away is journaled once
        ingress.poll(0);
        assertEquals(2, sink.size());
    }

    private int templateIdAt(final int index)
    {
        return FrameValidator.templateId(sink.get(index).buffer(), CommandHeader.LENGTH);
    }
}
