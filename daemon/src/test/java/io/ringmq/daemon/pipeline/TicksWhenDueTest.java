package io.ringmq.daemon.pipeline;

import io.ringmq.core.protocol.Priority;
import com.lmax.disruptor.RingBuffer;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.aeron.protocol.DataHeaderFlyweight;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.ConnectEncoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.NackEncoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.codecs.SubscribeEncoder;
import io.ringmq.codecs.TickDecoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.FrameValidator;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.core.state.DiscardingOutputSink;
import io.ringmq.core.state.MessageView;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.daemon.snapshot.SnapshotStore;
import io.ringmq.daemon.snapshot.Snapshotter;
import io.ringmq.daemon.testing.SteppedClock;
import io.ringmq.transport.server.ConnectAdmission;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ingress journals a tick only when the state machine has something due, not every tick interval while any timer
 * is pending: one delivery in flight with a 600 s visibility timeout costs nothing while the daemon idles, and the
 * redelivery still comes when its deadline does. Driven by hand: the ingress's duty cycle and the dispatcher's
 * batches are called directly, the clock is stepped.
 */
class TicksWhenDueTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long TICK_INTERVAL_NS = 10 * MS;
    private static final int CLIENT_TRANSPORT = 7;

    @TempDir
    Path tempDir;

    private final SteppedClock clock = new SteppedClock();
    private final RingBuffer<CommandEvent> ring = RingBuffer.createSingleProducer(CommandEvent::new, 1024);
    private final TickDemand tickDemand = new TickDemand();
    /** Real time for the ingress: spaces the egress's turns, whatever the daemon's clock says. */
    private final CachedNanoClock monotonic = new CachedNanoClock();
    private final CommandRingProducer ingress = new CommandRingProducer(new Subscription[0], ring, clock,
        monotonic, 1024, 64, 0, tickDemand, TICK_INTERVAL_NS, new RunDefaults(30_000, 5, List.of()),
        JournalSyncWakeUp.NEVER, StorageHeadroom.UNCHECKED, ConnectAdmission.unbounded(), (throwable) -> {});
    private final List<String> deliveries = new ArrayList<>();
    private final Header header = new Header(0, 16);
    private final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private Snapshotter snapshotter;
    private DispatchHandler dispatcher;
    private long dispatched = -1;
    private long sessionId;
    private long consumerId;
    private int ticks;
    /** What the egress says after each batch: responses wait for a client to have room. */
    private boolean responsesWaiting;

    @BeforeEach
    void start()
    {
        final UnsafeBuffer headerBuffer = new UnsafeBuffer(new byte[DataHeaderFlyweight.HEADER_LENGTH]);
        new DataHeaderFlyweight(headerBuffer).sessionId(CLIENT_TRANSPORT);
        header.buffer(headerBuffer);
        header.offset(0);

        final QueueStateMachine stateMachine = new QueueStateMachine(new DiscardingOutputSink()
        {
            public void onSessionOpened(
                final long sessionId, final long correlationId, final String channel, final int streamId)
            {
                TicksWhenDueTest.this.sessionId = sessionId;
            }

            public void onSubscribed(final long sessionId, final long correlationId, final long consumerId)
            {
                TicksWhenDueTest.this.consumerId = consumerId;
            }

            public void onDeliver(
                final long sessionId, final long consumerId, final int attempt, final MessageView message)
            {
                deliveries.add(message.sequence() + "/" + attempt);
            }
        });
        snapshotter = new Snapshotter(new SnapshotStore(tempDir, 1), 0, 0, clock, 0); // snapshots off
        dispatcher = new DispatchHandler(stateMachine, new CachedNanoClock(), new StageHistograms(), tickDemand,
            () -> responsesWaiting, snapshotter);
        ingress.onStart();
        dispatch();
    }

    @AfterEach
    void stop()
    {
        snapshotter.close();
    }

    @Test
    void aFarDeadlineCostsNoTicksWhileIdleAndIsTickedWhenItComes()
    {
        subscribe("orders", 600_000);
        publish("orders");
        assertEquals(List.of("1/1"), deliveries);

        idle(20_000);
        assertEquals(0, ticks, "20 s of idle time, 580 s before the deadline: nothing to journal");

        idle(580_000 - 10); // just before the deadline
        assertEquals(0, ticks, "still nothing due");
        assertEquals(List.of("1/1"), deliveries);

        idle(10);
        assertEquals(1, ticks, "one tick, once the deadline has come");
        assertEquals(List.of("1/1", "1/2"), deliveries, "the delivery timed out and came back");
    }

    @Test
    void anEarlierDeadlineAfterALaterOneIsTickedAtItsOwnTime()
    {
        subscribe("slow", 600_000);
        publish("slow");
        subscribe("fast", 5_000); // a deadline earlier than the one already pending
        publish("fast");
        assertEquals(List.of("1/1", "1/1"), deliveries);

        idle(5_000 - 10);
        assertEquals(0, ticks);
        idle(10);
        assertEquals(1, ticks, "the 5 s deadline is ticked, though a later one was pending first");
        assertEquals(List.of("1/1", "1/1", "1/2"), deliveries);
    }

    @Test
    void aRedeliveryBackoffIsTickedWhenItEnds()
    {
        subscribe("orders", 600_000);
        publish("orders");
        nack(1, 1, 30_000);
        assertEquals(List.of("1/1"), deliveries);

        idle(30_000 - 10);
        assertEquals(0, ticks);
        idle(10);
        assertEquals(1, ticks);
        assertEquals(List.of("1/1", "1/2"), deliveries, "redelivered once its 30 s backoff is over");
    }

    @Test
    void deadlinesComingOneAfterAnotherAreTickedAtMostOncePerInterval()
    {
        subscribe("orders", 1_000);
        for (int i = 0; i < 50; i++)
        {
            publish("orders");
            idle(1); // deadlines 1 ms apart, from 1 s on
        }
        idle(1_000 - 50 - 1);
        assertEquals(0, ticks, "nothing due for the first second");

        idle(1 + 50);
        assertEquals(6, ticks, "50 ms of deadlines, one each ms: a tick when the first comes, then one per 10 ms");
        assertEquals(100, deliveries.size(), "each of the 50 came back once");
    }

    @Test
    void responsesWaitingForAClientGetATurnEachIntervalOfRealTimeWhileTheDaemonsClockStandsStill()
    {
        subscribe("orders", 600_000);
        responsesWaiting = true;
        publish("orders"); // its batch leaves responses waiting

        monotonic.advance(TICK_INTERVAL_NS - 1);
        ingress.doWork();
        dispatch();
        assertEquals(0, ticks, "not a tick interval since the last command yet");

        monotonic.advance(1);
        ingress.doWork();
        responsesWaiting = false; // the client made room: the tick's batch sends everything
        dispatch();
        assertEquals(1, ticks, "a tick for the egress's turn, on the monotonic clock alone");

        monotonic.advance(10 * TICK_INTERVAL_NS);
        ingress.doWork();
        dispatch();
        assertEquals(1, ticks, "nothing waits: no more ticks");
    }

    /** Steps the clock 1 ms at a time, a duty cycle and a dispatch after each step; counts the ticks journaled. */
    private void idle(final long ms)
    {
        for (long i = 0; i < ms; i++)
        {
            clock.advanceMs(1);
            ingress.doWork();
            dispatch();
        }
    }

    private void subscribe(final String queue, final long visibilityTimeoutMs)
    {
        if (0 == sessionId)
        {
            send(MessageHeaderEncoder.ENCODED_LENGTH + new ConnectEncoder().wrapAndApplyHeader(frame, 0, headerEncoder)
                .correlationId(1).responseStreamId(1).responseChannel("aeron:ipc").clientName("test").encodedLength());
        }
        send(MessageHeaderEncoder.ENCODED_LENGTH + new SubscribeEncoder().wrapAndApplyHeader(frame, 0, headerEncoder)
            .sessionId(sessionId).correlationId(2).prefetch(100).visibilityTimeoutMs(visibilityTimeoutMs)
            .createQueue(BooleanType.TRUE).queue(queue).group("g").encodedLength());
    }

    private void publish(final String queue)
    {
        send(MessageHeaderEncoder.ENCODED_LENGTH + new PublishEncoder().wrapAndApplyHeader(frame, 0, headerEncoder)
            .sessionId(sessionId).correlationId(3).producerId(0).producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0)
            .queue(queue).putPayload(new byte[8], 0, 8).putHeaders(new byte[0], 0, 0).messageId("").replyTo("").encodedLength());
    }

    private void nack(final long sequence, final int attempt, final long delayMs)
    {
        send(MessageHeaderEncoder.ENCODED_LENGTH + new NackEncoder().wrapAndApplyHeader(frame, 0, headerEncoder)
            .sessionId(sessionId).consumerId(consumerId).sequence(sequence).attempt(attempt)
            .action(NackAction.REQUEUE_DELAYED).delayMs(delayMs).encodedLength());
    }

    /** A client frame through the ingress, as if Aeron had polled it, then through the dispatcher. */
    private void send(final int length)
    {
        ingress.adapter().onFragment(frame, 0, length, header);
        dispatch();
    }

    /** Applies what the ingress journaled since the last call, as one batch. */
    private void dispatch()
    {
        final long cursor = ring.getCursor();
        while (dispatched < cursor)
        {
            final CommandEvent event = ring.get(++dispatched);
            if (TickDecoder.TEMPLATE_ID == FrameValidator.templateId(event.buffer(), CommandHeader.LENGTH))
            {
                ticks++;
            }
            dispatcher.onEvent(event, dispatched, dispatched == cursor);
        }
    }
}
