package io.ringmq.core.state;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.LimitAction;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Delayed publish (a delay or a deliver-at, by command time) and per-message time to live. */
class DelayAndTtlTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void connect()
    {
        commands.nodeStarted(60_000, 5);
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 2, "q", "g", 10);
        sink.drain();
    }

    @Test
    void aDelayedMessageIsHeldUntilItsTimeThenQueuedBehindWhatWasAvailableBefore()
    {
        final long publishedNs = commands.nowNs();
        commands.publishTimed(1, 10, "q", "later", 500, 0, 0);
        commands.publish(1, 11, "q", "now");
        assertEquals(List.of("receipt session=1 corr=10 seq=1", "receipt session=1 corr=11 seq=2",
            "deliver session=1 consumer=1 seq=2 attempt=1 payload=now"), sink.drain());
        assertEquals(2, stateMachine.depth("q"), "held, it is in the queue all the same");
        assertEquals(publishedNs + 500 * MS, stateMachine.nextDeadlineNs(), "the daemon ticks at its time");

        commands.tickAt(publishedNs + 500 * MS - 1);
        assertEquals(List.of(), sink.drain());
        commands.tickAt(publishedNs + 500 * MS);
        assertEquals(List.of("deliver session=1 consumer=1 seq=1 attempt=1 payload=later"), sink.drain());
    }

    @Test
    void aDeliverAtIsACommandTimeAndOneAlreadyPastIsNoDelay()
    {
        final long nowMs = commands.nowNs() / MS;
        commands.publishTimed(1, 10, "q", "at", 0, nowMs + 2_000, 0);
        commands.publishTimed(1, 11, "q", "past", 0, nowMs - 1, 0);
        commands.publish(1, 12, "q", "plain");
        assertEquals(List.of("receipt session=1 corr=10 seq=1", "receipt session=1 corr=11 seq=2",
            "deliver session=1 consumer=1 seq=2 attempt=1 payload=past", "receipt session=1 corr=12 seq=3",
            "deliver session=1 consumer=1 seq=3 attempt=1 payload=plain"), sink.drain());

        commands.tickAt((nowMs + 2_000) * MS);
        assertEquals(List.of("deliver session=1 consumer=1 seq=1 attempt=1 payload=at"), sink.drain());
    }

    @Test
    void heldMessagesDueTogetherComeOutByDeliverAtThenSequence()
    {
        final long nowMs = commands.nowNs() / MS;
        commands.publishTimed(1, 10, "q", "b", 0, nowMs + 300, 0);
        commands.publishTimed(1, 11, "q", "a", 0, nowMs + 200, 0);
        commands.publishTimed(1, 12, "q", "c", 0, nowMs + 300, 0);
        sink.drain();

        commands.tickAt((nowMs + 1_000) * MS);

        assertEquals(List.of("deliver session=1 consumer=1 seq=2 attempt=1 payload=a",
            "deliver session=1 consumer=1 seq=1 attempt=1 payload=b",
            "deliver session=1 consumer=1 seq=3 attempt=1 payload=c"), sink.drain());
    }

    @Test
    void aMessagePastItsTimeToLiveIsDeadLetteredAsExpiredAndCountedLikeMaxAge()
    {
        commands.subscribe(1, 3, "slow", "g", 0); // pulls nothing: the message waits
        final long publishedNs = commands.nowNs();
        commands.publishTimed(1, 10, "slow", "short-lived", 0, 0, 100);
        commands.publish(1, 11, "slow", "long-lived");
        sink.drain();

        commands.tickAt(publishedNs + 100 * MS);

        assertEquals(1, stateMachine.depth("slow"));
        assertEquals(new QueueCounters(1, 10, 1, 0, 0, 0), stateMachine.counters("slow"));
        commands.admin(1, 99, AdminAction.BROWSE, "slow.dlq", "", 0);
        assertEquals(List.of("browsed session=1 corr=99 seq=1 EXPIRED after 0 from slow/g payload=short-lived",
            "done session=1 corr=99 count=1"), sink.drain());
    }

    @Test
    void anExpiredActionOfDropDropsItAndAnExpiryEndsADeliveryInFlight()
    {
        commands.queueRule("q", QueuePolicy.UNSET.withLimits(
            new QueueLimits(0, 0, 0, LimitAction.DROP, LimitAction.DEFAULT)));
        final long publishedNs = commands.nowNs();
        commands.publishTimed(1, 10, "q", "x", 0, 0, 50);
        assertEquals(List.of("receipt session=1 corr=10 seq=1", "deliver session=1 consumer=1 seq=1 attempt=1 payload=x"),
            sink.drain());

        commands.tickAt(publishedNs + 50 * MS);
        commands.ack(1, 1, 1, 1);

        assertEquals(new QueueCounters(0, 0, 1, 0, 1, 0), stateMachine.counters("q"));
        assertEquals(-1, stateMachine.depth("q.dlq"));
        assertEquals(List.of("error session=1 corr=0 STALE_DELIVERY"), sink.drain(), "its ack is stale");
    }

    @Test
    void aTimeToLiveShorterThanTheDelayExpiresTheMessageBeforeAnyoneSeesIt()
    {
        final long publishedNs = commands.nowNs();
        commands.publishTimed(1, 10, "q", "never", 1_000, 0, 200);
        sink.drain();

        commands.tickAt(publishedNs + 2_000 * MS);

        assertEquals(List.of(), sink.drain());
        assertEquals(0, stateMachine.depth("q"));
        assertEquals(1, stateMachine.depth("q.dlq"));
        assertEquals(0, stateMachine.pendingTimers());
    }

    @Test
    void bothADelayAndADeliverAtAreRefused()
    {
        commands.publishTimed(1, 10, "q", "x", 100, commands.nowNs() / MS + 100, 0);
        commands.publishTimed(1, 11, "q", "x", 0, 0, MessageTiming.MAX_MS + 1);

        assertEquals(List.of("error session=1 corr=10 INVALID_ARGUMENT", "error session=1 corr=11 INVALID_ARGUMENT"),
            sink.drain());
        assertEquals(0, stateMachine.depth("q"));
    }

    @Test
    void aSnapshotKeepsHeldAndExpiringMessagesAndTheRestoredMachineReleasesAndExpiresThemTheSame()
    {
        final long publishedNs = commands.nowNs();
        commands.publishTimed(1, 10, "q", "held", 300, 0, 0);
        commands.subscribe(1, 3, "other", "g", 0);
        commands.publishTimed(1, 11, "other", "expiring", 0, 0, 200);
        sink.drain();

        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer();
        final RecordingSink restoredSink = new RecordingSink();
        final QueueStateMachine restored =
            QueueStateMachine.fromSnapshot(snapshot, 0, stateMachine.writeSnapshot(snapshot, 0), restoredSink);
        assertEquals(stateMachine.describeState(), restored.describeState());
        assertEquals(stateMachine.nextDeadlineNs(), restored.nextDeadlineNs());

        commands.tickAt(publishedNs + 300 * MS);
        new Commands(restored).tickAt(publishedNs + 300 * MS);
        assertEquals(List.of("deliver session=1 consumer=1 seq=1 attempt=1 payload=held"), sink.drain());
        assertEquals(List.of("deliver session=1 consumer=1 seq=1 attempt=1 payload=held"), restoredSink.drain());
        assertEquals(stateMachine.counters("other"), restored.counters("other"));
        assertEquals(1, restored.counters("other").expired());
        assertEquals(stateMachine.depth("other.dlq"), restored.depth("other.dlq"));
    }
}
