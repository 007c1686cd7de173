package io.ringmq.daemon.counters;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.core.model.Command;
import io.ringmq.core.model.CommandGenerator;
import io.ringmq.core.model.ReferenceQueueModel;
import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the dispatch thread copies, and when: by command time under load, at once when the ring is empty; only the
 * queues that changed since the last copy.
 */
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
    void aCopyOfEveryQueueAllocatesNothingOnceTheQueuesExist()
    {
        for (int i = 0; i < 20; i++)
        {
            commands.subscribe(1, 20 + i, "q" + i, "g", 10, 1000);
        }
        for (int i = 0; i < 10_000; i++)
        {
            counters.copyEveryQueue(stateMachine); // the first copy's, and the fallback's, way
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        final long startNs = System.nanoTime();
        for (int i = 0; i < 10_000; i++)
        {
            counters.copyEveryQueue(stateMachine); // the first copy's, and the fallback's, way
        }
        final long elapsedNs = System.nanoTime() - startNs;
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        System.out.printf("counters copy of every queue, 20 with a group each: %d ns, %d B over 10000 copies%n",
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
        assertFalse(rows.get(4).isGone(), "the queue after it keeps its row");

        commands.publish(1, 12, "b", "again");
        counters.afterBatch(stateMachine, true);
        rows.clear();
        takeAdded();
        assertEquals(List.of("b/"), rows.stream().map((r) -> r.queue + "/" + r.group).toList(),
            "a queue made again with a deleted one's name: new rows");
        assertEquals(1, rows.get(0).get(column(RingmqCounter.QUEUE_PUBLISHED)));
    }

    /**
     * Copies read only the queues that changed since the last copy; after every kind of command (random sequences of
     * the model test's generator: publishes, deliveries, acks, nacks with and without delay, rejects, timeouts, seeks,
     * purges, redrives, deletes, limits, expiry, sessions closing, new runs) the rows are those a copy of every queue
     * makes. Copies are sometimes put off (more waits on the ring, within the interval), so changes add up between them.
     */
    @Test
    void rowsMatchACopyOfEveryQueueAfterEveryKindOfCommand()
    {
        long commandsChecked = 0;
        long queuesRead = 0;
        long queuesThere = 0;
        for (int seed = 0; seed < 300; seed++)
        {
            final SplittableRandom random = new SplittableRandom(0x17C0FFEEL + seed);
            final QueueStateMachine real = new QueueStateMachine(OutputSink.NONE);
            final ReferenceQueueModel model = new ReferenceQueueModel(EnumSet.noneOf(ReferenceQueueModel.Deviation.class));
            final CommandGenerator generator = new CommandGenerator(random, model);
            final StateCounters changedOnly = new StateCounters(INTERVAL_NS);
            final List<FigureRow> changedOnlyRows = new ArrayList<>();
            final int length = 20 + random.nextInt(181);
            for (int i = 0; i < length; i++)
            {
                final Command.Step step = generator.next();
                final byte[] record = step.toJournalRecord(i + 1);
                real.apply(new UnsafeBuffer(record), 0, record.length);
                model.apply(step);
                generator.observe(model.drainOutputs());

                final boolean ringEmpty = random.nextInt(3) > 0;
                final long before = changedOnly.queuesRead();
                changedOnly.afterBatch(real, ringEmpty);
                if (!ringEmpty)
                {
                    continue; // copied or put off by the interval: what it put off the next copy must catch up
                }
                queuesRead += changedOnly.queuesRead() - before;
                queuesThere += real.queueCount();
                final StateCounters everyQueue = new StateCounters(INTERVAL_NS);
                everyQueue.copyEveryQueue(real);
                final Map<String, List<Long>> expected = values(live(everyQueue, new ArrayList<>()));
                final Map<String, List<Long>> actual = values(live(changedOnly, changedOnlyRows));
                final int commandIndex = i;
                final int seedIndex = seed;
                assertEquals(expected, actual, () -> "seed " + seedIndex + " after command " + commandIndex + ": " +
                    step + "\n" + real.describeState());
                commandsChecked++;
            }
        }
        System.out.printf("counters copied after %d commands: %d queues read of %d there (%.0f%%)%n",
            commandsChecked, queuesRead, queuesThere, 100.0 * queuesRead / queuesThere);
        assertTrue(commandsChecked > 10_000, "commands checked: " + commandsChecked);
        assertTrue(queuesRead < queuesThere, "copies read fewer queues than there are");
    }

    @Test
    void moreQueuesChangedThanTheListKeepsFallsBackToACopyOfEveryQueue()
    {
        commands.publish(1, 10, "stays", "m");
        commands.publish(1, 11, "deleted", "m");
        counters.afterBatch(stateMachine, true);
        takeAdded();
        final FigureRow deleted = rows.get(1);
        for (int i = 0; i < 200; i++) // made and deleted between two copies: more than the list keeps
        {
            commands.publish(1, 100 + i, "churn" + i, "m");
            commands.admin(1, 1000 + i, AdminAction.DELETE_QUEUE, "churn" + i, "", 0, true);
        }
        commands.admin(1, 2000, AdminAction.DELETE_QUEUE, "deleted", "", 0, true);
        commands.publish(1, 2001, "stays", "n");
        assertTrue(stateMachine.everyQueueChanged(), "the list gave up: every queue is to be read");
        counters.afterBatch(stateMachine, true);
        assertTrue(deleted.isGone(), "a queue deleted while the list had given up");
        assertEquals(2, rows.get(0).get(column(RingmqCounter.QUEUE_PUBLISHED)));
        assertFalse(stateMachine.everyQueueChanged(), "read: only what changes next");
    }

    @Test
    void anotherStateMachineIsReadWhole()
    {
        commands.publish(1, 10, "old", "m");
        counters.afterBatch(stateMachine, true);
        takeAdded();
        final QueueStateMachine installed = new QueueStateMachine(OutputSink.NONE); // e.g. a standby's new snapshot
        final Commands installedCommands = new Commands(installed);
        installedCommands.nodeStarted(10_000, 5);
        installedCommands.connect(1, "aeron:ipc", 2001);
        installedCommands.publish(1, 10, "new", "m");
        installed.forgetChangedQueues(); // as if another reader had taken its list: only the identity tells
        counters.afterBatch(installed, true);
        assertTrue(rows.get(0).isGone(), "a queue the installed state does not have");
        rows.clear();
        takeAdded();
        assertEquals(List.of("new/"), rows.stream().map((r) -> r.queue + "/" + r.group).toList());
    }

    /**
     * The cost of a copy after a batch that changed one queue (a publish delivered, then its ack) on an otherwise idle
     * daemon, at 10 and 2,000 queues with a group and a consumer each: the changed-only copy, and a copy of every
     * queue (what every copy did before) after one batch in 50. Nothing is allocated; the figures are printed, and the
     * queues read per copy (not the time, which this shared machine makes noisy) asserted.
     */
    @Test
    void aCopyAfterABatchReadsOnlyTheQueueItChangedAndAllocatesNothing()
    {
        for (final int queues : new int[] {10, 2_000})
        {
            final QueueStateMachine machine = new QueueStateMachine(OutputSink.NONE);
            final Commands driver = new Commands(machine);
            driver.nodeStarted(10_000, 5);
            driver.connect(1, "aeron:ipc", 2001);
            for (int i = 0; i < queues; i++)
            {
                driver.subscribe(1, 20 + i, "q" + i, "g", 10, 60_000);
            }
            final StateCounters changedOnly = new StateCounters(INTERVAL_NS);
            final StateCounters everyQueue = new StateCounters(INTERVAL_NS);
            changedOnly.afterBatch(machine, true);
            everyQueue.copyEveryQueue(machine);
            final long[] nextSequence = new long[queues];
            java.util.Arrays.fill(nextSequence, 1);
            final CopyCost changedOnlyCost = new CopyCost();
            final CopyCost everyQueueCost = new CopyCost();
            final int rounds = 20_000;
            for (int pass = 0; pass < 2; pass++) // the first warms up
            {
                changedOnlyCost.reset();
                everyQueueCost.reset();
                final long readBefore = changedOnly.queuesRead();
                for (int round = 0; round < rounds; round++)
                {
                    final int queue = round % queues;
                    driver.publish(1, 100_000 + round, "q" + queue, "m");
                    changedOnlyCost.measure(() -> changedOnly.afterBatch(machine, true));
                    driver.ack(1, queue + 1, nextSequence[queue]++, 1);
                    changedOnlyCost.measure(() -> changedOnly.afterBatch(machine, true));
                    if (round % 50 == 0)
                    {
                        everyQueueCost.measure(() -> everyQueue.copyEveryQueue(machine));
                    }
                }
                assertEquals(2L * rounds, changedOnly.queuesRead() - readBefore, "one queue read per copy");
            }
            System.out.printf("counters copy after a one-queue batch, %d queues: changed only %d ns (%d copies), " +
                "every queue %d ns (%d copies), %d B allocated%n", queues, changedOnlyCost.meanNs(),
                changedOnlyCost.copies, everyQueueCost.meanNs(), everyQueueCost.copies,
                changedOnlyCost.allocated + everyQueueCost.allocated);
            assertEquals(0, changedOnlyCost.allocated + everyQueueCost.allocated, "bytes allocated by the copies");
        }
    }

    /** Time and bytes allocated of copies, measured one at a time. */
    private static final class CopyCost
    {
        private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        long copies;
        long totalNs;
        long allocated;

        void reset()
        {
            copies = 0;
            totalNs = 0;
            allocated = 0;
        }

        void measure(final Runnable copy)
        {
            final long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            final long startNs = System.nanoTime();
            copy.run();
            totalNs += System.nanoTime() - startNs;
            allocated += threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            copies++;
        }

        long meanNs()
        {
            return totalNs / copies;
        }
    }

    /** The rows not gone, taking the new ones from the counters' queue of added rows into {@code rows}. */
    private static List<FigureRow> live(final StateCounters counters, final List<FigureRow> rows)
    {
        FigureRow row;
        while (null != (row = counters.addedRows().poll()))
        {
            rows.add(row);
        }
        rows.removeIf(FigureRow::isGone);
        return rows;
    }

    /** "queue/group" to the row's values. */
    private static Map<String, List<Long>> values(final List<FigureRow> rows)
    {
        final Map<String, List<Long>> values = new TreeMap<>();
        for (final FigureRow row : rows)
        {
            final List<Long> columns = new ArrayList<>();
            for (int i = 0; i < row.columns.length; i++)
            {
                columns.add(row.get(i));
            }
            assertEquals(null, values.put(row.queue + "/" + row.group, columns), "two live rows for one name");
        }
        return values;
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
