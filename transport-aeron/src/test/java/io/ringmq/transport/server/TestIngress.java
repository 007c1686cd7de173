package io.ringmq.transport.server;

import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

/** An ingress adapter polling no subscription, for tests that hand it fragments and read what it wrote to its sink. */
final class TestIngress
{
    static final int MAX_FRAME_LENGTH = 1024;
    static final int MAX_HEADER_LENGTH = 64;

    private TestIngress()
    {
    }

    /** Frames up to {@link #MAX_FRAME_LENGTH}, any Connect on IPC or the sender's address. */
    static IngressAdapter over(final CommandSink sink)
    {
        return over(sink, ConnectAdmission.unbounded());
    }

    /** As {@link #over(CommandSink)}, taking Connects as {@code admission} says. */
    static IngressAdapter over(final CommandSink sink, final ConnectAdmission admission)
    {
        return new IngressAdapter(new Subscription[0], sink, MAX_FRAME_LENGTH, MAX_HEADER_LENGTH, admission);
    }

    /** The Aeron header of a fragment of {@code payloadLength} bytes from {@code sessionId}, at a term offset. */
    static Header fragmentHeader(final int sessionId, final int termOffset, final byte flags, final int payloadLength)
    {
        final UnsafeBuffer headerBuffer = new UnsafeBuffer(new byte[DataHeaderFlyweight.HEADER_LENGTH]);
        new DataHeaderFlyweight(headerBuffer)
            .sessionId(sessionId)
            .termOffset(termOffset)
            .flags(flags)
            .frameLength(DataHeaderFlyweight.HEADER_LENGTH + payloadLength);
        final Header header = new Header(0, 16);
        header.buffer(headerBuffer);
        header.offset(0);
        return header;
    }
}
