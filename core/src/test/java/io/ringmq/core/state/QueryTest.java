package io.ringmq.core.state;

import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.NackAction;
import io.ringmq.codecs.QueryKind;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Queries: list queues, list a queue's groups, peek; answered from the state as it stands, changing nothing. */
class QueryTest
{
    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void ordersWithOneDeadLetterAndOneInFlight()
    {
        commands.nodeStarted(1000, 1);
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 20, "orders", "billing", 10);
        commands.declareGroup(1, 21, "orders", "audit", DispatchStrategy.LEAST_OUTSTANDING, "audit.failed");
        commands.publish(1, 30, "orders", "first");
        commands.publish(1, 31, "orders", "second");
        commands.nack(1, 1, 1, 1, NackAction.REJECT); // billing: seq 1 to orders.dlq; seq 2 in flight
        commands.publish(1, 32, "invoices", "one");
        sink.drain();
    }

    @Test
    void listsTheQueuesAPatternMatchesWithTheirFigures()
    {
        commands.query(1, 40, QueryKind.QUEUES, "orders*", 0, 0);

        assertEquals(List.of(
            "queue session=1 corr=40 name=orders depth=2 inFlight=1 groups=2 consumers=1 dlqDepth=1 " +
                "visibilityTimeoutMs=1000 maxAttempts=1",
            "queue session=1 corr=40 name=orders.dlq depth=1 inFlight=0 groups=0 consumers=0 dlqDepth=-1 " +
                "visibilityTimeoutMs=1000 maxAttempts=1",
            "done session=1 corr=40 count=2"), sink.drain());

        commands.query(1, 41, QueryKind.QUEUES, "", 0, 0);
        assertEquals(4, sink.drain().size(), "an empty pattern lists every queue: orders, its DLQ, invoices");
        commands.query(1, 42, QueryKind.QUEUES, "inv?ices", 0, 0);
        assertEquals(2, sink.drain().size());
        commands.query(1, 43, QueryKind.QUEUES, "nothing*", 0, 0);
        assertEquals(List.of("done session=1 corr=43 count=0"), sink.drain());
    }

    @Test
    void listsAQueuesGroupsWithLagConsumersAndWhereTheyDeadLetter()
    {
        commands.query(1, 40, QueryKind.GROUPS, "orders", 0, 0);

        assertEquals(List.of(
            "group session=1 corr=40 queue=orders name=billing lag=1 consumers=1 inFlight=1 strategy=ROUND_ROBIN " +
                "dlq=orders.dlq",
            "group session=1 corr=40 queue=orders name=audit lag=2 consumers=0 inFlight=0 strategy=LEAST_OUTSTANDING " +
                "dlq=audit.failed",
            "done session=1 corr=40 count=2"), sink.drain());
    }

    @Test
    void peekShowsWhatAQueueHoldsWithoutConsumingIt()
    {
        commands.query(1, 40, QueryKind.PEEK, "orders", 1, 0);
        assertEquals(List.of(
            "browsed session=1 corr=40 seq=1 payload=first",
            "done session=1 corr=40 count=1"), sink.drain());

        commands.query(1, 41, QueryKind.PEEK, "orders", 0, 0);
        assertEquals(3, sink.drain().size(), "0 shows all");
        assertEquals(2, stateMachine.depth("orders"));
    }

    @Test
    void aQueryForAQueueThatDoesNotExistIsRefusedAndCreatesNothing()
    {
        commands.query(1, 40, QueryKind.GROUPS, "ordres", 0, 0);
        commands.query(1, 41, QueryKind.PEEK, "ordres", 0, 0);

        assertEquals(List.of(
            "error session=1 corr=40 UNKNOWN_QUEUE",
            "error session=1 corr=41 UNKNOWN_QUEUE"), sink.drain());
        assertEquals(List.of("orders", "orders.dlq", "invoices"), stateMachine.queueNames());
    }

    @Test
    void aQueryChangesNothingTimeIncluded()
    {
        final long digestBefore = stateMachine.digest(new StateDigest());
        final long logSequenceBefore = stateMachine.lastLogSequence();

        // Stamped long after the in-flight delivery's visibility timeout: were its time applied, seq 2 would go to
        // the DLQ now (max attempts 1), and a replay without the query would not do so at this point.
        commands.query(1, 40, QueryKind.QUEUES, "", 0, 60_000);
        commands.query(1, 41, QueryKind.GROUPS, "orders", 0, 60_000);
        commands.query(1, 42, QueryKind.PEEK, "orders", 0, 60_000);
        sink.drain();

        assertEquals(digestBefore, stateMachine.digest(new StateDigest()));
        assertEquals(logSequenceBefore, stateMachine.lastLogSequence());
        assertEquals(1, stateMachine.depth("orders.dlq"), "seq 2 is still in flight, not dead-lettered");
    }

    @Test
    void aQueryFromASessionThatIsNotConnectedIsAnsweredToNoOne()
    {
        commands.query(7, 40, QueryKind.QUEUES, "", 0, 0);
        commands.fromTransport(99);
        commands.query(1, 41, QueryKind.QUEUES, "", 0, 0); // session 1 is another transport's

        assertEquals(List.of(), sink.drain());
    }
}
