package io.ringmq.core.state;

import io.ringmq.codecs.BackoffKind;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.NackAction;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Nack with a delay, the queue's retry backoff, and extending a delivery's visibility. */
class RedeliveryDelayTest
{
    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void connect()
    {
        commands.nodeStarted(10_000, 10);
        commands.connect(1, "aeron:ipc", 2001);
    }

    @Test
    void nackWithDelayRedeliversOnlyOnceTheDelayPassed()
    {
        commands.subscribe(1, 20, "q", "g", 10);
        commands.publish(1, 30, "q", "a");
        sink.drain();

        commands.nackDelayed(1, 1, 1, 1, 500);
        commands.tickAfterMs(499);
        assertEquals(List.of(), sink.drain());
        assertEquals(0, stateMachine.inFlight("q", "g"), "a delayed message is not in flight");
        assertEquals(1, stateMachine.pendingTimers(), "its delay is a timer");

        commands.tickAfterMs(1);
        assertEquals(List.of("deliver session=1 consumer=1 seq=1 attempt=2 payload=a"), sink.drain());
    }

    @Test
    void nackWithDelayOutOfRangeIsRefusedAndLeavesTheDeliveryInFlight()
    {
        commands.subscribe(1, 20, "q", "g", 10);
        commands.publish(1, 30, "q", "a");
        sink.drain();

        commands.nackDelayed(1, 1, 1, 1, -1);
        commands.nackDelayed(1, 1, 1, 1, QueuePolicy.MAX_DELAY_MS + 1);

        assertEquals(List.of(
            "error session=1 corr=0 INVALID_ARGUMENT",
            "error session=1 corr=0 INVALID_ARGUMENT"), sink.drain());
        assertEquals(1, stateMachine.inFlight("q", "g"));
    }

    @Test
    void exponentialBackoffDoublesTheWaitAfterEachFailedAttemptUpToItsCap()
    {
        commands.declareQueue(1, 10, "q",
            new QueuePolicy(1000, 0, BackoffKind.EXPONENTIAL, 100, 300, DispatchStrategy.DEFAULT));
        commands.subscribe(1, 20, "q", "g", 10);
        commands.publish(1, 30, "q", "a");
        sink.drain();

        // attempt 1 times out at 1000 ms, waits 100; attempt 2 times out, waits 200; attempt 3, waits 300 (cap).
        final long[] waits = {100, 200, 300, 300};
        for (int failed = 1; failed <= waits.length; failed++)
        {
            commands.tickAfterMs(1000);
            assertEquals(List.of(), sink.drain(), "attempt " + failed + " timed out; backoff starts");
            commands.tickAfterMs(waits[failed - 1] - 1);
            assertEquals(List.of(), sink.drain(), "still waiting after attempt " + failed);
            commands.tickAfterMs(1);
            assertEquals(List.of("deliver session=1 consumer=1 seq=1 attempt=" + (failed + 1) + " payload=a"),
                sink.drain());
        }
    }

    @Test
    void fixedBackoffAppliesToPlainNacksToo()
    {
        commands.declareQueue(1, 10, "q",
            new QueuePolicy(0, 0, BackoffKind.FIXED, 250, 0, DispatchStrategy.DEFAULT));
        commands.subscribe(1, 20, "q", "g", 10);
        commands.publish(1, 30, "q", "a");
        sink.drain();

        commands.nack(1, 1, 1, 1, NackAction.REQUEUE);
        commands.tickAfterMs(249);
        assertEquals(List.of(), sink.drain());
        commands.tickAfterMs(1);
        assertEquals(List.of("deliver session=1 consumer=1 seq=1 attempt=2 payload=a"), sink.drain());
    }

    @Test
    void aDisconnectedConsumersMessagesComeBackAtOnceWhateverTheBackoff()
    {
        commands.declareQueue(1, 10, "q",
            new QueuePolicy(0, 0, BackoffKind.FIXED, 60_000, 0, DispatchStrategy.DEFAULT));
        commands.connect(2, "aeron:ipc", 2002);
        commands.subscribe(1, 20, "q", "g", 10);
        commands.subscribe(2, 21, "q", "g", 10);
        commands.publish(1, 30, "q", "a");
        sink.drain();

        commands.disconnect(1);
        assertEquals(List.of("closed session=1", "deliver session=2 consumer=2 seq=1 attempt=2 payload=a"),
            sink.drain());
    }

    @Test
    void theLastAttemptGoesToTheDeadLetterQueueWithoutWaitingForABackoff()
    {
        commands.declareQueue(1, 10, "q",
            new QueuePolicy(1000, 2, BackoffKind.FIXED, 5000, 0, DispatchStrategy.DEFAULT));
        commands.subscribe(1, 20, "q", "g", 10);
        commands.publish(1, 30, "q", "a");
        commands.tickAfterMs(1000);
        commands.tickAfterMs(5000);
        sink.drain();

        commands.tickAfterMs(1000);
        assertEquals(0, stateMachine.depth("q"));
        assertEquals(1, stateMachine.depth("q.dlq"));
        assertEquals(0, stateMachine.pendingTimers());
    }

    @Test
    void extendMovesTheDeadlineToNowPlusTheNewTimeout()
    {
        commands.subscribe(1, 20, "q", "g", 10, 1000);
        commands.publish(1, 30, "q", "a");
        commands.tickAfterMs(900);
        commands.extend(1, 1, 1, 1, 1000);
        sink.drain();

        commands.tickAfterMs(999);
        assertEquals(List.of(), sink.drain(), "1899 ms after delivery, 999 after the extend");
        commands.tickAfterMs(1);
        assertEquals(List.of("deliver session=1 consumer=1 seq=1 attempt=2 payload=a"), sink.drain());
    }

    @Test
    void extendOfAStaleOrUnknownDeliveryOrWithABadTimeoutIsRefused()
    {
        commands.subscribe(1, 20, "q", "g", 10, 1000);
        commands.publish(1, 30, "q", "a");
        commands.tickAfterMs(1000);
        sink.drain();

        commands.extend(1, 1, 1, 1, 1000);
        commands.extend(1, 9, 1, 2, 1000);
        commands.extend(1, 1, 1, 2, 0);
        commands.extend(1, 1, 1, 2, QueuePolicy.MAX_DELAY_MS + 1);

        assertEquals(List.of(
            "error session=1 corr=0 STALE_DELIVERY",
            "error session=1 corr=0 UNKNOWN_CONSUMER",
            "error session=1 corr=0 INVALID_ARGUMENT",
            "error session=1 corr=0 INVALID_ARGUMENT"), sink.drain());
        commands.tickAfterMs(1000);
        assertEquals(List.of("deliver session=1 consumer=1 seq=1 attempt=3 payload=a"), sink.drain(),
            "the refused extends changed nothing");
    }
}
