package io.ringmq.core.state;

import io.ringmq.codecs.NackAction;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Deliveries not settled in time come back, on time as the commands tell it, never by a clock of its own. */
class VisibilityTimeoutTest
{
    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void connect()
    {
        commands.nodeStarted(10_000, 3);
        commands.connect(1, "aeron:ipc", 2001);
    }

    @Test
    void unackedDeliveryIsDeliveredAgainAfterItsTimeout()
    {
        commands.subscribe(1, 20, "q", "g", 10, 1000);
        commands.publish(1, 30, "q", "a");
        sink.drain();

        commands.tickAfterMs(999);
        assertEquals(List.of(), sink.drain(), "not yet: 999 ms of 1000");

        commands.tickAfterMs(1);
        assertEquals(List.of("deliver session=1 consumer=1 seq=1 attempt=2 payload=a"), sink.drain());
        assertEquals(1, stateMachine.pendingTimers(), "the new delivery has its own deadline");
    }

    @Test
    void ackBeforeTheTimeoutCancelsIt()
    {
        commands.subscribe(1, 20, "q", "g", 10, 1000);
        commands.publish(1, 30, "q", "a");
        commands.tickAfterMs(500);
        commands.ack(1, 1, 1, 1);
        sink.drain();

        assertEquals(0, stateMachine.pendingTimers());
        commands.tickAfterMs(5000);
        assertEquals(List.of(), sink.drain());
        assertEquals(0, stateMachine.depth("q"));
    }

    @Test
    void ackOfTheTimedOutAttemptIsStaleAndTheCurrentOneCounts()
    {
        commands.subscribe(1, 20, "q", "g", 10, 1000);
        commands.publish(1, 30, "q", "a");
        commands.tickAfterMs(1000);
        sink.drain();

        commands.ack(1, 1, 1, 1);
        assertEquals(List.of("error session=1 corr=0 STALE_DELIVERY"), sink.drain());
        commands.ack(1, 1, 1, 2);
        assertEquals(List.of(), sink.drain());
        assertEquals(0, stateMachine.depth("q"));
        assertEquals(0, stateMachine.pendingTimers());
    }

    @Test
    void afterMaxAttemptsTheMessageGoesToTheDeadLetterQueue()
    {
        commands.subscribe(1, 20, "q", "g", 10, 1000);
        commands.publish(1, 30, "q", "poison");
        commands.tickAfterMs(1000); // attempt 2
        commands.tickAfterMs(1000); // attempt 3 = max
        sink.drain();

        commands.tickAfterMs(1000);

        assertEquals(List.of(), sink.drain(), "no fourth attempt");
        assertEquals(0, stateMachine.depth("q"));
        assertEquals(1, stateMachine.depth("q.dlq"));
        assertEquals(0, stateMachine.inFlight("q", "g"));
    }

    @Test
    void queueDefaultAppliesWhenTheSubscriberNamesNoTimeout()
    {
        commands.subscribe(1, 20, "q", "g", 10);
        commands.publish(1, 30, "q", "a");
        sink.drain();

        commands.tickAfterMs(9_999);
        assertEquals(List.of(), sink.drain());
        commands.tickAfterMs(1);
        assertEquals(List.of("deliver session=1 consumer=1 seq=1 attempt=2 payload=a"), sink.drain());
    }

    @Test
    void aLongSilenceExpiresEverythingDueInOrder()
    {
        commands.subscribe(1, 20, "q", "g", 1, 1000);
        commands.subscribe(1, 21, "q", "h", 1, 3000);
        commands.publish(1, 30, "q", "a");
        sink.drain();

        commands.tickAfterMs(3_600_000); // an hour without a single command

        assertEquals(List.of(
            "deliver session=1 consumer=1 seq=1 attempt=2 payload=a",
            "deliver session=1 consumer=2 seq=1 attempt=2 payload=a"), sink.drain());
    }

    @Test
    void deadlinesPassedTogetherAreHandledInDeadlineOrderWhateverTheGroupOrder()
    {
        commands.subscribe(1, 20, "q", "first", 1, 3000);
        commands.subscribe(1, 21, "q", "second", 1, 1000);
        commands.publish(1, 30, "q", "a");
        sink.drain();

        commands.tickAfterMs(60_000);

        assertEquals(List.of(
            "deliver session=1 consumer=2 seq=1 attempt=2 payload=a",
            "deliver session=1 consumer=1 seq=1 attempt=2 payload=a"), sink.drain());
    }

    @Test
    void nackAndDisconnectCancelTheirTimers()
    {
        commands.subscribe(1, 20, "q", "g", 1, 1000);
        commands.publish(1, 30, "q", "a");
        commands.nack(1, 1, 1, 1, NackAction.REQUEUE); // delivered again at once: one timer, the new one
        assertEquals(1, stateMachine.pendingTimers());

        commands.disconnect(1);
        assertEquals(0, stateMachine.pendingTimers());
        sink.drain();
        commands.tickAfterMs(10_000);
        assertEquals(List.of(), sink.drain());
        assertEquals(1, stateMachine.depth("q"));
    }

    @Test
    void leavingWithoutReleasingKeepsDeliveriesInFlightUntilTheirTimeout()
    {
        commands.connect(2, "aeron:ipc", 2002);
        commands.subscribe(1, 20, "q", "g", 10, 1000);
        commands.publish(1, 30, "q", "a");
        commands.subscribe(2, 21, "q", "g", 10, 1000);
        sink.drain();

        commands.disconnect(1, false);
        assertEquals(List.of("closed session=1"), sink.drain());
        assertEquals(1, stateMachine.inFlight("q", "g"));

        commands.tickAfterMs(1000);
        assertEquals(List.of("deliver session=2 consumer=2 seq=1 attempt=2 payload=a"), sink.drain());
    }

    @Test
    void subscribeRefusesAnOutOfRangeTimeout()
    {
        sink.drain();
        commands.subscribe(1, 20, "q", "g", 1, -1);
        commands.subscribe(1, 21, "q", "g", 1, QueueStateMachine.MAX_VISIBILITY_TIMEOUT_MS + 1);
        assertEquals(List.of(
            "error session=1 corr=20 INVALID_ARGUMENT",
            "error session=1 corr=21 INVALID_ARGUMENT"), sink.drain());
    }
}
