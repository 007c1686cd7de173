package io.ringmq.transport.server;

import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.ringmq.codecs.ConnectEncoder;
import io.ringmq.codecs.ConnectRefusedDecoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.FrameValidator;
import io.ringmq.core.ring.CommandEvent;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 18, item 3: the ingress checks a Connect's response channel before journaling it, so the state machine never
 * sees one the daemon may not take and a replay opens exactly the sessions the live run did. A channel the daemon may
 * answer on gets a ConnectRefused (stamped with the sender) for the egress to answer; one it may not publish to is only
 * counted.
 */
class IngressConnectAdmissionTest
{
    private static final int SENDER = 77;

    private final RecordingSink sink = new RecordingSink(64);
    private final IngressAdapter ingress =
        TestIngress.over(sink, new ConnectAdmission(new ResponseChannels(16 << 20, List.of()), 0));
    private final Header header = TestIngress.fragmentHeader(SENDER, 0, FrameDescriptor.UNFRAGMENTED, 0);
    private final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);

    @Test
    void aConnectWithATermOverTheCapIsJournaledAsARefusalToAnswerOnItsChannel()
    {
        ingress.onFragment(frame, 0, connect(42, "aeron:ipc?term-length=256m"), header);

        assertEquals(1, sink.size(), "one command journaled");
        final CommandEvent event = sink.get(0);
        assertEquals(ConnectRefusedDecoder.TEMPLATE_ID,
            FrameValidator.templateId(event.buffer(), CommandHeader.LENGTH));
        assertEquals(SENDER, CommandHeader.transportSessionId(event.buffer(), 0));
        final ConnectRefusedDecoder refused = new ConnectRefusedDecoder()
            .wrapAndApplyHeader(event.buffer(), CommandHeader.LENGTH, new MessageHeaderDecoder());
        assertEquals(42, refused.correlationId());
        assertEquals(3001, refused.responseStreamId());
        assertEquals(ErrorCode.RESPONSE_TERM_TOO_LARGE, refused.code());
        assertEquals("aeron:ipc?term-length=256m", refused.responseChannel());
        assertEquals(1, ingress.refusedConnects());
        assertEquals(1, ingress.rejectedFrames());
    }

    @Test
    void aConnectNamingAnotherHostIsOnlyCountedAndAGoodOneIsJournaledAsItCame()
    {
        ingress.onFragment(frame, 0, connect(42, "aeron:udp?endpoint=203.0.113.5:40000"), header);
        assertEquals(0, sink.size(), "nothing journaled, nothing to answer");
        assertEquals(1, ingress.unansweredConnects());

        final int length = connect(43, "aeron:ipc");
        ingress.onFragment(frame, 0, length, header);
        assertEquals(1, sink.size());
        assertEquals(ConnectEncoder.TEMPLATE_ID, FrameValidator.templateId(sink.get(0).buffer(), CommandHeader.LENGTH));
        assertEquals(1, ingress.refusedConnects());
    }

    @Test
    void aConnectLeftInAeronsLogWhileTheRingIsFullIsAdmittedOnceWhenItIsTakenAgain()
    {
        final ConnectAdmission onePerSecond = new ConnectAdmission(new ResponseChannels(16 << 20, List.of()), 1);
        final RecordingSink full = new RecordingSink(0);
        final IngressAdapter busy = TestIngress.over(full, onePerSecond);
        final int length = connect(44, "aeron:ipc");
        assertEquals(Action.ABORT, busy.onFragment(frame, 0, length, header));
        assertEquals(Action.ABORT, busy.onFragment(frame, 0, length, header));

        full.room(1); // room again
        assertEquals(Action.CONTINUE, busy.onFragment(frame, 0, length, header));
        assertEquals(0, busy.refusedConnects(), "the one Connect of the second took the one token");
        assertEquals(ConnectEncoder.TEMPLATE_ID,
            FrameValidator.templateId(full.get(0).buffer(), CommandHeader.LENGTH));
    }

    /** A Connect answering on stream 3001; @return its length. */
    private int connect(final long correlationId, final String responseChannel)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + new ConnectEncoder()
            .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .correlationId(correlationId).responseStreamId(3001).responseChannel(responseChannel).clientName("test")
            .encodedLength();
    }
}
