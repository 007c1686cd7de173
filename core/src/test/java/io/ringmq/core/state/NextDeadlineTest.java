package io.ringmq.core.state;

import io.ringmq.codecs.LimitAction;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link QueueStateMachine#nextDeadlineNs()}: the time the daemon journals its next tick at while idle. It must never
 * be later than what is due (a timer would fire late), and a tick at it must fire what is due then, whichever of the
 * timers' three homes (the in-order FIFO, the wheel, the current-tick list) or the aged queues it comes from.
 */
class NextDeadlineTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);
    private long correlationId = 10;

    @BeforeEach
    void connect()
    {
        commands.nodeStarted(30_000, 10);
        commands.connect(1, "aeron:ipc", 2001);
    }

    @Test
    void nothingPendingIsNothingDue()
    {
        assertEquals(Long.MAX_VALUE, stateMachine.nextDeadlineNs());
        consume("q", 600_000, "a");
        commands.ack(1, 1, 1, 1);
        assertEquals(Long.MAX_VALUE, stateMachine.nextDeadlineNs(), "settled: no deadline left");
    }

    @Test
    void aDeadlineInOrderIsDueExactlyAtItsTime()
    {
        consume("q", 600_000, "a");
        assertDueAt(commands.nowNs() + 600_000 * MS, "seq=1 attempt=2");
    }

    @Test
    void anEarlierDeadlineOnTheWheelIsDueAtItsOwnTime()
    {
        consume("slow", 600_000, "a");
        commands.tickAfterMs(7);
        consume("fast", 5_000, "b"); // earlier than the deadline before it: the wheel's
        assertDueAt(commands.nowNs() + 5_000 * MS, "consumer=2 seq=1 attempt=2");
    }

    @Test
    void aDelayWithinTheCurrentWheelTickIsDueAtItsOwnTime()
    {
        consume("q", 600_000, "a", "b");
        commands.nackDelayed(1, 1, 2, 1, 1); // 1 ms: within the wheel tick time is in
        assertDueAt(commands.nowNs() + MS, "seq=2 attempt=2");
    }

    @Test
    void aCancelledEarliestWheelDeadlineLeavesTheNextOneEarlyThenExactOnceItsTimeHasCome()
    {
        consume("q", 600_000, "a", "b", "c"); // c stays in order: the extended ones go to the wheel
        commands.tickAfterMs(7);
        commands.extend(1, 1, 1, 1, 5_000);
        commands.extend(1, 1, 2, 1, 10_000);
        final long first = commands.nowNs() + 5_000 * MS;
        final long second = commands.nowNs() + 10_000 * MS;
        assertEquals(first, stateMachine.nextDeadlineNs());

        commands.ack(1, 1, 1, 1);
        assertEquals(first, stateMachine.nextDeadlineNs(), "early after a cancel: a tick then finds nothing");
        sink.drain();
        commands.tickAt(first);
        assertEquals(List.of(), sink.drain());
        assertEquals(second, stateMachine.nextDeadlineNs(), "exact again once time has passed the early one");

        assertDueAt(second, "seq=2 attempt=2");
    }

    @Test
    void anAgedQueueIsDueWhenItsOldestMessageComesOfAge()
    {
        commands.queueRule("q", QueuePolicy.UNSET.withLimits(
            new QueueLimits(1_000, 0, 0, LimitAction.DROP, LimitAction.DEFAULT)));
        commands.subscribe(1, 10, "q", "g", 1, 600_000); // takes a, b waits
        commands.publish(1, 11, "q", "a");
        final long aComesOfAge = commands.nowNs() + 1_000 * MS;
        commands.tickAfterMs(500);
        commands.publish(1, 12, "q", "b");
        final long bComesOfAge = commands.nowNs() + 1_000 * MS;
        assertEquals(aComesOfAge, stateMachine.nextDeadlineNs());

        commands.ack(1, 1, 1, 1); // a leaves; the next check stays where it was
        sink.drain();
        commands.tickAt(aComesOfAge - 1);
        assertEquals(1, stateMachine.depth("q"));
        assertEquals(aComesOfAge, stateMachine.nextDeadlineNs(), "early: a is gone");
        commands.tickAt(aComesOfAge);
        assertEquals(bComesOfAge, stateMachine.nextDeadlineNs(), "exact again after a check");
        commands.tickAt(bComesOfAge - 1);
        assertEquals(1, stateMachine.depth("q"));
        commands.tickAt(bComesOfAge);
        assertEquals(0, stateMachine.depth("q"), "b came of age and left");
        assertEquals(Long.MAX_VALUE, stateMachine.nextDeadlineNs());
    }

    /** A consumer (in a group of its own) with this visibility timeout on the queue, and a publish per payload. */
    private void consume(final String queue, final long visibilityTimeoutMs, final String... payloads)
    {
        commands.subscribe(1, ++correlationId, queue, "g", 10, visibilityTimeoutMs);
        for (final String payload : payloads)
        {
            commands.publish(1, ++correlationId, queue, payload);
        }
    }

    /**
     * The next deadline is {@code deadline}; a tick 1 ns before it changes nothing; a tick at it brings the delivery
     * back, and the next deadline is later.
     */
    private void assertDueAt(final long deadline, final String redelivery)
    {
        assertEquals(deadline, stateMachine.nextDeadlineNs());
        sink.drain();
        commands.tickAt(deadline - 1);
        assertEquals(List.of(), sink.drain(), "not due yet");
        assertEquals(deadline, stateMachine.nextDeadlineNs());

        commands.tickAt(deadline);
        final List<String> outputs = sink.drain();
        assertEquals(1, outputs.size(), outputs.toString());
        assertTrue(outputs.get(0).contains(redelivery), outputs.toString());
        assertTrue(stateMachine.nextDeadlineNs() > deadline, "the deadline handled, the next one is later");
    }
}
