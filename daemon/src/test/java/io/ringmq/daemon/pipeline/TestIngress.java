package io.ringmq.daemon.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.aeron.protocol.DataHeaderFlyweight;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.daemon.testing.SteppedClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** An ingress polling no subscription, for tests that hand it fragments and read what it journaled on the ring. */
final class TestIngress
{
    private TestIngress()
    {
    }

    static final int MAX_FRAME_LENGTH = 1024;
    static final int MAX_HEADER_LENGTH = 64;

    /** Frames up to {@link #MAX_FRAME_LENGTH}, 10 ms ticks, default queue settings, no journal sync to wake. */
    static IngressAgent over(final RingBuffer<CommandEvent> ring)
    {
        return over(ring, StorageHeadroom.UNCHECKED);
    }

    /** As {@link #over(RingBuffer)}, with the journal's disk as {@code storage} says. */
    static IngressAgent over(final RingBuffer<CommandEvent> ring, final StorageHeadroom storage)
    {
        return over(ring, storage, ConnectAdmission.unbounded());
    }

    /** As {@link #over(RingBuffer)}, taking Connects as {@code admission} says. */
    static IngressAgent over(final RingBuffer<CommandEvent> ring, final ConnectAdmission admission)
    {
        return over(ring, StorageHeadroom.UNCHECKED, admission);
    }

    private static IngressAgent over(
        final RingBuffer<CommandEvent> ring, final StorageHeadroom storage, final ConnectAdmission admission)
    {
        return new IngressAgent(new Subscription[0], ring, new SteppedClock(), MAX_FRAME_LENGTH, MAX_HEADER_LENGTH, 0,
            new TickDemand(),
            TimeUnit.MILLISECONDS.toNanos(10), new RunDefaults(30_000, 5, List.of()), JournalSyncWakeUp.NEVER,
            storage, admission);
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
