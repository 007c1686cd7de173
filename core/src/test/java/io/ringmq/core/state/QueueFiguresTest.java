package io.ringmq.core.state;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.NackAction;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The figures metrics read: what a queue holds and what consumers did with it, counted as commands say. */
class QueueFiguresTest
{
    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);
    private final QueueFigures figures = new QueueFigures();

    @BeforeEach
    void connect()
    {
        commands.nodeStarted(10_000, 2);
        commands.connect(1, "aeron:ipc", 2001);
    }

    @Test
    void countsPublishesDeliveriesAcksNacksAndDeadLetters()
    {
        commands.subscribe(1, 20, "q", "g", 10, 1000);
        commands.publish(1, 30, "q", "a");
        commands.publish(1, 31, "q", "bb");
        commands.publish(1, 32, "q", "ccc");
        commands.ack(1, 1, 1, 1);
        commands.nack(1, 1, 2, 1, NackAction.REQUEUE); // redelivered as attempt 2
        commands.nack(1, 1, 3, 1, NackAction.REJECT); // to q.dlq

        assertEquals(2, stateMachine.queueCount(), "q and q.dlq");
        assertSame(figures, stateMachine.queueFigures(0, figures));
        assertEquals("q", figures.name());
        assertEquals(3, figures.published());
        assertEquals(1, figures.depth(), "the requeued one");
        assertEquals(2, figures.bytes());
        assertEquals(1, figures.inFlight());
        assertEquals(4, figures.activity().delivered());
        assertEquals(1, figures.activity().redelivered());
        assertEquals(1, figures.activity().acked());
        assertEquals(2, figures.activity().nacked());
        assertEquals(1, figures.activity().deadLettered());
        assertEquals(1, figures.groupCount());
        assertEquals("g", figures.groupName(0));
        assertEquals(1, figures.groupConsumers(0));
        assertEquals(1, figures.groupInFlight(0));
        assertEquals(1, figures.groupLag(0));

        stateMachine.queueFigures(1, figures);
        assertEquals("q.dlq", figures.name());
        assertEquals(1, figures.published());
        assertEquals(1, figures.depth());
        assertEquals(0, figures.groupCount());
    }

    @Test
    void lagCountsMessagesNeverGivenAndThoseNotYetSettled()
    {
        commands.subscribe(1, 20, "q", "g", 1, 1000);
        commands.publish(1, 30, "q", "a");
        commands.publish(1, 31, "q", "b");
        commands.publish(1, 32, "q", "c");
        stateMachine.queueFigures(0, figures);
        assertEquals(3, figures.groupLag(0), "one in flight, two waiting for credit");

        commands.ack(1, 1, 1, 1);
        assertEquals(2, figures.groupLag(0));
        commands.ack(1, 1, 2, 1);
        commands.ack(1, 1, 3, 1);
        assertEquals(0, figures.groupLag(0));
        assertEquals(0, figures.oldestEnqueuedNs(), "nothing held");
    }

    @Test
    void oldestEnqueuedIsTheCommandTimeTheOldestHeldMessageCameIn()
    {
        commands.publish(1, 30, "q", "a");
        stateMachine.queueFigures(0, figures);
        final long firstNs = figures.oldestEnqueuedNs();
        commands.advanceNs(5_000_000);
        commands.publish(1, 31, "q", "b");
        assertEquals(firstNs, figures.oldestEnqueuedNs());
        assertEquals(2, figures.depth());
    }

    @Test
    void timedOutDeliveriesComeBackAsRedeliveriesAndThenDeadLetters()
    {
        commands.subscribe(1, 20, "q", "g", 10, 1000);
        commands.publish(1, 30, "q", "poison");
        commands.tickAfterMs(1000); // attempt 2 = max
        commands.tickAfterMs(1000); // dead-lettered

        stateMachine.queueFigures(0, figures);
        assertEquals(2, figures.activity().delivered());
        assertEquals(1, figures.activity().redelivered());
        assertEquals(0, figures.activity().nacked());
        assertEquals(1, figures.activity().deadLettered());
        assertEquals(0, figures.groupLag(0));
    }

    /**
     * What an observer reads after taking the list: only the queues whose figures changed since, in the order they
     * first changed, a deleted one included; nothing for time passing with nothing due. Until the first take, and
     * after more changes than the list keeps, every queue is to be read.
     */
    @Test
    void listsTheQueuesWhoseFiguresChangedSinceTheObserverLastTookThem()
    {
        commands.subscribe(1, 20, "a", "g", 10, 1000);
        commands.publish(1, 30, "b", "m");
        commands.publish(1, 31, "c", "m");
        assertTrue(stateMachine.everyQueueChanged(), "nothing taken yet");
        stateMachine.forgetChangedQueues();
        assertFalse(stateMachine.everyQueueChanged());
        assertEquals(0, stateMachine.changedQueueCount());

        commands.tickAfterMs(10);
        assertEquals(0, stateMachine.changedQueueCount(), "time passed, nothing due");
        commands.publish(1, 32, "a", "m"); // delivered to g
        commands.publish(1, 33, "c", "m");
        commands.publish(1, 34, "a", "n");
        assertEquals(List.of("a", "c"), changedNames());

        stateMachine.forgetChangedQueues();
        commands.ack(1, 1, 1, 1); // a's message leaves
        commands.admin(1, 40, AdminAction.DELETE_QUEUE, "b", "", 0, true);
        assertEquals(List.of("a", "b (deleted)"), changedNames());

        stateMachine.forgetChangedQueues();
        commands.tickAfterMs(1000); // a's second delivery times out: in flight no more
        assertEquals(List.of("a"), changedNames());
    }

    private List<String> changedNames()
    {
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < stateMachine.changedQueueCount(); i++)
        {
            stateMachine.changedQueueFigures(i, figures);
            names.add(figures.name() + (figures.deleted() ? " (deleted)" : ""));
        }
        return names;
    }
}
