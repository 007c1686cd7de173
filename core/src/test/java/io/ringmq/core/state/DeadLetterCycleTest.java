package io.ringmq.core.state;

import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A group whose dead-letter queue leads back to its own queue is refused (schema version 5): a message failing in
 * such a cycle was copied round it without end, each group on the way adding a copy of its own, until the daemon ran
 * out of memory (HostileInputTest's fuzz, seeds 1 and 4). The edges: each group's dead-letter queue, and
 * {@code q -> q.dlq} for every name, where a subscribe's group or a queue without groups dead-letters.
 */
class DeadLetterCycleTest
{
    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);
    /** The session that declares. */
    private long session = 1;

    /** A run of this build (schema version 5 rules) and a session of it. */
    private void startRun()
    {
        commands.nodeStarted(1_000, 1);
        commands.connect(1, "aeron:ipc", 2001);
        sink.drain();
    }

    /** A run of a version 4 daemon, as its journal replays, and a session of it. */
    private void startVersion4Run()
    {
        commands.nodeStartedAtSchemaVersion(4);
        commands.connect(1, "aeron:ipc", 2001);
        sink.drain();
    }

    /** Declares a group with the queue's strategy: the answer, and an error's message after it. */
    private String declare(final long correlationId, final String queue, final String group, final String dlq)
    {
        commands.declareGroup(session, correlationId, queue, group, DispatchStrategy.DEFAULT, dlq);
        final List<String> outputs = sink.drain();
        assertEquals(1, outputs.size(), outputs.toString());
        return outputs.get(0).startsWith("error") ? outputs.get(0) + ": " + sink.lastErrorMessage : outputs.get(0);
    }

    private String created(final long correlationId)
    {
        return "done session=" + session + " corr=" + correlationId + " count=1";
    }

    private String refused(final long correlationId, final String dlq, final String cycle)
    {
        return "error session=" + session + " corr=" + correlationId + " INVALID_ARGUMENT: dead-letter queue '" + dlq +
            "' would make a dead-letter cycle: " + cycle + ": a message failing in it would be copied round it " +
            "without end";
    }

    @Test
    void twoQueuesWhoseGroupsDeadLetterToEachOtherAreRefusedNamingTheCycle()
    {
        startRun();
        assertEquals(created(10), declare(10, "a", "ga", "b"));
        assertEquals(refused(11, "a", "a (group ga) -> b (group gb) -> a"), declare(11, "b", "gb", "a"));
        assertEquals(-1, stateMachine.inFlight("b", "gb"), "no group gb");
    }

    @Test
    void aCycleThroughThreeQueuesIsRefused()
    {
        startRun();
        assertEquals(created(10), declare(10, "a", "ga", "b"));
        assertEquals(created(11), declare(11, "b", "gb", "c"));
        assertEquals(refused(12, "a", "a (group ga) -> b (group gb) -> c (group gc) -> a"),
            declare(12, "c", "gc", "a"));
    }

    /** q dead-letters to q.dlq as soon as it has a group with the default, or none and a limit: the edge is assumed. */
    @Test
    void aDefaultDeadLetterQueueLeadingBackIsACycleBeforeAnyGroupUsesIt()
    {
        startRun();
        assertEquals(refused(10, "q", "q (by default) -> q.dlq (group g) -> q"), declare(10, "q.dlq", "g", "q"));
        assertEquals(refused(11, "q", "q (by default) -> q.dlq (by default) -> q.dlq.dlq (group g) -> q"),
            declare(11, "q.dlq.dlq", "g", "q"));
        assertEquals(created(12), declare(12, "r.dlq", "g", "s"));
        assertEquals(refused(13, "r", "r (by default) -> r.dlq (group g) -> s (group g) -> r"),
            declare(13, "s", "g", "r"));
        assertEquals(List.of("r.dlq"), stateMachine.queueNames(),
            "only the accepted declaration created its queue: a refused one creates nothing");
    }

    @Test
    void queuesThatDeadLetterOnwardWithoutComingBackAreAccepted()
    {
        startRun();
        assertEquals(created(10), declare(10, "a", "ga", "b"));
        assertEquals(created(11), declare(11, "a", "ga2", "c"));
        assertEquals(created(12), declare(12, "b", "gb", "c"));
        assertEquals(created(13), declare(13, "c", "gc", "a.dlq"));
        assertEquals(created(14), declare(14, "a.dlq", "g", "poison"));
        assertEquals(created(15), declare(15, "b", "gb2", "a.dlq.dlq"));
        assertEquals("done session=1 corr=16 count=0", declare(16, "a", "ga", "b"), "confirmed, as before");
    }

    /**
     * A subscribe's group dead-letters to {@code q.dlq}, an edge the check always assumes, so it never closes a cycle
     * the rule had let form; only an older run can have left one, and even then a subscribe goes on working. A
     * group declared with the default dead-letter queue, left empty or named, is the same edge.
     */
    @Test
    void aSubscribeOrADefaultDeadLetterQueueIsNeverRefusedEvenWhereAnOlderRunLeftACycle()
    {
        startVersion4Run();
        assertEquals(created(10), declare(10, "q.dlq", "g", "q"), "accepted by a version 4 run");
        startRun();
        session = 2;
        commands.subscribe(session, 20, "q", "s", 1);
        assertEquals(List.of("subscribed session=2 corr=20 consumer=1"), sink.drain());
        assertEquals(created(21), declare(21, "q", "d", ""));
        assertEquals(created(22), declare(22, "q", "e", "q.dlq"));
        assertEquals(refused(23, "q", "q (group s) -> q.dlq (group h) -> q"), declare(23, "q.dlq", "h", "q"));
    }

    /** Journals and snapshots of a version 4 daemon hold cycles it accepted: they replay as they ran. */
    @Test
    void aRunOfSchemaVersion4AcceptsTheCycleAndSoDoesItsSnapshotUntilTheNextRun()
    {
        startVersion4Run();
        assertEquals(created(10), declare(10, "a", "ga", "b"));
        assertEquals(created(11), declare(11, "b", "gb", "a"));

        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer();
        final QueueStateMachine restored =
            QueueStateMachine.fromSnapshot(snapshot, 0, stateMachine.writeSnapshot(snapshot, 0), sink);
        final Commands restoredCommands = new Commands(restored);
        restoredCommands.declareGroup(1, 12, "b", "gb2", DispatchStrategy.DEFAULT, "a");
        assertEquals(List.of(created(12)), sink.drain(), "the snapshot's run accepts it too");

        restoredCommands.nodeStarted();
        restoredCommands.connect(2, "aeron:ipc", 2001);
        restoredCommands.declareGroup(2, 13, "b", "gb3", DispatchStrategy.DEFAULT, "a");
        assertEquals(List.of("closed session=1", "opened session=2 corr=2 aeron:ipc/2001",
            "error session=2 corr=13 INVALID_ARGUMENT"), sink.drain(), "the next run, of this build, refuses another");
    }

    /** The format 4 snapshot RedriveTest reads (fan with groups g1 and g2, session 1): its run accepts cycles. */
    @Test
    void aFormat4SnapshotRestoresARunThatAcceptsCycles() throws IOException
    {
        final byte[] format4;
        try (InputStream in = DeadLetterCycleTest.class.getResourceAsStream("format4-letter-of-g1.snapshot"))
        {
            format4 = in.readAllBytes();
        }
        final QueueStateMachine restored =
            QueueStateMachine.fromSnapshot(new UnsafeBuffer(format4), 0, format4.length, sink);

        new Commands(restored).declareGroup(1, 10, "fan.dlq", "g", DispatchStrategy.DEFAULT, "fan");

        assertEquals(List.of(created(10)), sink.drain());
    }

    /**
     * The storm itself: two groups on each of two queues, each queue's groups dead-lettering to the other, one
     * message, consumers that never ack (one attempt, one second to process). In a version 4 run, as its journal
     * replays, the copies double at each turn; in a version 5 run the second queue's groups are refused, its
     * subscribers' groups dead-letter to b.dlq, and the one message ends as four letters there.
     */
    @Test
    void aFailingMessageNoLongerMultipliesWithoutEnd()
    {
        assertTrue(stormOfTwelveSeconds(4).retainedMessages() > 100, "a version 4 run, replayed as it ran");
        final QueueStateMachine refused = stormOfTwelveSeconds(5);
        assertEquals(4, refused.retainedMessages());
        assertEquals(4, refused.depth("b.dlq"));
    }

    private static QueueStateMachine stormOfTwelveSeconds(final int schemaVersion)
    {
        final QueueStateMachine machine = new QueueStateMachine(OutputSink.NONE);
        final Commands storm = new Commands(machine);
        storm.nodeStarted(1_000, 1);
        storm.nodeStartedAtSchemaVersion(schemaVersion); // keeps those defaults
        storm.connect(1, "aeron:ipc", 2001);
        final String[][] queueGroupAndDeadLetterQueue =
            {{"a", "a1", "b"}, {"a", "a2", "b"}, {"b", "b1", "a"}, {"b", "b2", "a"}};
        long correlationId = 10;
        for (final String[] group : queueGroupAndDeadLetterQueue)
        {
            storm.declareGroup(1, correlationId++, group[0], group[1], DispatchStrategy.DEFAULT, group[2]);
            storm.subscribe(1, correlationId++, group[0], group[1], 100);
        }
        storm.publish(1, correlationId, "a", "m");
        for (int second = 0; second < 12; second++)
        {
            storm.tickAfterMs(1_000);
        }
        return machine;
    }
}
