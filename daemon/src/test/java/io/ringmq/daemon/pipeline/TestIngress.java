package io.ringmq.daemon.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.aeron.protocol.DataHeaderFlyweight;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.daemon.testing.SteppedClock;
import io.ringmq.transport.server.ConnectAdmission;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** A ring producer polling no subscription, for tests that hand it fragments and read what it journaled on the ring. */
final class TestIngress
{
    private TestIngress()
    {
    }

    /** Frames up to 1 KiB, 10 ms ticks, default queue settings, no journal sync to wake, disk as {@code storage}. */
    static CommandRingProducer over(final RingBuffer<CommandEvent> ring, final StorageHeadroom storage)
    {
        return new CommandRingProducer(new Subscription[0], ring, new SteppedClock(), new CachedNanoClock(), 1024, 64, 0,
            new TickDemand(), TimeUnit.MILLISECONDS.toNanos(10), new RunDefaults(30_000, 5, List.of()),
            JournalSyncWakeUp.NEVER, storage, ConnectAdmission.unbounded(), (throwable) -> {});
    }

    /** The Aeron header of an unfragmented frame from {@code sessionId}. */
    static Header header(final int sessionId)
    {
        final UnsafeBuffer headerBuffer = new UnsafeBuffer(new byte[DataHeaderFlyweight.HEADER_LENGTH]);
        new DataHeaderFlyweight(headerBuffer).sessionId(sessionId);
        final Header header = new Header(0, 16);
        header.buffer(headerBuffer);
        header.offset(0);
        return header;
    }
}
