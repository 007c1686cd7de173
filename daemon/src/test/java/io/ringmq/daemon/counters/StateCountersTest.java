package io.ringmq.daemon.counters;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the dispatch thread copies, and when: by command time under load, at once when the ring is empty. */
class StateCountersTest
{
    private static final long INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);
    private final StateCounters counters = new StateCounters(INTERVAL_NS);
    private final List<FigureRow> rows = new ArrayList<>();

    @BeforeEach
    void connect()
    {
        commands.nodeStarted(10_000, 5);
        commands.connect(1, "aeron:ipc", 2001);
    }

    @Test
    void copiesUnderLoadOncePerIntervalAndAtOnceWhenTheRingIsEmpty()
    {
        commands.subscribe(1, 20, "q", "g", 10, 1000);
        commands.publish(1, 30, "q", "a");
        counters.afterBatch(stateMachine, false); // the first copy is never put off
        takeAdded();
        assertEquals(List.of("q/", "q/g"), rows.stream().map((row) -> row.queue + "/" + row.group).toList());
        final FigureRow queue = rows.get(0);
        final FigureRow group = rows.get(1);
        assertEquals(1, queue.get(column(RingmqCounter.QUEUE_PUBLISHED)));
        assertEquals(1, group.get(1), "consumers");

        commands.publish(1, 31, "q", "b");
        counters.afterBatch(stateMachine, false);
        assertEquals(1, queue.get(column(RingmqCounter.QUEUE_PUBLISHED)), "more waits behind, within the interval");

        counters.afterBatch(stateMachine, true);
        assertEquals(2, queue.get(column(RingmqCounter.QUEUE_PUBLISHED)), "the ring is empty: copied now");
        assertEquals(2, queue.get(column(RingmqCounter.QUEUE_DELIVERED)));
        assertEquals(2, group.get(0), "lag");

        commands.ack(1, 1, 1, 1);
        commands.advanceNs(INTERVAL_NS);
        commands.publish(1, 32, "q", "c");
        counters.afterBatch(stateMachine, false);
        assertEquals(1, queue.get(column(RingmqCounter.QUEUE_ACKED)), "the interval has passed: copied under load");
        assertEquals(3, queue.get(column(RingmqCounter.QUEUE_PUBLISHED)));
        assertEquals(1, counters.sessions());
        takeAdded();
        assertEquals(2, rows.size(), "no new queue or group, no new row");
    }

    @Test
    void errorsAreCountedByCode()
    {
        final ErrorCountingSink counting = new ErrorCountingSink(sink, counters);
        sink.drain();
        counting.onError(1, 2, ErrorCode.STALE_DELIVERY, "stale");
        counting.onError(1, 3, ErrorCode.STALE_DELIVERY, "stale");
        counting.onConnectRefused(4, "aeron:ipc", 5, ErrorCode.TOO_MANY_SESSIONS, "full");
        assertEquals(2, counters.errorsByCode().get(ErrorCode.STALE_DELIVERY.ordinal()));
        assertEquals(1, counters.errorsByCode().get(ErrorCode.TOO_MANY_SESSIONS.ordinal()));
        assertEquals(3, sink.drain().size(), "every output passed on");
    }

    @Test
    void aCopyAllocatesNothingOnceTheQueuesExist()
    {
        for (int i = 0; i < 20; i++)
        {
            commands.subscribe(1, 20 + i, "q" + i, "g", 10, 1000);
        }
        for (int i = 0; i < 10_000; i++)
        {
            counters.afterBatch(stateMachine, true);
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        final long startNs = System.nanoTime();
        for (int i = 0; i < 10_000; i++)
        {
            counters.afterBatch(stateMachine, true);
        }
        final long elapsedNs = System.nanoTime() - startNs;
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        System.out.printf("counters copy of 20 queues with a group each: %d ns, %d B over 10000 copies%n",
            elapsedNs / 10_000, allocated);
        assertTrue(allocated < 10_000, "allocated " + allocated + " B over 10000 copies of 20 queues and groups");
    }

    @Test
    void aGroupLeftWithoutConsumersKeepsItsRow()
    {
        commands.subscribe(1, 20, "q", "g", 10, 1000);
        counters.afterBatch(stateMachine, true);
        takeAdded();
        assertFalse(rows.get(1).isGone());
        commands.unsubscribe(1, 1);
        counters.afterBatch(stateMachine, true);
        assertFalse(rows.get(1).isGone(), "a group without consumers stays: it keeps its position");
    }

    @Test
    void aDeletedQueueOrGroupHasItsRowsFreed()
    {
        commands.publish(1, 10, "a", "m");
        commands.subscribe(1, 20, "b", "g", 10, 1000);
        commands.declareGroup(1, 21, "b", "h", DispatchStrategy.DEFAULT, "");
        commands.publish(1, 11, "c", "m");
        counters.afterBatch(stateMachine, true);
        takeAdded();
        assertEquals(List.of("a/", "b/", "b/g", "b/h", "c/"), rows.stream().map((r) -> r.queue + "/" + r.group).toList());

        commands.admin(1, 30, AdminAction.DELETE_GROUP, "b", "h", 0);
        counters.afterBatch(stateMachine, true);
        assertTrue(rows.get(3).isGone(), "the deleted group's row");
        assertFalse(rows.get(2).isGone(), "the group that stays");

        commands.admin(1, 31, AdminAction.DELETE_QUEUE, "b", "", 0, true);
        counters.afterBatch(stateMachine, true);
        assertFalse(rows.get(0).isGone(), "the queue before it keeps its row");
        assertTrue(rows.get(1).isGone(), "the deleted queue's row");
        assertTrue(rows.get(2).isGone(), "and its group's");
        rows.clear();
        takeAdded();
        assertEquals(List.of("c/"), rows.stream().map((r) -> r.queue + "/" + r.group).toList(),
            "the queue after it takes the freed place: new rows");
    }

    private void takeAdded()
    {
        FigureRow row;
        while (null != (row = counters.addedRows().poll()))
        {
            rows.add(row);
        }
    }

    private static int column(final RingmqCounter counter)
    {
        return List.of(QueueFigureRows.QUEUE_COLUMNS).indexOf(counter);
    }
}
